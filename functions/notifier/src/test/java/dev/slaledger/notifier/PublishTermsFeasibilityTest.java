package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.port.NoticeCursors.AudienceCount;
import dev.slaledger.core.port.NoticeCursors.Cursor;
import dev.slaledger.core.port.SendingQuota.Quota;
import dev.slaledger.core.port.memory.FixedSendingQuota;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeCursors;
import dev.slaledger.core.port.memory.InMemorySendThrottle;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.notifier.notice.NoticeCapacity;
import dev.slaledger.notifier.notice.NoticeDispatcher;
import dev.slaledger.notifier.notice.TermsPublication;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S9.4 through {@code PUT /admin/terms}: the notices owed at publication must fit before effectiveFrom at the quota. */
class PublishTermsFeasibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-02T09:30:00Z");

    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final InMemoryNoticeCursors cursors = new InMemoryNoticeCursors();
    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final FixedSendingQuota quota = FixedSendingQuota.sesDefault();

    private PublishTermsHandler handler() {
        return new PublishTermsHandler(new TermsPublication(terms, v -> { }, Clock.fixed(NOW, ZoneOffset.UTC),
                (v, e) -> { }, Optional.of(new NoticeCapacity(quota, new InMemorySendThrottle(),
                        NoticeDispatcher.Caps.none(), cursors, accounts))));
    }

    /** The admin request of events/notifier (version 2027-01, Asia/Shanghai) taking effect on {@code effectiveFrom}. */
    private static APIGatewayV2HTTPEvent put(String version, String effectiveFrom) {
        APIGatewayV2HTTPEvent event = Fixtures.putTermsEvent();
        event.setBody(TermsParser.toJson(Fixtures.v2027()).replace("\"2027-01-01\"", "\"" + effectiveFrom + "\"")
                .replace("\"2027-01\"", "\"" + version + "\""));
        return event;
    }

    private static JsonNode body(APIGatewayV2HTTPResponse r) throws Exception {
        return JSON.readTree(r.getBody());
    }

    @Test
    @DisplayName("S9.4 1,000,000 accounts counted yesterday at SES's default quota: 2027-01-01 is feasible (201); 2026-12-10 is refused with 422 naming 2026-12-24")
    void aMillionAccounts() throws Exception {
        cursors.recordAudience(new AudienceCount(LocalDate.parse("2026-11-01"), 1_000_000,
                Instant.parse("2026-11-01T10:00:00Z")));

        APIGatewayV2HTTPResponse refused = handler().handleRequest(put("2026-12", "2026-12-10"), null);
        assertThat(refused.getStatusCode()).isEqualTo(422);
        assertThat(refused.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = body(refused);
        assertThat(problem.path("type").asText()).endsWith("notices-not-feasible");
        assertThat(problem.path("earliestEffectiveFrom").asText()).isEqualTo("2026-12-24");
        assertThat(problem.path("notices").asText()).isEqualTo("1000000");
        assertThat(problem.path("noticesPerHour").asText()).isEqualTo("1998");
        assertThat(problem.path("lastNoticeOn").asText()).isEqualTo("2026-11-23");
        assertThat(problem.path("detail").asText()).contains("1000000 notices at 1998 an hour");
        assertThat(terms.published()).hasSize(1);

        assertThat(handler().handleRequest(put("2026-12", "2026-12-24"), null).getStatusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("S9.4 S6.1 a version refused by S6.1 names the earliest date both rules allow")
    void tooSoonNamesTheFeasibleDate() throws Exception {
        cursors.recordAudience(new AudienceCount(LocalDate.parse("2026-11-02"), 1_000_000, NOW.minusSeconds(60)));
        APIGatewayV2HTTPResponse r = handler().handleRequest(put("2026-11", "2026-11-20"), null);
        assertThat(r.getStatusCode()).isEqualTo(422);
        assertThat(body(r).path("type").asText()).endsWith("notice-too-short");
        assertThat(body(r).path("earliestEffectiveFrom").asText()).isEqualTo("2026-12-24");
    }

    @Test
    @DisplayName("S9.4 what an earlier version still owes counts: 600,000 not yet listed of 2027-01 push a new version's date")
    void earlierVersionsStillOwe() throws Exception {
        cursors.recordAudience(new AudienceCount(LocalDate.parse("2026-11-02"), 1_000_000, NOW.minusSeconds(60)));
        terms.publish(TermsParser.parse(TermsParser.toJson(Fixtures.v2027())));
        Cursor running = Cursor.start("CHANGE#2027-01", Optional.of(LocalDate.parse("2026-10-20")), 1_000_000, NOW)
                .advanced(Optional.of("x"), 400_000, false, NOW);
        cursors.save(running);
        APIGatewayV2HTTPResponse r = handler().handleRequest(put("2027-02", "2027-01-05"), null);
        assertThat(r.getStatusCode()).isEqualTo(422);
        assertThat(body(r).path("notices").asText()).isEqualTo("1600000");
        // 1,600,000 / 1,998 = 801 hours from 10:00 on Nov 2: the last hour is Dec 5, 18:00 UTC (Dec 6 in Shanghai)
        assertThat(body(r).path("lastNoticeOn").asText()).isEqualTo("2026-12-06");
        assertThat(body(r).path("earliestEffectiveFrom").asText()).isEqualTo("2027-01-06");
    }

    @Test
    @DisplayName("S9.4 a registry never counted is counted at publication; a few accounts need the spare day only")
    void countedNowWhenNeverCounted() throws Exception {
        accounts.save(new dev.slaledger.core.account.Account("acme", "ops@acme.example", Optional.empty(),
                java.util.List.of(new dev.slaledger.core.period.Term(LocalDate.parse("2026-01-01"),
                        LocalDate.parse("2027-12-31"))), java.util.Map.of()));
        APIGatewayV2HTTPResponse exactly30 = handler().handleRequest(put("2026-12", "2026-12-02"), null);
        assertThat(exactly30.getStatusCode()).isEqualTo(422);
        assertThat(body(exactly30).path("earliestEffectiveFrom").asText()).isEqualTo("2026-12-03");
        assertThat(handler().handleRequest(put("2026-12", "2026-12-03"), null).getStatusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("S9.4 an SES account that may not send (sending disabled) refuses every version with notices owed, naming no date")
    void noQuota() throws Exception {
        cursors.recordAudience(new AudienceCount(LocalDate.parse("2026-11-02"), 10, NOW.minusSeconds(60)));
        quota.set(new Quota(BigDecimal.ZERO, 0, 0));
        APIGatewayV2HTTPResponse r = handler().handleRequest(put("2027-06", "2027-06-01"), null);
        assertThat(r.getStatusCode()).isEqualTo(422);
        assertThat(body(r).has("earliestEffectiveFrom")).isFalse();
        assertThat(body(r).path("detail").asText()).contains("allows no notice");
    }
}
