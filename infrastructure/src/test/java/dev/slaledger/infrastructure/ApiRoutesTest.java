package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Issue 31 item 2: the HTTP API the CDK app deploys has exactly the routes of docs/openapi.yaml. */
class ApiRoutesTest {
    private static JsonNode spec() throws Exception {
        Path file = Path.of(System.getProperty(FunctionPackages.ROOT_PROPERTY, ".."), "docs", "openapi.yaml");
        return new YAMLMapper().readTree(Files.readString(file));
    }

    /** METHOD /path -> the security scheme the spec names (jwt by default, iam where the operation says). */
    private static Map<String, String> specRoutes() throws Exception {
        JsonNode spec = spec();
        Map<String, String> out = new TreeMap<>();
        for (String path : spec.get("paths").propertyNames()) {
            JsonNode item = spec.get("paths").get(path);
            for (String method : item.propertyNames()) {
                JsonNode op = item.get(method);
                JsonNode security = op.has("security") ? op.get("security") : spec.get("security");
                out.put(method.toUpperCase(Locale.ROOT) + " " + path,
                        security.get(0).propertyNames().iterator().next());
            }
        }
        return out;
    }

    @Test
    @DisplayName("issue 31 item 2: the deployed routes equal the spec's operations, JWT where the spec says jwt, IAM where it says iam")
    void routesEqualTheSpec() throws Exception {
        Map<String, String> deployed = new TreeMap<>();
        for (Map<String, Object> route : Synth.get().app.findResources("AWS::ApiGatewayV2::Route").values()) {
            Map<String, Object> p = DataStackTest.properties(route);
            String auth = String.valueOf(p.get("AuthorizationType"));
            deployed.put(String.valueOf(p.get("RouteKey")), auth.equals("JWT") ? "jwt" : auth.equals("AWS_IAM") ? "iam" : auth);
        }
        assertThat(deployed).isEqualTo(specRoutes());
    }

    @Test
    @DisplayName("every operation answers problem+json for its errors and has an example for every success body")
    void everyOperationIsDocumented() throws Exception {
        JsonNode spec = spec();
        Set<String> missing = new TreeSet<>();
        for (String path : spec.get("paths").propertyNames()) {
            for (String method : spec.get("paths").get(path).propertyNames()) {
                JsonNode responses = spec.get("paths").get(path).get(method).get("responses");
                for (String status : responses.propertyNames()) {
                    JsonNode r = responses.get(status);
                    if (r.has("$ref")) {
                        r = spec.at(r.get("$ref").asString().substring(1));
                    }
                    if (status.startsWith("4") || status.startsWith("5")) {
                        if (!r.path("content").has("application/problem+json")) {
                            missing.add(method + " " + path + " " + status + ": no problem+json");
                        }
                    }
                    for (String media : r.path("content").propertyNames()) {
                        if (!r.get("content").get(media).has("examples")) {
                            missing.add(method + " " + path + " " + status + " " + media + ": no example");
                        }
                    }
                }
                JsonNode body = spec.get("paths").get(path).get(method).path("requestBody").path("content");
                for (String media : body.propertyNames()) {
                    if (!body.get(media).has("examples")) {
                        missing.add(method + " " + path + " request " + media + ": no example");
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
