package dev.slaledger.testkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.slaledger.emulators.SesEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The HTTP API's contract, {@code docs/openapi.yaml} (OpenAPI 3.1, the one source: issue 31 item 2),
 * checked against every response the integration tests receive from an HTTP handler: its status
 * must be documented for the operation, its {@code Content-Type} one the spec names, and its body
 * valid against the schema (JSON Schema 2020-12, networknt json-schema-validator). A request API
 * Gateway would never route to the handler (an unknown path or method) is answered by API Gateway
 * itself; the handler's own answer to one is only held to "not a 5xx".
 *
 * <p>{@code ApiContract.get().check(event, response)}; {@link #violations} for the contract's own tests.
 */
public final class ApiContract {
    /** The base IRI the spec is registered under (its {@code $ref}s resolve inside it). */
    static final String IRI = "https://sla-ledger.dev/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiContract instance;

    private final JsonNode spec;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Pattern> templates = new LinkedHashMap<>();

    ApiContract(String yaml) {
        spec = new YAMLMapper().readTree(yaml);
        String json = spec.toString();
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(IRI, json)));
        for (Iterator<String> it = spec.path("paths").propertyNames().iterator(); it.hasNext();) {
            String path = it.next();
            templates.put(path, Pattern.compile("^" + path.replaceAll("\\{[^/]+}", "[^/]+") + "$"));
        }
    }

    /** The contract of this checkout ({@code docs/openapi.yaml} under the repository root). */
    public static synchronized ApiContract get() {
        if (instance == null) {
            Path file = SesEmulator.repoRoot().resolve("docs").resolve("openapi.yaml");
            try {
                instance = new ApiContract(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the API contract " + file, e);
            }
        }
        return instance;
    }

    /** Every operation of the spec as {@code METHOD /path/{param}}. */
    public Set<String> operations() {
        Set<String> out = new TreeSet<>();
        templates.keySet().forEach(path -> spec.path("paths").path(path).propertyNames().forEach(m -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(m)) {
                out.add(m.toUpperCase(Locale.ROOT) + " " + path);
            }
        }));
        return out;
    }

    /** Fails the test with every way {@code response} breaks the contract for {@code event}. */
    public void check(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
        List<String> violations = violations(method(event), path(event), response.getStatusCode(),
                response.getHeaders() == null ? Map.of() : response.getHeaders(), response.getBody());
        if (!violations.isEmpty()) {
            throw new AssertionError("response breaks docs/openapi.yaml: " + violations + "\n  request "
                    + method(event) + " " + path(event) + "\n  response " + response.getStatusCode() + " "
                    + response.getHeaders() + " " + response.getBody());
        }
    }

    /** The response as the handler answered it, after checking it (for {@code return ApiContract.checked(e, r)}). */
    public static APIGatewayV2HTTPResponse checked(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
        get().check(event, response);
        return response;
    }

    public List<String> violations(String method, String path, int status, Map<String, String> headers, String body) {
        List<String> out = new ArrayList<>();
        Optional<String> template = template(path);
        JsonNode operation = template.map(t -> spec.path("paths").path(t).path(method.toLowerCase(Locale.ROOT)))
                .filter(JsonNode::isObject).orElse(null);
        String contentType = header(headers, "Content-Type").map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT))
                .orElse(null);
        if (operation == null) {
            // API Gateway answers a request without a route itself (404), so what a handler answers to
            // one (a fuzz test sends it straight to the handler) is never seen by a client: only a
            // 5xx is held against it, as the fuzz tests do
            if (status / 100 == 5) {
                out.add(method + " " + path + " is no route of the spec and was answered " + status);
            }
            return out;
        }
        String pointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses";
        JsonNode responses = operation.path("responses");
        String key = responses.has(Integer.toString(status)) ? Integer.toString(status)
                : responses.has(status / 100 + "XX") ? status / 100 + "XX" : responses.has("default") ? "default" : null;
        if (key == null) {
            out.add("status " + status + " is not documented for " + method + " " + template.get());
            return out;
        }
        pointer += "/" + key;
        JsonNode response = responses.path(key);
        if (response.has("$ref")) {
            pointer = response.get("$ref").asString().substring(1);
            response = spec.at(pointer);
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                out.add("status " + status + " of " + method + " " + template.get() + " has no content in the spec, got a body");
            }
            return out;
        }
        if (contentType == null || !content.has(contentType)) {
            out.add("Content-Type " + contentType + " is not one of " + content.propertyNames() + " for " + status
                    + " of " + method + " " + template.get());
            return out;
        }
        validateBody(out, "#" + pointer + "/content/" + escape(contentType) + "/schema", contentType, contentType, body);
        return out;
    }

    private void validateBody(List<String> out, String schemaPointer, String contentType, String expectedType,
            String body) {
        if (contentType == null || !contentType.equals(expectedType)) {
            out.add("Content-Type " + contentType + ", expected " + expectedType);
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (RuntimeException e) {
            out.add("body is not JSON: " + e.getMessage());
            return;
        }
        if (node == null || node.isMissingNode()) {
            out.add("empty body, expected " + expectedType);
            return;
        }
        for (Error e : schema(schemaPointer).validate(node)) {
            out.add(e.toString());
        }
    }

    /** The schema at a pointer of the spec ({@code #/components/schemas/Claim}). */
    Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + p)));
    }

    /** Every example of the spec valid against its schema (the spec's own test). */
    public List<String> exampleViolations() {
        List<String> out = new ArrayList<>();
        collectExamples(spec, "", out);
        return out;
    }

    private void collectExamples(JsonNode node, String pointer, List<String> out) {
        if (node.isObject()) {
            if (node.has("schema") && node.get("schema").isObject()) {
                String schemaPointer = "#" + pointer + "/schema";
                if (node.has("example")) {
                    validate(out, schemaPointer, node.get("example"), pointer + "/example");
                }
                JsonNode examples = node.path("examples");
                for (Iterator<String> it = examples.propertyNames().iterator(); it.hasNext();) {
                    String name = it.next();
                    JsonNode example = examples.get(name);
                    if (example.has("$ref")) {
                        example = spec.at(example.get("$ref").asString().substring(1));
                    }
                    validate(out, schemaPointer, example.path("value"), pointer + "/examples/" + name);
                }
            }
            for (Iterator<String> it = node.propertyNames().iterator(); it.hasNext();) {
                String name = it.next();
                collectExamples(node.get(name), pointer + "/" + escape(name), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectExamples(node.get(i), pointer + "/" + i, out);
            }
        }
    }

    private void validate(List<String> out, String schemaPointer, JsonNode value, String where) {
        if (value.isMissingNode()) {
            out.add(where + ": no value");
            return;
        }
        for (Error e : schema(schemaPointer).validate(value)) {
            out.add(where + ": " + e);
        }
    }

    /** The spec's path template a request path falls under. */
    Optional<String> template(String path) {
        return templates.entrySet().stream().filter(e -> e.getValue().matcher(path).matches()).map(Map.Entry::getKey)
                .findFirst();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static Optional<String> header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst();
    }

    static String method(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return "?"; // a fuzz test's null event: no route; the handler must refuse it with a 4xx problem
        }
        if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                && event.getRequestContext().getHttp().getMethod() != null) {
            return event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
        }
        String routeKey = event.getRouteKey();
        return routeKey != null && routeKey.contains(" ") ? routeKey.substring(0, routeKey.indexOf(' ')) : "?";
    }

    /** The request's path without a named stage's prefix (API Gateway routes after stripping it). */
    static String path(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return "";
        }
        String path = event.getRawPath();
        if (path == null && event.getRequestContext() != null && event.getRequestContext().getHttp() != null) {
            path = event.getRequestContext().getHttp().getPath();
        }
        if (path == null) {
            return "";
        }
        String stage = event.getRequestContext() == null ? null : event.getRequestContext().getStage();
        if (stage != null && !stage.equals("$default") && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        return path;
    }
}
