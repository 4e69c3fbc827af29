package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.slaledger.testkit.HttpApiFuzz;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeded generator of hostile claims API events, on the shared {@link HttpApiFuzz} (methods,
 * headers, request contexts, stages, base64 flags, broken and mutated bodies): the claims routes'
 * paths, claim bodies, Idempotency-Keys and JWT authorizer contexts, mixed with well-formed
 * requests so that the valid paths are exercised between the broken ones.
 */
final class FuzzEvents {
    static final List<String> ACCOUNTS = List.of("acme", "globex", "paid", "initech");
    private static final List<String> MONTHS = List.of("2026-10", "2026-11", "2026-09", "2026-13", "2026-00",
            "1999-12", "0000-01", "9999-12", "2026-1", "26-10", "2026-10-01",
            "\u0662\u0660\u0662\u0666-\u0661\u0660", " 2026-10", "2026\u221210", "", "null");
    private static final Instant FIRST = Instant.parse("2026-10-15T00:00:00Z");

    private final HttpApiFuzz fuzz;
    private Instant last = FIRST;

    FuzzEvents(long seed) {
        fuzz = new HttpApiFuzz(seed);
    }

    /**
     * The clock of the next request: mostly 0-2 seconds after the previous one (bursts within a
     * minute, where the rate limit answers), else anywhere in 120 days from mid-October.
     */
    Instant instant() {
        last = fuzz.chance(0.85) ? last.plusSeconds(fuzz.nextInt(0, 3))
                : FIRST.plusSeconds(fuzz.nextLong(0, 120L * 86400));
        return last;
    }

    APIGatewayV2HTTPEvent next() {
        if (fuzz.chance(0.3)) {
            return wellFormed();
        }
        if (fuzz.chance(0.005)) {
            return null;
        }
        String method = fuzz.chance(0.7) ? (fuzz.chance(0.6) ? "POST" : "GET") : fuzz.method(List.of("POST", "GET"));
        APIGatewayV2HTTPEvent e = fuzz.event(method, path(), headers(), body());
        if (e.getRequestContext() != null) {
            e.getRequestContext().setAuthorizer(authorizer());
        }
        query(e);
        return e;
    }

    /** S9.6 paging parameters, right and wrong, as a raw string or as API Gateway's decoded map. */
    private void query(APIGatewayV2HTTPEvent e) {
        if (fuzz.chance(0.6)) {
            return;
        }
        String cursor = fuzz.pick(List.of("2026-10-02T00:00:00Z", "2026-10-02T00:00:01Z", "2026-11-01T00:00:00Z",
                "2026-09-30T23:55:00Z", "yesterday", "", "2026-10-02T00:05:00.5Z", "+999999999-12-31T23:59:59Z",
                fuzz.junk(fuzz.nextInt(0, 30))));
        String limit = fuzz.pick(List.of("1", "288", "1000", "1001", "0", "-1", "2.5", "99999999999999999999", "",
                "abc", fuzz.junk(3)));
        if (fuzz.chance(0.5)) {
            Map<String, String> q = new HashMap<>();
            if (fuzz.chance(0.7)) {
                q.put("cursor", cursor);
            }
            if (fuzz.chance(0.7)) {
                q.put("limit", limit);
            }
            q.put(fuzz.junk(4), fuzz.junk(4));
            e.setQueryStringParameters(q);
        } else {
            e.setRawQueryString(fuzz.chance(0.5) ? "cursor=" + cursor + "&limit=" + limit
                    : fuzz.pick(List.of("%", "cursor=%zz", "limit=5&limit=6", "&&", "=", "cursor")) + fuzz.junk(3));
        }
    }

    /** A request a correct client sends (with random month, account, route and key). */
    private APIGatewayV2HTTPEvent wellFormed() {
        String account = fuzz.pick(ACCOUNTS);
        String month = fuzz.pick(List.of("2026-10", "2026-11", "2026-09", "2026-12"));
        APIGatewayV2HTTPEvent e = switch (fuzz.nextInt(7)) {
            case 0, 1 -> fuzz.chance(0.3) ? Requests.postClaim(account, month, "k-" + fuzz.nextInt(4))
                    : Requests.postClaim(account, month);
            case 2 -> Requests.get(account, "/statements/" + month);
            case 3 -> Requests.get(account, "/vouchers");
            case 4 -> Requests.get(account, "/statements/" + month + "/revisions");
            case 5 -> {
                APIGatewayV2HTTPEvent g = Requests.get(account, "/statements/" + month + "/intervals");
                if (fuzz.chance(0.5)) {
                    g.setQueryStringParameters(Map.of("limit", Integer.toString(fuzz.nextInt(1, 20)),
                            "cursor", "2026-10-02T00:" + String.format("%02d", 5 * fuzz.nextInt(12)) + ":00Z"));
                }
                yield g;
            }
            default -> Requests.get(account, "/claims/00000000-0000-4000-8000-00000000000" + fuzz.nextInt(10));
        };
        if (fuzz.chance(0.1)) {
            HttpApiFuzz.encodeBase64(e);
        }
        return e;
    }

    private String path() {
        return switch (fuzz.nextInt(14)) {
            case 12 -> "/statements/" + fuzz.pick(MONTHS) + fuzz.pick(List.of("/intervals", "/revisions",
                    "/intervals/", "/revisions/x", "/INTERVALS", "//intervals", "/intervals?cursor=x"));
            case 13 -> "/statements/" + fuzz.junk(fuzz.nextInt(0, 12)) + "/" + fuzz.pick(List.of("intervals", "revisions"));
            case 0, 1, 2 -> "/claims";
            case 3 -> "/claims/" + (fuzz.chance(0.5) ? "00000000-0000-4000-8000-00000000000" + fuzz.nextInt(10)
                    : fuzz.hostileId());
            case 4 -> "/statements/" + fuzz.pick(MONTHS);
            case 5 -> "/vouchers";
            case 6 -> fuzz.pick(List.of("/", "", "//claims", "/claims/", "/claims//x", "/CLAIMS", "/vouchers/",
                    "/statements", "/statements/", "/claims/%2e%2e/vouchers", "/../claims", "/claims?x=1",
                    "/claims/a/b", "/statements/2026-10/x"));
            case 7 -> "/claims/" + fuzz.hostileId();
            case 8 -> "/" + fuzz.junk(fuzz.nextInt(0, 40));
            case 9 -> "/statements/" + fuzz.junk(fuzz.nextInt(0, 12));
            case 10 -> "/claims/" + fuzz.junk(1) + "\u0000";
            default -> "/x".repeat(fuzz.nextInt(1, 5000));
        };
    }

    private Map<String, String> headers() {
        Map<String, String> extra = new HashMap<>();
        if (fuzz.chance(0.3)) {
            extra.put("idempotency-key", idempotencyKey());
        }
        return fuzz.headers(extra);
    }

    private String idempotencyKey() {
        return switch (fuzz.nextInt(6)) {
            case 0 -> "k-" + fuzz.nextInt(5);
            case 1 -> "";
            case 2 -> "x".repeat(fuzz.nextInt(200, 2000));
            case 3 -> fuzz.junk(fuzz.nextInt(1, 40));
            case 4 -> " spaced key ";
            default -> "fixed-key";
        };
    }

    private String body() {
        return switch (fuzz.nextInt(10)) {
            case 0, 1, 2 -> "{\"month\":\"" + fuzz.pick(MONTHS) + "\"}";
            case 3 -> "{\"month\":\"2026-10\",\"" + fuzz.pick(List.of("accountId", "voucher", "", "month ", "\u0000"))
                    + "\":\"x\"}";
            case 4 -> fuzz.pick(List.of("{\"month\":202610}", "{\"month\":null}", "\"2026-10\"",
                    "{\"month\":[\"2026-10\"]}", "{\"month\":{\"y\":2026}}", "{\"month\":\"2026-10\",\"month\":\"2026-11\"}",
                    "{\"month\":\"2026-10\"} trailing", "{\"month\":\"2026-10\"}{}", "{'month':'2026-10'}",
                    "{\"month\":\"2026-10\"", "\uFEFF{\"month\":\"2026-10\"}", "{\"month\":\"\\ud800\"}",
                    "{\"month\":\"2026-10\\u0000\"}", " \n\t{\"month\" : \"2026-10\"}\n "));
            case 5 -> "{\"month\":\"" + "9".repeat(fuzz.nextInt(5, 5000)) + "\"}";
            case 6 -> fuzz.mutate("{\"month\":\"2026-10\"}");
            case 7, 8 -> fuzz.brokenBody();
            default -> "{\"month\":\"2026-10\"}";
        };
    }

    private APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer() {
        if (fuzz.chance(0.05)) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer a = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        if (fuzz.chance(0.03)) {
            return a; // no jwt
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        a.setJwt(jwt);
        if (fuzz.chance(0.03)) {
            return a; // no claims
        }
        Map<String, String> claims = new HashMap<>();
        claims.put("iss", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Q8xTzR2Lm");
        double p = fuzz.nextInt(100) / 100.0;
        if (p < 0.75) {
            claims.put("sub", fuzz.pick(ACCOUNTS));
        } else if (p < 0.85) {
            claims.put("sub", fuzz.junk(fuzz.nextInt(0, 200)));
        } else if (p < 0.9) {
            claims.put("sub", fuzz.pick(List.of("", " ", "a#b", "[acme globex]", "\ud800", "x".repeat(129), "acme\n")));
        } else if (p < 0.95) {
            claims.put("sub", null);
        }
        if (fuzz.chance(0.05)) {
            claims.clear();
        }
        jwt.setClaims(claims);
        return a;
    }
}
