package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.lambda.http.ApiRequest;
import dev.slaledger.lambda.http.ApiResponse;
import dev.slaledger.lambda.http.HttpApi;
import dev.slaledger.lambda.http.ProblemJson;
import dev.slaledger.lambda.http.RequestBody;
import dev.slaledger.notifier.notice.TermsPublication;
import dev.slaledger.priming.Priming;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admin route (IAM-authorized on the HTTP API): {@code PUT /admin/terms} with a terms version
 * (D5) as body. 201 with the stored version; 400 (problem+json naming field and value) for an
 * invalid document; 422 when S6.1 refuses it, or S9.4 (its notices cannot all go out at the SES
 * quota at least noticeDays before effectiveFrom, with a spare day), both naming the earliest
 * feasible {@code earliestEffectiveFrom}; 409 when the version id is already published.
 */
public final class PublishTermsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final TermsPublication publication;

    public PublishTermsHandler() {
        this(NotifierWiring.fromEnvironment());
    }

    private PublishTermsHandler(NotifierWiring wiring) {
        this(wiring.publication());
        Priming.register("publish-terms", wiring.publicationPriming());
    }

    public PublishTermsHandler(TermsPublication publication) {
        this.publication = publication;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, request -> handle(request, context));
    }

    ApiResponse handle(ApiRequest request, Context context) {
        if (!"PUT".equals(request.method())) {
            return ProblemJson.response(405, "method-not-allowed", "Method not allowed",
                    "use PUT with a D5 terms version as body", Map.of(), Map.of("Allow", "PUT"));
        }
        RequestBody.Result body = RequestBody.text(request, MAX_BODY);
        if (!body.ok()) {
            return body.problem();
        }
        return switch (publication.publish(body.text())) {
            case TermsPublication.Invalid e -> ProblemJson.response(400, "invalid-terms", "Invalid terms version",
                    e.message(), fieldAndValue(e.field(), e.value()), Map.of());
            case TermsPublication.TooSoon e -> {
                Map<String, String> ext = new LinkedHashMap<>(fieldAndValue(e.field(), e.value()));
                ext.put("publishDate", e.publishedOn().toString());
                ext.put("earliestEffectiveFrom", e.earliestEffectiveFrom().toString());
                yield ProblemJson.response(422, "notice-too-short", "Not enough notice (S6.1)", e.message(), ext,
                        Map.of());
            }
            case TermsPublication.Infeasible e -> {
                Map<String, String> ext = new LinkedHashMap<>(fieldAndValue("effectiveFrom", e.value()));
                ext.put("publishDate", e.publishedOn().toString());
                e.earliestEffectiveFrom().ifPresent(d -> ext.put("earliestEffectiveFrom", d.toString()));
                ext.put("notices", Long.toString(e.notices()));
                ext.put("noticesPerHour", Long.toString(e.hourCap()));
                e.lastNoticeOn().ifPresent(d -> ext.put("lastNoticeOn", d.toString()));
                yield ProblemJson.response(422, "notices-not-feasible",
                        "Notices cannot all be sent in time at the sending quota (S9.4)", e.message(), ext, Map.of());
            }
            case TermsPublication.Duplicate e -> ProblemJson.response(409, "version-exists",
                    "Version already published",
                    "a terms version " + e.version() + " is already published; versions are immutable",
                    fieldAndValue("version", e.version()), Map.of());
            case TermsPublication.Published p -> {
                JsonLog.info(context, "terms " + p.version().version() + " published on " + p.publishedOn()
                        + ", effective " + p.version().effectiveFrom() + ", notifier triggered: "
                        + p.notifierTriggered());
                ObjectNode out = JSON.createObjectNode();
                out.set("terms", termsTree(p.version()));
                out.put("publishedOn", p.publishedOn().toString());
                out.put("notifierTriggered", p.notifierTriggered());
                yield new ApiResponse(201, Map.of("Content-Type", "application/json", "Location",
                        "/admin/terms/" + URLEncoder.encode(p.version().version(), StandardCharsets.UTF_8)),
                        out.toString());
            }
        };
    }

    /** {@code field} and {@code value} members; a null value (an absent field) is left out. */
    /** The version's canonical form (D5) as a tree, to answer it inside the response's object. */
    private static JsonNode termsTree(TermsVersion version) {
        try {
            return JSON.readTree(TermsParser.toJson(version));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the canonical form of a version is JSON", e);
        }
    }

    private static Map<String, String> fieldAndValue(String field, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        if (value != null) {
            m.put("value", value);
        }
        return m;
    }
}
