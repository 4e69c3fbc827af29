package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.notifier.notice.NoticeCampaign;
import dev.slaledger.notifier.notice.NoticeRenderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifierHandlerTest {
    @Test
    @DisplayName("S6.2: the scheduler's {} and the TermsPublished event both run the campaign; the output reports accounts needing an operator")
    @SuppressWarnings("unchecked")
    void runsAndReports() {
        InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
        terms.publish(Fixtures.v2027());
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        accounts.save(new Account("initech", null, Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"))), Map.of()));
        accounts.save(new Account("acme", "ops@acme.example", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"))), Map.of()));
        InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
        NoticeMailer mailer = (mail, tags) -> "msg-1";
        NotifierHandler handler = new NotifierHandler(new NoticeCampaign(terms, accounts, ledger, ledger,
                new InMemoryUndeliverableContacts(), mailer, new NoticeRenderer("the API service"),
                Clock.fixed(Instant.parse("2026-11-02T01:00:00Z"), ZoneOffset.UTC), () -> "a1", Duration.ofHours(48)));

        Map<String, Object> scheduled = handler.handleRequest(Fixtures.map(Fixtures.json("scheduler-daily.json")), null);
        assertThat(scheduled.get("trigger")).isEqualTo("schedule");
        assertThat((Map<String, Integer>) scheduled.get("counts")).containsEntry("SENT", 1).containsEntry("NO_CONTACT", 1);
        assertThat(scheduled.get("NO_CONTACT").toString()).contains("initech");

        Map<String, Object> published = handler.handleRequest(
                Fixtures.map(Fixtures.json("eventbridge-terms-published.json")), null);
        assertThat(published.get("trigger")).isEqualTo("TermsPublished");
        assertThat((Map<String, Integer>) published.get("counts")).containsEntry("SENT", 0).containsEntry("ALREADY_SENT", 1);
    }
}
