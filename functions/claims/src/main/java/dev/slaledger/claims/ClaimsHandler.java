package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point of the claims API: an API Gateway HTTP API (payload format 2.0) with a JWT
 * authorizer in front. Turns the event into an {@link ApiRequest}, lets {@link ClaimsApi} answer,
 * and turns the answer into the HTTP API response. Nothing else.
 *
 * <p>Environment: see {@link ClaimsConfig}.
 */
public final class ClaimsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ClaimsApi api;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    /** Used by Lambda: builds the SDK clients once per execution environment. */
    public ClaimsHandler() {
        this(ClaimsConfig.fromEnvironment(System.getenv()));
    }

    private ClaimsHandler(ClaimsConfig config) {
        this(config, ClaimsWiring.dynamo(config));
    }

    private ClaimsHandler(ClaimsConfig config, DynamoDbClient dynamo) {
        this(ClaimsWiring.create(config, dynamo, ClaimsWiring.eventBridge(config), Clock.systemUTC()).api(),
                Priming.register("claims", ClaimsWiring.priming(config, dynamo)));
    }

    public ClaimsHandler(ClaimsApi api) {
        this(api, null);
    }

    private ClaimsHandler(ClaimsApi api, Priming priming) {
        this.api = api;
        this.priming = priming;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        ApiRequest request = toRequest(event);
        ApiResponse response;
        try {
            response = api.handle(request);
        } catch (RuntimeException e) {
            log(context, "ERROR " + request.method() + " " + request.path() + ": " + e);
            response = Problem.INTERNAL_ERROR.response("the service failed; the request may be repeated");
        }
        log(context, request.method() + " " + request.path() + " -> " + response.status() + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return new ApiRequest("", "", Map.of(), null, false, null);
        }
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String method = ctx == null || ctx.getHttp() == null || ctx.getHttp().getMethod() == null ? ""
                : ctx.getHttp().getMethod();
        String path = event.getRawPath();
        if (path == null && ctx != null && ctx.getHttp() != null) {
            path = ctx.getHttp().getPath();
        }
        if (path == null) {
            path = "";
        }
        String stage = ctx == null ? null : ctx.getStage();
        if (stage != null && !stage.isEmpty() && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b);
                }
            });
        }
        Map<String, String> claims = null;
        if (ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null) {
            claims = ctx.getAuthorizer().getJwt().getClaims();
        }
        return new ApiRequest(method, path, headers, event.getBody(), event.getIsBase64Encoded(), claims);
    }

    private static void log(Context context, String message) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(message + "\n");
        }
    }
}
