package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.UndeliverableContacts.Undeliverable;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.Fixtures;
import dev.slaledger.notifier.notice.NoticeCampaign.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The notifier's decisions against the core's in-memory ports and a scripted mailer. */
class NoticeCampaignTest {
    /** A mailer that keeps what it sends, or fails as scripted. */
    static final class ScriptedMailer implements NoticeMailer {
        final List<Mail> sent = new ArrayList<>();
        final List<Map<String, String>> tags = new ArrayList<>();
        final Deque<RuntimeException> failures = new ArrayDeque<>();

        @Override
        public String send(Mail mail, Map<String, String> tags) {
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            sent.add(mail);
            this.tags.add(tags);
            return "msg-" + sent.size();
        }
    }

    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
    private final InMemoryUndeliverableContacts undeliverable = new InMemoryUndeliverableContacts();
    private final ScriptedMailer mailer = new ScriptedMailer();
    private final NoticeRenderer renderer = new NoticeRenderer("the API service");
    private final AtomicInteger ids = new AtomicInteger();
    private final Supplier<String> attemptIds = () -> "attempt-" + ids.incrementAndGet();

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private NoticeCampaign campaign(Clock clock) {
        return new NoticeCampaign(terms, accounts, ledger, ledger, undeliverable, mailer, renderer, clock, attemptIds,
                Duration.ofHours(48));
    }

    private static Account account(String id, String email, String locale, String start, String end) {
        return new Account(id, email, Optional.ofNullable(locale).map(Locale::forLanguageTag),
                List.of(new Term(LocalDate.parse(start), LocalDate.parse(end))), Map.of());
    }

    private static final Clock NOV_2 = at("2026-11-02T01:00:00Z");

    @Test
    @DisplayName("S6.2/S6.4: every account with a current or future term gets one notice in its language; a second run sends nothing")
    void oncePerAccount() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("acme", "ops@acme.example", "zh-CN", "2026-03-17", "2027-06-16"));
        accounts.save(account("globex", "sla@globex.example", null, "2027-02-01", "2027-12-31")); // future term
        accounts.save(account("hooli", "legal@hooli.example", "en", "2025-01-01", "2026-10-31")); // ended

        NoticeCampaign.Report first = campaign(NOV_2).run(() -> true);

        assertThat(first.count(Outcome.SENT)).isEqualTo(2);
        assertThat(mailer.sent).extracting(Mail::to).containsExactlyInAnyOrder("ops@acme.example", "sla@globex.example");
        Mail acme = mailer.sent.stream().filter(m -> m.to().equals("ops@acme.example")).findFirst().orElseThrow();
        assertThat(acme.subject()).contains("SLA 变更通知");
        assertThat(ledger.sentDates("acme")).containsEntry("2027-01", LocalDate.parse("2026-11-02"));
        assertThat(ledger.find("acme", "2027-01")).get().extracting(d -> d.messageId()).isNotNull();
        assertThat(mailer.tags).allSatisfy(t -> assertThat(t).containsKey(NoticeMailer.ATTEMPT_TAG));

        NoticeCampaign.Report second = campaign(at("2026-11-03T01:00:00Z")).run(() -> true);
        assertThat(second.count(Outcome.SENT)).isZero();
        assertThat(second.count(Outcome.ALREADY_SENT)).isEqualTo(2);
        assertThat(mailer.sent).hasSize(2);
    }

    @Test
    @DisplayName("S6.3: a notice sent late governs from sent date + noticeDays; the governing rule reads the record")
    void lateNoticeGovernsLater() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("acme", "ops@acme.example", "en", "2026-03-17", "2027-06-16"));

        campaign(at("2026-12-15T03:00:00Z")).run(() -> true);

        assertThat(mailer.sent.get(0).subject()).endsWith("from January 14, 2027");
        Map<String, LocalDate> sent = ledger.sentDates("acme");
        List<TermsVersion> versions = terms.published();
        assertThat(NoticeRules.governing(versions, sent, LocalDate.parse("2027-01-01")).version()).isEqualTo("2026-01");
        assertThat(NoticeRules.governing(versions, sent, LocalDate.parse("2027-02-01")).version()).isEqualTo("2027-01");
    }

    @Test
    @DisplayName("S6.2: accounts without a contact, or with an undeliverable address, are reported and not sent to")
    void reportsUnreachable() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("initech", null, null, "2026-01-01", "2027-12-31"));
        accounts.save(account("umbrella", "Legal@Umbrella.example", null, "2026-01-01", "2027-12-31"));
        undeliverable.mark(new Undeliverable("legal@umbrella.example", "Bounce/Permanent/General",
                Instant.parse("2026-10-01T00:00:00Z"), "old-msg"));

        NoticeCampaign.Report report = campaign(NOV_2).run(() -> true);

        assertThat(mailer.sent).isEmpty();
        assertThat(report.entries(Outcome.NO_CONTACT)).extracting(NoticeCampaign.Entry::accountId).containsExactly("initech");
        assertThat(report.entries(Outcome.UNDELIVERABLE)).extracting(NoticeCampaign.Entry::accountId)
                .containsExactly("umbrella");
        assertThat(ledger.stored("umbrella", "2027-01")).isEmpty();
    }

    @Test
    @DisplayName("S6.4: throttled sends are released, the run stops after 3 in a row, and the next run sends what is pending")
    void throttlingStopsAndRetriesNextRun() {
        terms.publish(Fixtures.v2027());
        for (String id : List.of("a1", "a2", "a3", "a4")) {
            accounts.save(account(id, id + "@example.com", null, "2026-01-01", "2027-12-31"));
        }
        for (int i = 0; i < 3; i++) {
            mailer.failures.add(new NoticeMailer.MailNotSent("SES answered 429 TooManyRequestsException", true, null));
        }

        NoticeCampaign.Report first = campaign(NOV_2).run(() -> true);

        assertThat(first.count(Outcome.FAILED)).isEqualTo(3);
        assertThat(first.stoppedBecause()).hasValueSatisfying(r -> assertThat(r).contains("throttled"));
        assertThat(mailer.sent).isEmpty();
        assertThat(first.entries(Outcome.FAILED)).allSatisfy(e ->
                assertThat(ledger.stored(e.accountId(), "2027-01")).get().extracting(r -> r.state())
                        .isEqualTo(State.RETRY));

        NoticeCampaign.Report second = campaign(at("2026-11-03T01:00:00Z")).run(() -> true);
        assertThat(second.count(Outcome.SENT)).isEqualTo(4);
        assertThat(mailer.sent).hasSize(4);
        assertThat(ledger.stored("a1", "2027-01")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.SENT);
            assertThat(r.failures()).isEqualTo(1);
        });
    }

    @Test
    @DisplayName("S6.4: when SES may have taken the mail, the reservation is kept: no resend within the lease, a resend after it")
    void outcomeUnknown() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("acme", "ops@acme.example", null, "2026-01-01", "2027-12-31"));
        mailer.failures.add(new NoticeMailer.MailOutcomeUnknown("no answer from SES: read timed out", null));

        assertThat(campaign(NOV_2).run(() -> true).count(Outcome.OUTCOME_UNKNOWN)).isEqualTo(1);
        assertThat(ledger.stored("acme", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.SENDING);
        assertThat(ledger.sentDates("acme")).isEmpty(); // S6.3: not notified until the record says so

        NoticeCampaign.Report withinLease = campaign(at("2026-11-03T01:00:00Z")).run(() -> true);
        assertThat(withinLease.count(Outcome.IN_PROGRESS)).isEqualTo(1);
        assertThat(mailer.sent).isEmpty();

        NoticeCampaign.Report afterLease = campaign(at("2026-11-04T01:00:01Z")).run(() -> true);
        assertThat(afterLease.count(Outcome.SENT)).isEqualTo(1);
        assertThat(ledger.sentDates("acme")).containsEntry("2027-01", LocalDate.parse("2026-11-04"));
    }

    @Test
    @DisplayName("S6.4: a run out of time stops before reserving; what it did not try waits for the next run")
    void timeBudget() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("a1", "a1@example.com", null, "2026-01-01", "2027-12-31"));
        accounts.save(account("a2", "a2@example.com", null, "2026-01-01", "2027-12-31"));
        AtomicInteger budget = new AtomicInteger(1);

        NoticeCampaign.Report report = campaign(NOV_2).run(() -> budget.getAndDecrement() > 0);

        assertThat(report.count(Outcome.SENT)).isEqualTo(1);
        assertThat(report.count(Outcome.NOT_ATTEMPTED)).isEqualTo(1);
        assertThat(report.stoppedBecause()).isPresent();
        assertThat(campaign(NOV_2).run(() -> true).count(Outcome.SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("S6.4: a delivery reserved by a concurrent run is not sent again")
    void concurrentRun() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("acme", "ops@acme.example", null, "2026-01-01", "2027-12-31"));
        ledger.reserve(new dev.slaledger.core.port.NoticeDeliveries.Attempt("acme", "2027-01", "other-run",
                "ops@acme.example", Fixtures.v2027().timeZone(), Instant.parse("2026-11-02T00:59:00Z"),
                Instant.parse("2026-11-04T00:59:00Z")), Optional.empty());

        NoticeCampaign.Report report = campaign(NOV_2).run(() -> true);

        assertThat(report.count(Outcome.IN_PROGRESS)).isEqualTo(1);
        assertThat(mailer.sent).isEmpty();
    }

    @Test
    @DisplayName("S6.4: a hard-bounced notice is not retried to the same address, and is sent again once the contact changes")
    void bounceThenNewContact() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("globex", "sla@globex.example", null, "2026-01-01", "2027-12-31"));
        campaign(NOV_2).run(() -> true);
        SesEventProcessor events = new SesEventProcessor(ledger, undeliverable);
        String attempt = mailer.tags.get(0).get(NoticeMailer.ATTEMPT_TAG);
        events.apply(new SesEvent("Bounce", "msg-1", Instant.parse("2026-11-02T01:00:01Z"),
                Map.of(NoticeMailer.ATTEMPT_TAG, List.of(attempt)), Optional.of("Permanent"), Optional.of("General"),
                List.of("sla@globex.example")));
        assertThat(ledger.sentDates("globex")).isEmpty();

        NoticeCampaign.Report again = campaign(at("2026-11-03T01:00:00Z")).run(() -> true);
        assertThat(again.count(Outcome.UNDELIVERABLE)).isEqualTo(1);
        assertThat(mailer.sent).hasSize(1);

        accounts.save(account("globex", "legal@globex.example", null, "2026-01-01", "2027-12-31"));
        NoticeCampaign.Report changed = campaign(at("2026-11-04T01:00:00Z")).run(() -> true);
        assertThat(changed.count(Outcome.SENT)).isEqualTo(1);
        assertThat(mailer.sent.get(1).to()).isEqualTo("legal@globex.example");
        assertThat(ledger.stored("globex", "2027-01")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.SENT);
            assertThat(r.sends()).isEqualTo(2);
        });
        assertThat(ledger.sentDates("globex")).containsEntry("2027-01", LocalDate.parse("2026-11-04"));
    }

    @Test
    @DisplayName("S6.4: soft bounces are retried, at most " + NoticeCampaign.MAX_SENDS + " sends in all, then reported")
    void softBouncesAreBounded() {
        terms.publish(Fixtures.v2027());
        accounts.save(account("acme", "ops@acme.example", null, "2026-01-01", "2027-12-31"));
        SesEventProcessor events = new SesEventProcessor(ledger, undeliverable);
        for (int day = 2; day <= 5; day++) {
            campaign(at("2026-11-0" + day + "T01:00:00Z")).run(() -> true);
            int n = mailer.sent.size();
            events.apply(new SesEvent("Bounce", "msg-" + n, Instant.parse("2026-11-0" + day + "T01:00:01Z"),
                    Map.of(NoticeMailer.ATTEMPT_TAG, List.of(mailer.tags.get(n - 1).get(NoticeMailer.ATTEMPT_TAG))),
                    Optional.of("Transient"), Optional.of("MailboxFull"), List.of("ops@acme.example")));
        }
        assertThat(mailer.sent).hasSize(NoticeCampaign.MAX_SENDS);
        assertThat(undeliverable.find("ops@acme.example")).isEmpty();
        assertThat(campaign(at("2026-11-06T01:00:00Z")).run(() -> true).entries(Outcome.UNDELIVERABLE))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("bounced 3 times"));
    }

    @Test
    @DisplayName("S6.3: of two unsent versions, one that a later version would supersede from the same date is not sent")
    void supersededVersion() {
        TermsVersion v2 = Fixtures.v2027();
        TermsVersion v3 = TermsParser.parse(TermsParser.toJson(v2).replace("\"2027-01\"", "\"2027-02\"")
                .replace("\"2027-01-01\"", "\"2027-01-02\"").replace("\"capPercent\" : \"50\"", "\"capPercent\" : \"60\""));
        terms.publish(v2);
        terms.publish(v3);
        accounts.save(account("acme", "ops@acme.example", null, "2026-01-01", "2027-12-31"));

        // sent on Dec 20: v2 would govern from Jan 19, v3 as well -> only v3 is worth sending
        NoticeCampaign.Report report = campaign(at("2026-12-20T01:00:00Z")).run(() -> true);

        assertThat(report.count(Outcome.SUPERSEDED)).isEqualTo(1);
        assertThat(mailer.sent).singleElement().satisfies(m -> assertThat(m.subject()).contains("2027-02"));
        assertThat(mailer.sent.get(0).textBody()).contains("Current terms ".toUpperCase(Locale.ROOT) + "(2026-01)");

        // sent in time (Nov 2): v2 governs Jan 1, v3 Jan 2 -> both are sent, v3's "current" is v2
        InMemoryNoticeLedger fresh = new InMemoryNoticeLedger();
        ScriptedMailer freshMailer = new ScriptedMailer();
        new NoticeCampaign(terms, accounts, fresh, fresh, undeliverable, freshMailer, renderer, NOV_2, attemptIds,
                Duration.ofHours(48)).run(() -> true);
        assertThat(freshMailer.sent).hasSize(2);
        assertThat(freshMailer.sent.get(1).textBody()).contains("CURRENT TERMS (2027-01) AND NEW TERMS (2027-02)")
                .contains("- Compensation cap: 50% of the monthly service fee (excluding the part paid with vouchers)  ->  "
                        + "60% of the monthly service fee");
    }
}
