package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.FixedSendingQuota;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeBacklog;
import dev.slaledger.core.port.memory.InMemoryNoticeCursors;
import dev.slaledger.core.port.memory.InMemoryNoticeWorkQueue;
import dev.slaledger.core.port.memory.InMemorySendThrottle;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.notifier.notice.NoticeDispatcher;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifierHandlerTest {
    @Test
    @DisplayName("S9.2 S9.3: the scheduler's {} and the TermsPublished event both run the dispatcher; the output names the plan from the quota and what was listed")
    @SuppressWarnings("unchecked")
    void runsAndReports() {
        SettableClock clock = new SettableClock("2026-11-02T01:00:00Z");
        InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
        terms.publish(Fixtures.v2027());
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        for (String id : List.of("acme", "initech")) {
            accounts.save(new Account(id, id.equals("acme") ? "ops@acme.example" : null, Optional.empty(),
                    List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"))), Map.of()));
        }
        InMemoryNoticeWorkQueue queue = new InMemoryNoticeWorkQueue(clock);
        FixedSendingQuota quota = FixedSendingQuota.sesDefault();
        NotifierHandler handler = new NotifierHandler(new NoticeDispatcher(terms, accounts, new InMemoryNoticeCursors(),
                new InMemoryNoticeBacklog(), queue, quota, new InMemorySendThrottle(), NoticeDispatcher.Caps.none(), false,
                Duration.ofHours(9), 25, clock), clock);

        Map<String, Object> scheduled = handler.handleRequest(Fixtures.map(Fixtures.json("scheduler-hourly.json")), null);
        assertThat(scheduled.get("trigger")).isEqualTo("schedule");
        assertThat((Map<String, Object>) scheduled.get("plan")).containsEntry("maxSendRate", "14")
                .containsEntry("max24HourSend", 50_000L).containsEntry("hourCap", 1_998L);
        assertThat((Map<String, Long>) scheduled.get("listed")).containsEntry("CHANGE#2027-01", 2L);
        assertThat(scheduled.get("workUnits")).isEqualTo(1L);
        assertThat(quota.reads()).as("S9.3 the quota is read at the start of a run").isEqualTo(1);

        Map<String, Object> published = handler.handleRequest(
                Fixtures.map(Fixtures.json("eventbridge-terms-published.json")), null);
        assertThat(published.get("trigger")).isEqualTo("TermsPublished");
        assertThat((Map<String, Long>) published.get("listed")).as("the version's cursor is done").isEmpty();
        assertThat(queue.entries()).hasSize(1);
    }
}
