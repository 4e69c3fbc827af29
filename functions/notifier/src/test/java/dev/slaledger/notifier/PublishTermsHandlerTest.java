package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.notice.TermsPublication;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishTermsHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final List<String> triggered = new ArrayList<>();
    private final List<String> triggerFailures = new ArrayList<>();

    private PublishTermsHandler handler(String now) {
        return new PublishTermsHandler(new TermsPublication(terms, v -> triggered.add(v.version()),
                Clock.fixed(Instant.parse(now), ZoneOffset.UTC), (v, e) -> triggerFailures.add(v.version())));
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    @Test
    @DisplayName("S6.1: a version taking effect 30+ days after the publish date is stored (201) and the notifier is triggered")
    void publishes() throws Exception {
        APIGatewayV2HTTPResponse response = handler("2026-11-02T09:00:00Z").handleRequest(Fixtures.putTermsEvent(), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).containsEntry("Location", "/admin/terms/2027-01");
        assertThat(body(response).path("publishedOn").asText()).isEqualTo("2026-11-02");
        assertThat(body(response).path("terms").path("commitment").asText()).isEqualTo("99.95");
        assertThat(terms.published()).extracting(TermsVersion::version).containsExactly("2026-01", "2027-01");
        assertThat(triggered).containsExactly("2027-01");
    }

    @Test
    @DisplayName("S6.1: effectiveFrom sooner than noticeDays after the publish date is refused with 422 and the earliest allowed date")
    void tooSoon() throws Exception {
        // 2026-12-02T16:30Z is already 2026-12-03 in Asia/Shanghai, the new version's zone: 2027-01-01 < 2027-01-02
        APIGatewayV2HTTPResponse response = handler("2026-12-02T16:30:00Z").handleRequest(Fixtures.putTermsEvent(), null);

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.path("field").asText()).isEqualTo("effectiveFrom");
        assertThat(problem.path("value").asText()).isEqualTo("2027-01-01");
        assertThat(problem.path("publishDate").asText()).isEqualTo("2026-12-03");
        assertThat(problem.path("earliestEffectiveFrom").asText()).isEqualTo("2027-01-02");
        assertThat(terms.published()).hasSize(1);
        assertThat(triggered).isEmpty();
    }

    @Test
    @DisplayName("S6.1: exactly noticeDays ahead is allowed")
    void exactlyThirtyDays() {
        assertThat(handler("2026-12-02T15:59:59Z").handleRequest(Fixtures.putTermsEvent(), null).getStatusCode())
                .isEqualTo(201);
    }

    @Test
    @DisplayName("S6.1: publishing the same version id again is a 409 conflict; versions are immutable")
    void duplicate() throws Exception {
        handler("2026-11-02T09:00:00Z").handleRequest(Fixtures.putTermsEvent(), null);
        APIGatewayV2HTTPResponse again = handler("2026-11-02T09:05:00Z").handleRequest(Fixtures.putTermsEvent(), null);

        assertThat(again.getStatusCode()).isEqualTo(409);
        assertThat(body(again).path("value").asText()).isEqualTo("2027-01");
        assertThat(terms.published()).hasSize(2);
    }

    @ParameterizedTest(name = "[{index}] {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "not json|not json|(document)|not json",
        "\"commitment\":\"99.95\"|\"commitment\":\"abc\"|commitment|abc",
        "\"noticeDays\":30|\"noticeDays\":\"30\"|noticeDays|\"30\"",
        "\"timeZone\":\"Asia/Shanghai\"|\"timeZone\":\"Mars/Olympus\"|timeZone|Mars/Olympus",
        "\"below\":\"99.95\"|\"below\":\"99.80\"|tiers[0].below|99.80"
    })
    @DisplayName("D5: an invalid document is refused with a 400 problem naming the field and the value")
    void invalid(String from, String to, String field, String value) throws Exception {
        APIGatewayV2HTTPEvent event = Fixtures.putTermsEvent();
        event.setBody("not json".equals(from) ? "not json" : event.getBody().replace(from, to));

        APIGatewayV2HTTPResponse response = handler("2026-11-02T09:00:00Z").handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(body(response).path("field").asText()).isEqualTo(field);
        if (value != null) {
            assertThat(body(response).path("value").asText()).isEqualTo(value);
        }
        assertThat(terms.published()).hasSize(1);
    }

    @Test
    @DisplayName("a failing trigger does not undo the publication: 201, and the daily run sends the notices")
    void triggerFailure() throws Exception {
        PublishTermsHandler failing = new PublishTermsHandler(new TermsPublication(terms, v -> {
            throw new IllegalStateException("bus unavailable");
        }, Clock.fixed(Instant.parse("2026-11-02T09:00:00Z"), ZoneOffset.UTC), (v, e) -> triggerFailures.add(v.version())));

        APIGatewayV2HTTPResponse response = failing.handleRequest(Fixtures.putTermsEvent(), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(body(response).path("notifierTriggered").asBoolean()).isFalse();
        assertThat(triggerFailures).containsExactly("2027-01");
    }

    @Test
    @DisplayName("only PUT is accepted")
    void method() {
        APIGatewayV2HTTPEvent event = Fixtures.putTermsEvent();
        event.getRequestContext().getHttp().setMethod("POST");
        assertThat(handler("2026-11-02T09:00:00Z").handleRequest(event, null).getStatusCode()).isEqualTo(405);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "not base64 at all!|400|malformed-json",
        "//79/v8=|400|malformed-json",
        "HUGE|413|body-too-large",
        "VALID|201|"
    })
    @DisplayName("issue 15: a body flagged base64 is decoded under the shared guard: not base64 or not UTF-8 is a 400 problem, over 64 KiB a 413, never a 500")
    void base64Bodies(String body, int status, String type) {
        APIGatewayV2HTTPEvent event = Fixtures.putTermsEvent();
        String valid = event.getBody();
        event.setIsBase64Encoded(true);
        event.setBody(switch (body) {
            case "HUGE" -> Base64.getEncoder().encodeToString(new byte[70_000]);
            case "VALID" -> Base64.getEncoder().encodeToString(valid.getBytes(StandardCharsets.UTF_8));
            default -> body;
        });
        APIGatewayV2HTTPResponse response = handler("2026-11-02T09:00:00Z").handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(status);
        if (type != null) {
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            assertThat(response.getBody()).contains("\"type\":\"https://sla-ledger.dev/problems/" + type + "\"");
        }
    }
}
