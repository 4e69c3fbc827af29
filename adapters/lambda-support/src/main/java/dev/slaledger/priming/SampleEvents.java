package dev.slaledger.priming;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the sample events a function bundles for priming (copies of files in {@code events/},
 * made by the module's pom) into the types its handlers take. Only the fields the handlers read
 * are carried over; the Lambda runtime's own deserialiser is not in the package.
 */
public final class SampleEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEvents() {
    }

    public static byte[] bytes(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object as the runtime gives it to a {@code RequestHandler<Map<String, Object>, ...>}. */
    public static Map<String, Object> map(Class<?> anchor, String resource) {
        try {
            return JSON.readValue(bytes(anchor, resource), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SQS event: message ids and bodies. */
    public static SQSEvent sqs(Class<?> anchor, String resource) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (JsonNode r : tree(anchor, resource).path("Records")) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(r.path("messageId").asText());
            m.setBody(r.path("body").asText());
            m.setEventSource(r.path("eventSource").asText());
            messages.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    /**
     * An HTTP API (payload 2.0) event: method, path, stage, headers, body and its encoding flag, and
     * the JWT authorizer's claims when the file has them.
     */
    public static APIGatewayV2HTTPEvent httpApi(Class<?> anchor, String resource) {
        JsonNode root = tree(anchor, resource);
        JsonNode context = root.path("requestContext");
        JsonNode http = context.path("http");
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder requestContext =
                APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage(context.path("stage").isMissingNode() ? null : context.path("stage").asText())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(http.path("method").asText())
                                .withPath(http.path("path").asText())
                                .build());
        JsonNode claims = context.path("authorizer").path("jwt").path("claims");
        if (claims.isObject()) {
            requestContext.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                            .withClaims(strings(claims))
                            .build())
                    .build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(root.path("routeKey").asText())
                .withRawPath(root.path("rawPath").asText())
                .withHeaders(root.path("headers").isObject() ? strings(root.path("headers")) : null)
                .withBody(root.path("body").isNull() ? null : root.path("body").asText())
                .withIsBase64Encoded(root.path("isBase64Encoded").asBoolean(false))
                .withRequestContext(requestContext.build())
                .build();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static JsonNode tree(Class<?> anchor, String resource) {
        try {
            return JSON.readTree(bytes(anchor, resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
