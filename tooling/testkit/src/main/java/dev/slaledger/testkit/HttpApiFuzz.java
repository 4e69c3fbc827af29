package dev.slaledger.testkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * Seeded generator of hostile API Gateway HTTP API events (payload format 2.0), the pieces every
 * route's fuzz test builds its events from (issue 6.2 for the claims API, issue 15 for the admin
 * routes): odd and junk methods, headers and content types, missing request contexts, named
 * stages, bodies that are broken, deep, huge or binary, base64 flags right and wrong, hostile path
 * segments, and valid JSON documents mutated. A module's fuzz test adds its routes' paths, valid
 * documents and authorizer; a failure names its seed and iteration and replays exactly.
 */
public final class HttpApiFuzz {
    /** Methods right and wrong: unknown, lower-case, empty, non-ASCII. */
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "", "post", "put", "G\u00c9T", "TRACE", "CONNECT");
    public static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "APPLICATION/JSON", "application/problem+json", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "", ";", "application/json;;;", "\u0000", "*/*");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SplittableRandom random;

    public HttpApiFuzz(long seed) {
        random = new SplittableRandom(seed);
    }

    // ---------------------------------------------------------------- randomness

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public int nextInt(int origin, int bound) {
        return random.nextInt(origin, bound);
    }

    public long nextLong(long origin, long bound) {
        return random.nextLong(origin, bound);
    }

    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Random text: ASCII, controls, non-BMP, lone surrogates, separators. */
    public String junk(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(0, 32));
                case 1 -> b.append((char) random.nextInt(0xD800, 0xE000)); // surrogates, often unpaired
                case 2 -> b.appendCodePoint(random.nextInt(0x1F300, 0x1F6FF));
                case 3 -> {
                    String sep = "#/%?&=\"'\\{}[]:,";
                    b.append(sep.charAt(random.nextInt(sep.length())));
                }
                default -> b.append((char) random.nextInt(32, 127));
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- event parts

    /** Mostly one of the route's methods ({@code usual}), else an odd one, junk, or none. */
    public String method(List<String> usual) {
        return chance(0.7) ? pick(usual) : chance(0.1) ? null : chance(0.5) ? pick(METHODS) : junk(8);
    }

    /**
     * Headers: sometimes none at all; otherwise a random content type (under either case of its
     * name), {@code extra} headers a route reads (each kept with probability 0.7, its name
     * sometimes capitalised) and a few junk headers, some with a null value.
     */
    public Map<String, String> headers(Map<String, String> extra) {
        if (chance(0.05)) {
            return null;
        }
        Map<String, String> h = new HashMap<>();
        if (chance(0.7)) {
            h.put(chance(0.8) ? "content-type" : "Content-Type", pick(CONTENT_TYPES));
        }
        extra.forEach((name, value) -> {
            if (chance(0.7)) {
                h.put(chance(0.8) ? name : name.toUpperCase(Locale.ROOT), value);
            }
        });
        int junkHeaders = random.nextInt(0, 4);
        for (int i = 0; i < junkHeaders; i++) {
            h.put(junk(random.nextInt(1, 20)), chance(0.1) ? null : junk(random.nextInt(0, 50)));
        }
        return h;
    }

    /**
     * An event around the given parts as a careless or hostile client (or a misconfigured
     * integration) might deliver it: sometimes without request context, or without its
     * {@code http} member; sometimes under a named stage, with or without the stage's path prefix;
     * sometimes without {@code rawPath}. Its body is then flagged base64 at random ({@link #base64}).
     */
    public APIGatewayV2HTTPEvent event(String method, String path, Map<String, String> headers, String body) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        if (!chance(0.02)) {
            e.setRequestContext(ctx);
        }
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        if (!chance(0.02)) {
            ctx.setHttp(http);
        }
        http.setMethod(method);
        if (chance(0.1)) {
            ctx.setStage(chance(0.5) ? "prod" : junk(5));
            path = chance(0.5) ? "/" + ctx.getStage() + path : path;
        } else {
            ctx.setStage("$default");
        }
        e.setRawPath(chance(0.03) ? null : path);
        http.setPath(path);
        e.setHeaders(headers);
        e.setBody(body);
        e.setIsBase64Encoded(false);
        base64(e);
        return e;
    }

    /**
     * Base64 flags at random: the body encoded and flagged (as API Gateway sends binary media),
     * flagged but left as it is (mostly not base64, or base64 of something else), or replaced by
     * random bytes, encoded and flagged.
     */
    public void base64(APIGatewayV2HTTPEvent e) {
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
    }

    /** Encodes the body of a well-formed event as API Gateway does for binary media, flagging it. */
    public static void encodeBase64(APIGatewayV2HTTPEvent e) {
        e.setIsBase64Encoded(true);
        if (e.getBody() != null) {
            e.setBody(Base64.getEncoder().encodeToString(e.getBody().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * A path segment or id no valid resource has: empty, blank, separators, very long (past
     * DynamoDB's 1 KB key limit), junk, control characters, percent-encoded, non-ASCII.
     */
    public String hostileId() {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> pick(List.of(" ", "\t", "#", "/", "..", "%2F", "%00", "a b", "null", "\u0000"));
            case 2 -> "9".repeat(random.nextInt(60, 3000));
            case 3 -> junk(random.nextInt(1, 40));
            case 4 -> junk(1) + "\u0000";
            case 5 -> "x".repeat(random.nextInt(1020, 1100));
            case 6 -> "\u00e9t\u00e9-" + random.nextInt(100);
            case 7 -> "id#" + random.nextInt(100);
            case 8 -> "\ud800";
            default -> "id-" + random.nextInt(100);
        };
    }

    // ---------------------------------------------------------------- bodies

    /**
     * A body derived from no valid document: none, empty, junk, JSON that is not an object,
     * broken JSON, deep nesting, long keys, a body of 1 MB.
     */
    public String brokenBody() {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> pick(List.of("{}", "[]", "null", "true", "1e99999", "-0", "\"text\"", "{'a':1}", "{\"a\":1",
                    "{\"a\":1} trailing", "{}{}", "\uFEFF{}", "{\"\\ud800\":1}", "{\"a\":\"\\u0000\"}", " \n\t ",
                    "{\"a\":1,\"a\":2}", "[{}]", "{\"a\":[1,2,}"));
            case 3 -> "[".repeat(random.nextInt(100, 20000));
            case 4 -> "{\"a\":".repeat(random.nextInt(100, 3000));
            case 5 -> junk(random.nextInt(0, 200));
            case 6 -> "{\"" + junk(random.nextInt(1, 100)) + "\":1}";
            case 7 -> "{\"" + "k".repeat(random.nextInt(1000, 20000)) + "\":1}";
            case 8 -> "x".repeat(random.nextInt(1_000_000, 1_100_000));
            case 9 -> "{\"pad\":\"" + "p".repeat(random.nextInt(16000, 70000)) + "\"}";
            case 10 -> "1".repeat(random.nextInt(1, 2000));
            default -> "{\"a\":" + "9".repeat(random.nextInt(100, 5000)) + "}";
        };
    }

    /**
     * A valid JSON document ({@code json}) mutated once or more: a member removed, its value
     * replaced by another type, an odd value or a huge one, an unknown member added, a key
     * duplicated; or the text truncated, a character changed, junk inserted, trailing data.
     */
    public String mutate(String json) {
        int rounds = 1 + (chance(0.3) ? random.nextInt(1, 4) : 0);
        String text = json;
        for (int r = 0; r < rounds; r++) {
            text = chance(0.7) ? mutateTree(text) : mutateText(text);
        }
        return text;
    }

    private String mutateText(String text) {
        if (text.isEmpty()) {
            return junk(5);
        }
        int at = random.nextInt(text.length() + 1);
        return switch (random.nextInt(7)) {
            case 0 -> text.substring(0, at);
            case 1 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text + "}";
            case 2 -> text.substring(0, at) + junk(random.nextInt(1, 6)) + text.substring(at);
            case 3 -> at < text.length() ? text.substring(0, at) + pick(List.of("\"", "{", "}", "[", "]", ",", ":",
                    "\\", "0", " ")) + text.substring(at + 1) : text;
            case 4 -> text + pick(List.of(" trailing", "{}", ",", "]", "\u0000"));
            case 5 -> text.replaceFirst("\\{", Matcher.quoteReplacement("{\"" + junk(3).replace("\"", "") + "\":1,"));
            default -> text.repeat(2);
        };
    }

    private String mutateTree(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return mutateText(text);
        }
        if (root == null || !root.isContainerNode() || root.isEmpty()) {
            return mutateText(text);
        }
        if (chance(0.1)) {
            // a duplicate key, as text: Jackson's tree has no room for one
            String name = root.isObject() ? root.fieldNames().next() : "a";
            return text.replaceFirst("\\{", Matcher.quoteReplacement("{" + quoted(name) + ":" + oddValue() + ","));
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = pick(containers);
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int what = random.nextInt(3);
            if (what == 0 && !names.isEmpty()) {
                o.remove(pick(names));
            } else if (what == 1 && !names.isEmpty()) {
                o.set(pick(names), oddValue());
            } else {
                o.set(chance(0.5) ? junk(random.nextInt(1, 12)) : pick(List.of("id", "version", "extra", "",
                        "accounts", "start")), oddValue());
            }
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || chance(0.5)) {
                a.add(oddValue());
            } else {
                a.set(random.nextInt(a.size()), oddValue());
            }
        }
        return root.toString();
    }

    private static String quoted(String text) {
        return JsonNodeFactory.instance.textNode(text).toString();
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    /** A value of another type, or an odd one of the usual types. */
    private JsonNode oddValue() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(chance(0.5));
            case 2 -> f.numberNode(random.nextLong());
            case 3 -> f.numberNode(new BigDecimal("1e" + random.nextInt(-400, 400)));
            case 4 -> f.numberNode(-0.0);
            case 5 -> f.textNode("");
            case 6 -> f.textNode(junk(random.nextInt(1, 30)));
            case 7 -> f.textNode("x".repeat(random.nextInt(200, 20000)));
            case 8 -> f.arrayNode();
            case 9 -> f.objectNode();
            case 10 -> f.arrayNode().add(junk(4)).add(1);
            case 11 -> f.textNode(pick(List.of("2026-10-03T02:00:00Z", "2026-13-01T00:00:00Z", "2026-10-03",
                    "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
                    "2026-10-03T02:00:00+02:00", "9999-12-31", "0000-01-01", "2026-02-30")));
            case 12 -> f.textNode(pick(List.of("99.95", "100", "-1", "0", "1e3", "NaN", "Infinity", "0.0000001",
                    "99999999999999999999", "UTC", "Europe/Paris", "Mars/Olympus", "+14:00", "-12:00")));
            default -> f.numberNode(random.nextInt(-5, 400));
        };
    }

    // ---------------------------------------------------------------- checks

    /**
     * Sends {@code iterations} events of {@code events} to {@code handler}, each answer checked against
     * the OpenAPI contract ({@link ApiContract#checked}) and by {@link #assertAnswer}; returns how many
     * answers fell in each status class (index 2: 2xx, 4: 4xx).
     */
    public static int[] run(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
            Supplier<APIGatewayV2HTTPEvent> events, int iterations, String problemTypeBase, String where) {
        int[] byClass = new int[6];
        for (int i = 0; i < iterations; i++) {
            APIGatewayV2HTTPEvent event = events.get();
            APIGatewayV2HTTPResponse r = ApiContract.checked(event, handler.apply(event));
            assertAnswer(r, problemTypeBase, where + " iteration " + i);
            byClass[r.getStatusCode() / 100]++;
        }
        return byClass;
    }

    /**
     * What every answer of every route must be, whatever it was sent: below 500; a 4xx is an
     * RFC 9457 problem ({@code application/problem+json}) whose {@code type} starts with
     * {@code problemTypeBase} and whose {@code status} is the response's; a 2xx body is JSON, or
     * none. Fails with an AssertionError naming {@code where} (seed and iteration).
     */
    public static void assertAnswer(APIGatewayV2HTTPResponse r, String problemTypeBase, String where) {
        int status = r.getStatusCode();
        if (status < 200 || status >= 500) {
            throw new AssertionError(where + ": status " + status + ", body " + r.getBody());
        }
        Map<String, String> headers = r.getHeaders() == null ? Map.of() : r.getHeaders();
        if (status >= 400) {
            if (!"application/problem+json".equals(headers.get("Content-Type"))) {
                throw new AssertionError(where + ": " + status + " is not application/problem+json: " + headers);
            }
            JsonNode p = json(r, where);
            if (p == null || !p.path("type").asText("").startsWith(problemTypeBase)
                    || p.path("type").asText("").length() == problemTypeBase.length()) {
                throw new AssertionError(where + ": the problem has no type under " + problemTypeBase + ": " + r.getBody());
            }
            if (p.path("status").asInt() != status) {
                throw new AssertionError(where + ": problem status " + p.path("status") + " != " + status);
            }
            if (p.path("title").asText("").isBlank()) {
                throw new AssertionError(where + ": the problem has no title: " + r.getBody());
            }
        } else if (r.getBody() != null) {
            json(r, where);
        }
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r, String where) {
        try {
            return JSON.readTree(r.getBody());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AssertionError(where + ": the body is not JSON: " + r.getBody(), e);
        }
    }
}
