package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.slaledger.testkit.HttpApiFuzz;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeded generator of hostile events for the maintenance-window admin routes (issue 15), on the
 * shared {@link HttpApiFuzz}: {@code PUT}/{@code POST /admin/maintenance-windows} with valid,
 * mutated and broken D4 bodies, {@code DELETE /admin/maintenance-windows/{id}} with random path
 * parameters, wrong methods and paths, missing request contexts and IAM authorizers, bad base64;
 * mixed with the recorded well-formed requests, so that windows are also recorded and withdrawn.
 */
final class MaintenanceWindowFuzzEvents {
    static final String COLLECTION = "/admin/maintenance-windows";
    static final List<String> IDS = List.of("mw-1", "mw-2", "mw-2026-10-03", "a.b:c_d-e");
    private static final Instant OCT_1 = Instant.parse("2026-10-01T00:00:00Z");

    private final HttpApiFuzz fuzz;

    MaintenanceWindowFuzzEvents(long seed) {
        fuzz = new HttpApiFuzz(seed);
    }

    APIGatewayV2HTTPEvent next() {
        if (fuzz.chance(0.3)) {
            return wellFormed();
        }
        if (fuzz.chance(0.005)) {
            return null;
        }
        String method = fuzz.method(List.of("PUT", "DELETE", "POST"));
        boolean item = fuzz.chance(0.4);
        String id = fuzz.chance(0.4) ? fuzz.pick(IDS) : fuzz.hostileId();
        String path = item ? COLLECTION + "/" + id
                : fuzz.chance(0.9) ? COLLECTION : fuzz.pick(List.of("/", "", COLLECTION + "/", "/admin", "/" + fuzz.junk(10)));
        String body = switch (fuzz.nextInt(5)) {
            case 0, 1 -> fuzz.mutate(window());
            case 2 -> fuzz.brokenBody();
            case 3 -> fuzz.chance(0.5) ? null : window();
            default -> window();
        };
        APIGatewayV2HTTPEvent e = fuzz.event(method, path, fuzz.headers(Map.of()), body);
        e.setPathParameters(pathParameters(item, id));
        if (e.getRequestContext() != null && fuzz.chance(0.5)) {
            e.getRequestContext().setAuthorizer(iam());
        }
        return e;
    }

    /** The recorded PUT with a random valid window, or a DELETE of a window that may exist. */
    private APIGatewayV2HTTPEvent wellFormed() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent("../../events/monthend/admin-put-maintenance-window.json");
        if (fuzz.chance(0.3)) {
            String id = fuzz.pick(IDS);
            e.getRequestContext().getHttp().setMethod("DELETE");
            e.setRawPath(COLLECTION + "/" + id);
            e.getRequestContext().getHttp().setPath(COLLECTION + "/" + id);
            e.setPathParameters(Map.of("id", id));
            e.setBody(null);
        } else {
            e.setBody(window());
            if (fuzz.chance(0.1)) {
                HttpApiFuzz.encodeBase64(e);
            }
        }
        return e;
    }

    /** A valid D4 window: a known id, October 2026, announced in time or not, for some accounts or all. */
    String window() {
        Instant start = OCT_1.plusSeconds(300L * fuzz.nextInt(0, 8928));
        Instant end = start.plusSeconds(300L * fuzz.nextInt(1, 48));
        Instant announced = start.minusSeconds(3600L * fuzz.nextInt(-48, 24 * 30));
        String accounts = switch (fuzz.nextInt(5)) {
            case 0 -> "";
            case 1 -> ",\"accounts\":[\"acme\"]";
            case 2 -> ",\"accounts\":[\"acme\",\"globex\"]";
            case 3 -> ",\"accounts\":[\"acme\"," + TextNode.valueOf(fuzz.hostileId()) + "]";
            default -> ",\"accounts\":null";
        };
        return "{\"id\":\"" + fuzz.pick(IDS) + "\",\"start\":\"" + start + "\",\"end\":\"" + end
                + "\",\"announcedAt\":\"" + announced + "\"" + accounts + "}";
    }

    private Map<String, String> pathParameters(boolean item, String id) {
        if (fuzz.chance(0.2)) {
            return null;
        }
        Map<String, String> p = new HashMap<>();
        switch (fuzz.nextInt(5)) {
            case 0 -> { }
            case 1 -> p.put("id", fuzz.hostileId());
            case 2 -> p.put(fuzz.junk(3), id);
            case 3 -> p.put("id", null);
            default -> p.put("id", item ? id : fuzz.pick(IDS));
        }
        return p;
    }

    /** An IAM authorizer context as API Gateway sends it, sometimes empty. */
    private APIGatewayV2HTTPEvent.RequestContext.Authorizer iam() {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer a = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        if (fuzz.chance(0.8)) {
            APIGatewayV2HTTPEvent.RequestContext.IAM iam = new APIGatewayV2HTTPEvent.RequestContext.IAM();
            iam.setAccountId(fuzz.chance(0.9) ? "123456789012" : fuzz.junk(12));
            iam.setUserArn("arn:aws:sts::123456789012:assumed-role/sla-ledger-admin/ops");
            a.setIam(iam);
        }
        return a;
    }
}
