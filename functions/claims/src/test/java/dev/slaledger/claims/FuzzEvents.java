package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generator of hostile HTTP API events: random and mutated methods, paths, headers,
 * bodies (broken, deep, huge, binary, wrongly base64-flagged) and authorizer contexts, mixed with
 * well-formed requests so that the valid paths are exercised between the broken ones.
 */
final class FuzzEvents {
    static final List<String> ACCOUNTS = List.of("acme", "globex", "paid", "initech");
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "", "post",
        "G\u00c9T", "TRACE", "CONNECT"};
    private static final String[] MONTHS = {"2026-10", "2026-11", "2026-09", "2026-13", "2026-00", "1999-12",
        "0000-01", "9999-12", "2026-1", "26-10", "2026-10-01", "\u0662\u0660\u0662\u0666-\u0661\u0660", " 2026-10",
        "2026\u221210", "", "null"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "APPLICATION/JSON", "application/problem+json", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "", ";", "application/json;;;", "\u0000", "*/*"};

    private final SplittableRandom random;

    FuzzEvents(long seed) {
        random = new SplittableRandom(seed);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    Instant instant() {
        return Instant.parse("2026-10-15T00:00:00Z").plusSeconds(random.nextLong(0, 120L * 86400));
    }

    APIGatewayV2HTTPEvent next() {
        if (chance(0.3)) {
            return wellFormed();
        }
        if (chance(0.005)) {
            return null;
        }
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        if (!chance(0.02)) {
            e.setRequestContext(ctx);
        }
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        if (!chance(0.02)) {
            ctx.setHttp(http);
        }
        http.setMethod(chance(0.7) ? (chance(0.6) ? "POST" : "GET") : chance(0.1) ? null
                : chance(0.5) ? pick(METHODS) : junk(8));
        String path = path();
        if (chance(0.1)) {
            ctx.setStage(chance(0.5) ? "prod" : junk(5));
            path = chance(0.5) ? "/" + ctx.getStage() + path : path;
        } else {
            ctx.setStage("$default");
        }
        e.setRawPath(chance(0.03) ? null : path);
        http.setPath(path);
        e.setHeaders(headers());
        e.setBody(body());
        e.setIsBase64Encoded(false);
        if (chance(0.15)) {
            e.setIsBase64Encoded(true);
            if (e.getBody() != null && chance(0.7)) {
                e.setBody(Base64.getEncoder().encodeToString(e.getBody().getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (chance(0.05)) {
            e.setIsBase64Encoded(true);
            byte[] bytes = new byte[random.nextInt(0, 64)];
            random.nextBytes(bytes);
            e.setBody(Base64.getEncoder().encodeToString(bytes));
        }
        ctx.setAuthorizer(authorizer());
        return e;
    }

    /** A request a correct client sends (with random month, account, route and key). */
    private APIGatewayV2HTTPEvent wellFormed() {
        String account = pick(ACCOUNTS);
        String month = pick(List.of("2026-10", "2026-11", "2026-09", "2026-12"));
        APIGatewayV2HTTPEvent e = switch (random.nextInt(5)) {
            case 0, 1 -> chance(0.3) ? Requests.postClaim(account, month, "k-" + random.nextInt(4))
                    : Requests.postClaim(account, month);
            case 2 -> Requests.get(account, "/statements/" + month);
            case 3 -> Requests.get(account, "/vouchers");
            default -> Requests.get(account, "/claims/00000000-0000-4000-8000-00000000000" + random.nextInt(10));
        };
        if (chance(0.1)) {
            e.setIsBase64Encoded(true);
            e.setBody(e.getBody() == null ? null
                    : Base64.getEncoder().encodeToString(e.getBody().getBytes(StandardCharsets.UTF_8)));
        }
        return e;
    }

    private String path() {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> "/claims";
            case 3 -> "/claims/" + (chance(0.5) ? "00000000-0000-4000-8000-00000000000" + random.nextInt(10) : junk(20));
            case 4 -> "/statements/" + pick(MONTHS);
            case 5 -> "/vouchers";
            case 6 -> pick(List.of("/", "", "//claims", "/claims/", "/claims//x", "/CLAIMS", "/vouchers/",
                    "/statements", "/statements/", "/claims/%2e%2e/vouchers", "/../claims", "/claims?x=1",
                    "/claims/a/b", "/statements/2026-10/x"));
            case 7 -> "/claims/" + "9".repeat(random.nextInt(60, 3000));
            case 8 -> "/" + junk(random.nextInt(0, 40));
            case 9 -> "/statements/" + junk(random.nextInt(0, 12));
            case 10 -> "/claims/" + junk(1) + "\u0000";
            default -> "/x".repeat(random.nextInt(1, 5000));
        };
    }

    private Map<String, String> headers() {
        if (chance(0.05)) {
            return null;
        }
        Map<String, String> h = new HashMap<>();
        if (chance(0.7)) {
            h.put(chance(0.8) ? "content-type" : "Content-Type", pick(CONTENT_TYPES));
        }
        if (chance(0.3)) {
            h.put(chance(0.8) ? "idempotency-key" : "Idempotency-Key", idempotencyKey());
        }
        int extra = random.nextInt(0, 4);
        for (int i = 0; i < extra; i++) {
            h.put(junk(random.nextInt(1, 20)), chance(0.1) ? null : junk(random.nextInt(0, 50)));
        }
        return h;
    }

    private String idempotencyKey() {
        return switch (random.nextInt(6)) {
            case 0 -> "k-" + random.nextInt(5);
            case 1 -> "";
            case 2 -> "x".repeat(random.nextInt(200, 2000));
            case 3 -> junk(random.nextInt(1, 40));
            case 4 -> " spaced key ";
            default -> "fixed-key";
        };
    }

    private String body() {
        return switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> "";
            case 2, 3, 4 -> "{\"month\":\"" + pick(MONTHS) + "\"}";
            case 5 -> "{\"month\":\"2026-10\",\"" + pick(List.of("accountId", "voucher", "", "month ", "\u0000"))
                    + "\":\"x\"}";
            case 6 -> pick(List.of("{\"month\":202610}", "{\"month\":null}", "{}", "[]", "null", "true", "1e99999",
                    "\"2026-10\"", "{\"month\":[\"2026-10\"]}", "{\"month\":{\"y\":2026}}",
                    "{\"month\":\"2026-10\",\"month\":\"2026-11\"}", "{\"month\":\"2026-10\"} trailing",
                    "{\"month\":\"2026-10\"}{}", "{'month':'2026-10'}", "{\"month\":\"2026-10\"", "\uFEFF{\"month\":\"2026-10\"}",
                    "{\"month\":\"\\ud800\"}", "{\"month\":\"2026-10\\u0000\"}"));
            case 7 -> "[".repeat(random.nextInt(100, 20000));
            case 8 -> "{\"a\":".repeat(random.nextInt(100, 3000));
            case 9 -> "{\"month\":\"2026-10\",\"pad\":\"" + "p".repeat(random.nextInt(16000, 70000)) + "\"}";
            case 10 -> junk(random.nextInt(0, 200));
            case 11 -> "{\"month\":\"" + "9".repeat(random.nextInt(5, 5000)) + "\"}";
            case 12 -> "{\"" + junk(random.nextInt(1, 100)) + "\":1}";
            case 13 -> " \n\t{\"month\" : \"2026-10\"}\n ";
            case 14 -> "x".repeat(random.nextInt(1_000_000, 1_100_000));
            default -> "{\"month\":\"2026-10\"}";
        };
    }

    private APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer() {
        if (chance(0.05)) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer a = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        if (chance(0.03)) {
            return a; // no jwt
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        a.setJwt(jwt);
        if (chance(0.03)) {
            return a; // no claims
        }
        Map<String, String> claims = new HashMap<>();
        claims.put("iss", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Q8xTzR2Lm");
        double p = random.nextDouble();
        if (p < 0.75) {
            claims.put("sub", pick(ACCOUNTS));
        } else if (p < 0.85) {
            claims.put("sub", junk(random.nextInt(0, 200)));
        } else if (p < 0.9) {
            claims.put("sub", pick(List.of("", " ", "a#b", "[acme globex]", "\ud800", "x".repeat(129), "acme\n")));
        } else if (p < 0.95) {
            claims.put("sub", null);
        }
        if (chance(0.05)) {
            claims.clear();
        }
        jwt.setClaims(claims);
        return a;
    }

    /** Random text: ASCII, controls, non-BMP, lone surrogates, separators. */
    String junk(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(0, 32));
                case 1 -> b.append((char) random.nextInt(0xD800, 0xE000)); // surrogates, often unpaired
                case 2 -> b.appendCodePoint(random.nextInt(0x1F300, 0x1F6FF));
                case 3 -> { String sep = "#/%?&=\"'\\{}[]:,"; b.append(sep.charAt(random.nextInt(sep.length()))); }
                default -> b.append((char) random.nextInt(32, 127));
            }
        }
        return b.toString();
    }
}
