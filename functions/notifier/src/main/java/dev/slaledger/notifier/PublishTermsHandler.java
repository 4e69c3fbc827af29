package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.priming.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.notifier.notice.TermsPublication;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Admin route (IAM-authorized on the HTTP API): {@code PUT /admin/terms} with a terms version
 * (D5) as body. 201 with the stored version; 400 (problem+json naming field and value) for an
 * invalid document; 422 when S6.1 refuses it (with {@code earliestEffectiveFrom}); 409 when the
 * version id is already published.
 */
public final class PublishTermsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final TermsPublication publication;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    public PublishTermsHandler() {
        this(NotifierWiring.dynamo());
    }

    private PublishTermsHandler(DynamoDbClient dynamo) {
        this(NotifierWiring.publication(dynamo), Priming.register("publish-terms", NotifierWiring.publicationPriming(dynamo)));
    }

    public PublishTermsHandler(TermsPublication publication) {
        this(publication, null);
    }

    private PublishTermsHandler(TermsPublication publication, Priming priming) {
        this.publication = publication;
        this.priming = priming;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? ""
                : event.getRequestContext().getHttp().getMethod();
        if (!"PUT".equals(method)) {
            return problem(405, "method-not-allowed", "Method not allowed", "use PUT with a D5 terms version as body");
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY) {
            return problem(413, "body-too-large", "Body too large", "at most 64 KiB");
        }
        return switch (publication.publish(body)) {
            case TermsPublication.Invalid e -> {
                ObjectNode p = problemBody(400, "invalid-terms", "Invalid terms version", e.message());
                p.put("field", e.field());
                p.put("value", e.value());
                yield response(400, "application/problem+json", p.toString(), Map.of());
            }
            case TermsPublication.TooSoon e -> {
                ObjectNode p = problemBody(422, "notice-too-short", "Not enough notice (S6.1)", e.message());
                p.put("field", e.field());
                p.put("value", e.value());
                p.put("publishDate", e.publishedOn().toString());
                p.put("earliestEffectiveFrom", e.earliestEffectiveFrom().toString());
                yield response(422, "application/problem+json", p.toString(), Map.of());
            }
            case TermsPublication.Duplicate e -> {
                ObjectNode p = problemBody(409, "version-exists", "Version already published",
                        "a terms version " + e.version() + " is already published; versions are immutable");
                p.put("field", "version");
                p.put("value", e.version());
                yield response(409, "application/problem+json", p.toString(), Map.of());
            }
            case TermsPublication.Published p -> {
                Log.info(context, "terms " + p.version().version() + " published on " + p.publishedOn()
                        + ", effective " + p.version().effectiveFrom() + ", notifier triggered: " + p.notifierTriggered());
                ObjectNode out = JSON.createObjectNode();
                out.set("terms", TermsParser.toTree(p.version()));
                out.put("publishedOn", p.publishedOn().toString());
                out.put("notifierTriggered", p.notifierTriggered());
                yield response(201, "application/json", out.toString(), Map.of("Location",
                        "/admin/terms/" + URLEncoder.encode(p.version().version(), StandardCharsets.UTF_8)));
            }
        };
    }

    private static ObjectNode problemBody(int status, String type, String title, String detail) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "https://sla-ledger.dev/problems/" + type);
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        return p;
    }

    private static APIGatewayV2HTTPResponse problem(int status, String type, String title, String detail) {
        return response(status, "application/problem+json", problemBody(status, type, title, detail).toString(),
                Map.of());
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body,
            Map<String, String> extra) {
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("Content-Type", contentType);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
    }
}
