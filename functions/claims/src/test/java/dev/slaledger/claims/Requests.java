package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;

/** Variations of the recorded events: same shape as AWS sends, another caller, path or body. */
final class Requests {
    private Requests() {
    }

    static APIGatewayV2HTTPEvent postClaim(String account, String month) {
        APIGatewayV2HTTPEvent e = as(EventFiles.load("post-claim.json"), account);
        e.setBody("{\"month\":\"" + month + "\"}");
        return e;
    }

    static APIGatewayV2HTTPEvent postClaim(String account, String month, String idempotencyKey) {
        APIGatewayV2HTTPEvent e = postClaim(account, month);
        Map<String, String> headers = new HashMap<>(e.getHeaders());
        headers.put("idempotency-key", idempotencyKey);
        e.setHeaders(headers);
        return e;
    }

    static APIGatewayV2HTTPEvent get(String account, String path) {
        APIGatewayV2HTTPEvent e = as(EventFiles.load("get-vouchers.json"), account);
        e.setRawPath(path);
        e.getRequestContext().getHttp().setPath(path);
        return e;
    }

    /** The event as if {@code account}'s token had been presented. */
    static APIGatewayV2HTTPEvent as(APIGatewayV2HTTPEvent e, String account) {
        Map<String, String> claims = new HashMap<>(e.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("sub", account);
        e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return e;
    }
}
