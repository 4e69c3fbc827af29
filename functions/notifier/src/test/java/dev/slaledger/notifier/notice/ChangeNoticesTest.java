package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.UndeliverableContacts.Undeliverable;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.Fixtures;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The change notices (S6.2-S6.4) through the dispatcher and the worker, on the core's in-memory ports. */
class ChangeNoticesTest {
    private static final String NOV_2 = "2026-11-02T01:00:00Z";

    @Test
    @DisplayName("S6.2/S6.4 S9.2: every account with a current or future term gets one notice in its language; the next run lists nothing (its cursor is done)")
    void oncePerAccount() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.accounts.save(NoticeWorld.account("acme", "ops@acme.example", "zh-CN", "2026-03-17", "2027-06-16"));
        w.accounts.save(NoticeWorld.account("globex", "sla@globex.example", null, "2027-02-01", "2027-12-31"));
        w.accounts.save(NoticeWorld.account("hooli", "legal@hooli.example", "en", "2025-01-01", "2026-10-31"));

        NoticeReport first = w.run();

        assertThat(first.count(Outcome.SENT)).isEqualTo(2);
        assertThat(w.mailer.sent).extracting(Mail::to).containsExactlyInAnyOrder("ops@acme.example", "sla@globex.example");
        Mail acme = w.mailer.sent.stream().filter(m -> m.to().equals("ops@acme.example")).findFirst().orElseThrow();
        assertThat(acme.subject()).contains("SLA 变更通知");
        assertThat(w.ledger.sentDates("acme")).containsEntry("2027-01", LocalDate.parse("2026-11-02"));
        assertThat(w.mailer.tags).allSatisfy(t -> assertThat(t).containsKey(NoticeMailer.ATTEMPT_TAG));
        assertThat(w.cursors.find("CHANGE#2027-01")).get().satisfies(c -> {
            assertThat(c.done()).isTrue();
            assertThat(c.listed()).isEqualTo(2);
        });

        w.clock.set("2026-11-03T01:00:00Z");
        NoticeDispatcher.Report second = w.dispatcher().run(TimeBudget.unlimited());
        assertThat(second.listed()).as("S9.2: nothing is listed again").isEmpty();
        assertThat(w.queue.isEmpty()).isTrue();
        assertThat(w.mailer.sent).hasSize(2);
    }

    @Test
    @DisplayName("S6.3: a notice sent late governs from sent date + noticeDays; the governing rule reads the record")
    void lateNoticeGovernsLater() {
        NoticeWorld w = new NoticeWorld("2026-12-15T03:00:00Z");
        w.terms.publish(Fixtures.v2027());
        w.account("acme", "ops@acme.example");

        w.run();

        assertThat(w.mailer.sent.get(0).subject()).endsWith("from January 14, 2027");
        Map<String, LocalDate> sent = w.ledger.sentDates("acme");
        List<TermsVersion> versions = w.terms.published();
        assertThat(NoticeRules.governing(versions, sent, LocalDate.parse("2027-01-01")).version()).isEqualTo("2026-01");
        assertThat(NoticeRules.governing(versions, sent, LocalDate.parse("2027-02-01")).version()).isEqualTo("2027-01");
    }

    @Test
    @DisplayName("S6.2: accounts without a contact, or with an undeliverable address, are reported and not sent to")
    void reportsUnreachable() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.accounts.save(NoticeWorld.account("initech", null, null, "2026-01-01", "2027-12-31"));
        w.accounts.save(NoticeWorld.account("umbrella", "Legal@Umbrella.example", null, "2026-01-01", "2027-12-31"));
        w.undeliverable.mark(new Undeliverable("legal@umbrella.example", "Bounce/Permanent/General",
                Instant.parse("2026-10-01T00:00:00Z"), "old-msg"));

        NoticeReport report = w.run();

        assertThat(w.mailer.sent).isEmpty();
        assertThat(report.entries(Outcome.NO_CONTACT)).extracting(NoticeReport.Entry::accountId).containsExactly("initech");
        assertThat(report.entries(Outcome.UNDELIVERABLE)).extracting(NoticeReport.Entry::accountId)
                .containsExactly("umbrella");
        assertThat(w.ledger.stored("umbrella", "2027-01")).isEmpty();
    }

    @Test
    @DisplayName("S9.3 S6.4: SES throttling is released without using a try, the rest of the unit is deferred without calling SES, and the next run sends it all once")
    void throttlingDefersTheRest() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        for (String id : List.of("a1", "a2", "a3", "a4")) {
            w.account(id, id + "@example.com");
        }
        w.mailer.failures.add(new NoticeMailer.MailNotSent("SES answered 429 TooManyRequestsException", true, null));

        NoticeReport first = w.run();

        assertThat(w.mailer.calls).as("one throttled call, then no more SES calls in the invocation").isEqualTo(1);
        assertThat(first.count(Outcome.DEFERRED)).isEqualTo(4);
        assertThat(w.mailer.sent).isEmpty();
        assertThat(w.ledger.stored("a1", "2027-01")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.RETRY);
            assertThat(r.failures()).as("a throttle is not the notice's failure").isZero();
        });
        assertThat(w.backlog.parked()).isNotEmpty();

        w.clock.set("2026-11-02T02:00:00Z");
        NoticeReport second = w.run();
        assertThat(second.count(Outcome.SENT)).isEqualTo(4);
        assertThat(w.mailer.sent).hasSize(4);
        assertThat(w.backlog.parked()).isEmpty();
        assertThat(w.ledger.stored("a1", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.SENT);
    }

    @Test
    @DisplayName("S6.4 S9.2: a refused mail is retried later, at most 3 tries, then given up and recorded (never retried forever)")
    void refusalsAreBounded() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.account("acme", "ops@acme.example");
        w.account("globex", "sla@globex.example");
        w.mailer.failTo.put("ops@acme.example", new NoticeMailer.MailNotSent("SES answered 400 MessageRejected",
                false, null));
        NoticeReport first = w.run();
        assertThat(first.count(Outcome.FAILED)).isEqualTo(1);
        assertThat(first.count(Outcome.SENT)).as("one refusal does not hold up the others").isEqualTo(1);
        for (int hour = 2; hour <= 5; hour++) {
            w.clock.set("2026-11-02T0" + hour + ":00:00Z");
            w.run();
        }
        assertThat(w.ledger.stored("acme", "2027-01")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.RETRY);
            assertThat(r.failures()).isEqualTo(3);
        });
        assertThat(w.backlog.gaveUp()).singleElement().satisfies(g -> {
            assertThat(g.accountId()).isEqualTo("acme");
            assertThat(g.error()).contains("MessageRejected");
        });
        assertThat(w.backlog.parked()).isEmpty();
        assertThat(w.mailer.sentTo("sla@globex.example")).isEqualTo(1);
        assertThat(w.mailer.sentTo("ops@acme.example")).isZero();
    }

    @Test
    @DisplayName("S6.4: when SES may have taken the mail, the reservation is kept and parked: no resend within the lease, a resend after it")
    void outcomeUnknown() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.account("acme", "ops@acme.example");
        w.mailer.failures.add(new NoticeMailer.MailOutcomeUnknown("no answer from SES: read timed out", null));

        assertThat(w.run().count(Outcome.OUTCOME_UNKNOWN)).isEqualTo(1);
        assertThat(w.ledger.stored("acme", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.SENDING);
        assertThat(w.ledger.sentDates("acme")).isEmpty(); // S6.3: not notified until the record says so

        w.clock.set("2026-11-03T01:00:00Z");
        assertThat(w.run().counts()).as("parked until the lease ends: nothing to do").isEmpty();
        assertThat(w.mailer.sent).isEmpty();

        w.clock.set("2026-11-04T01:00:01Z");
        NoticeReport afterLease = w.run();
        assertThat(afterLease.count(Outcome.SENT)).isEqualTo(1);
        assertThat(w.ledger.sentDates("acme")).containsEntry("2027-01", LocalDate.parse("2026-11-04"));
    }

    @Test
    @DisplayName("S9.2: the time budget is checked before every account whatever it needs; the accounts not looked at are handed on and sent by another invocation")
    void timeBudgetBeforeEveryAccount() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        for (String id : List.of("a1", "a2", "a3")) {
            w.account(id, id + "@example.com");
        }
        // a1 was sent earlier: it needs nothing, yet it takes its turn of the budget
        w.ledger.reserve(new Attempt("a1", "2027-01", "earlier", "a1@example.com", Fixtures.v2027().timeZone(),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z")), Optional.empty());
        w.ledger.complete("a1", "2027-01", "earlier", "msg-0", Instant.parse("2026-11-01T00:00:01Z"),
                LocalDate.parse("2026-11-01"));
        w.dispatcher().run(TimeBudget.unlimited());
        NoticeWork unit = w.queue.take().orElseThrow();
        AtomicInteger checks = new AtomicInteger();
        TimeBudget oneAccount = () -> checks.incrementAndGet() > 1;

        NoticeReport first = w.worker().handle(unit, oneAccount);

        assertThat(first.count(Outcome.ALREADY_SENT)).isEqualTo(1);
        assertThat(first.count(Outcome.NOT_ATTEMPTED)).isEqualTo(2);
        assertThat(first.stoppedBecause()).isPresent();
        assertThat(w.queue.entries()).singleElement().satisfies(e ->
                assertThat(e.work().accountIds()).containsExactly("a2", "a3"));
        assertThat(w.drain().count(Outcome.SENT)).isEqualTo(2);
    }

    @Test
    @DisplayName("S6.4: a delivery reserved by a concurrent worker is not sent again; it is looked at when the lease ends")
    void concurrentRun() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.account("acme", "ops@acme.example");
        w.ledger.reserve(new Attempt("acme", "2027-01", "other-run", "ops@acme.example", Fixtures.v2027().timeZone(),
                Instant.parse("2026-11-02T00:59:00Z"), Instant.parse("2026-11-04T00:59:00Z")), Optional.empty());

        NoticeReport report = w.run();

        assertThat(report.count(Outcome.IN_PROGRESS)).isEqualTo(1);
        assertThat(w.mailer.sent).isEmpty();
        assertThat(w.backlog.parked()).singleElement().satisfies(p ->
                assertThat(p.notBefore()).isEqualTo(Instant.parse("2026-11-04T00:59:00Z")));
    }

    @Test
    @DisplayName("S6.4: a hard-bounced notice is not retried to the same address; a new contact (the billing event's ACCOUNT unit) gets it")
    void bounceThenNewContact() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.account("globex", "sla@globex.example");
        w.run();
        SesEventProcessor events = new SesEventProcessor(w.ledger, w.undeliverable, w.backlog);
        String attempt = w.mailer.tags.get(0).get(NoticeMailer.ATTEMPT_TAG);
        events.apply(new SesEvent("Bounce", "msg-1", Instant.parse("2026-11-02T01:00:01Z"),
                Map.of(NoticeMailer.ATTEMPT_TAG, List.of(attempt)), Optional.of("Permanent"), Optional.of("General"),
                List.of("sla@globex.example")));
        assertThat(w.ledger.sentDates("globex")).isEmpty();
        assertThat(w.backlog.parked()).as("a hard bounce waits for a new address").isEmpty();

        w.clock.set("2026-11-03T01:00:00Z");
        NoticeReport again = w.worker().handle(NoticeWork.account(List.of("globex")), TimeBudget.unlimited());
        assertThat(again.count(Outcome.UNDELIVERABLE)).isEqualTo(1);
        assertThat(w.mailer.sent).hasSize(1);

        w.account("globex", "legal@globex.example");
        w.clock.set("2026-11-04T01:00:00Z");
        NoticeReport changed = w.worker().handle(NoticeWork.account(List.of("globex")), TimeBudget.unlimited());
        assertThat(changed.count(Outcome.SENT)).isEqualTo(1);
        assertThat(w.mailer.sent.get(1).to()).isEqualTo("legal@globex.example");
        assertThat(w.ledger.stored("globex", "2027-01")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.SENT);
            assertThat(r.sends()).isEqualTo(2);
        });
        assertThat(w.ledger.sentDates("globex")).containsEntry("2027-01", LocalDate.parse("2026-11-04"));
    }

    @Test
    @DisplayName("S6.4: soft bounces are resent a day later, at most " + NoticeSender.MAX_SENDS + " sends in all, then reported")
    void softBouncesAreBounded() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.account("acme", "ops@acme.example");
        SesEventProcessor events = new SesEventProcessor(w.ledger, w.undeliverable, w.backlog);
        for (int day = 2; day <= 6; day++) {
            w.clock.set("2026-11-0" + day + "T01:00:00Z");
            w.run();
            int n = w.mailer.sent.size();
            events.apply(new SesEvent("Bounce", "msg-" + n, Instant.parse("2026-11-0" + day + "T00:59:00Z"),
                    Map.of(NoticeMailer.ATTEMPT_TAG, List.of(w.mailer.tags.get(n - 1).get(NoticeMailer.ATTEMPT_TAG))),
                    Optional.of("Transient"), Optional.of("MailboxFull"), List.of("ops@acme.example")));
        }
        assertThat(w.mailer.sent).hasSize(NoticeSender.MAX_SENDS);
        assertThat(w.undeliverable.find("ops@acme.example")).isEmpty();
        assertThat(w.worker().handle(NoticeWork.account(List.of("acme")), TimeBudget.unlimited())
                .entries(Outcome.UNDELIVERABLE)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("bounced 3 times"));
    }

    @Test
    @DisplayName("S6.3: of two unsent versions, one that a later version would supersede from the same date is not sent")
    void supersededVersion() {
        TermsVersion v2 = Fixtures.v2027();
        TermsVersion v3 = TermsParser.parse(TermsParser.toJson(v2).replace("\"2027-01\"", "\"2027-02\"")
                .replace("\"2027-01-01\"", "\"2027-01-02\"").replace("\"capPercent\" : \"50\"", "\"capPercent\" : \"60\""));
        NoticeWorld late = new NoticeWorld("2026-12-20T01:00:00Z");
        late.terms.publish(v2);
        late.terms.publish(v3);
        late.account("acme", "ops@acme.example");

        // sent on Dec 20: v2 would govern from Jan 19, v3 as well -> only v3 is worth sending
        NoticeReport report = late.run();

        assertThat(report.count(Outcome.SUPERSEDED)).isEqualTo(1);
        assertThat(late.mailer.sent).singleElement().satisfies(m -> assertThat(m.subject()).contains("2027-02"));
        assertThat(late.mailer.sent.get(0).textBody()).contains("Current terms ".toUpperCase(Locale.ROOT) + "(2026-01)");

        // sent in time (Nov 2): v2 governs Jan 1, v3 Jan 2 -> both are sent, v3's "current" is v2
        NoticeWorld inTime = new NoticeWorld(NOV_2);
        inTime.terms.publish(v2);
        inTime.terms.publish(v3);
        inTime.account("acme", "ops@acme.example");
        inTime.run();
        assertThat(inTime.mailer.sent).hasSize(2);
        assertThat(inTime.mailer.sent.get(1).textBody()).contains("CURRENT TERMS (2027-01) AND NEW TERMS (2027-02)")
                .contains("- Compensation cap: 50% of the monthly service fee (excluding the part paid with vouchers)  ->  "
                        + "60% of the monthly service fee");
    }

    @Test
    @DisplayName("S9.2: an account whose check keeps failing is retried alone, a bounded number of times, then recorded; the others of its unit are sent")
    void failingAccountIsBounded() {
        NoticeWorld w = new NoticeWorld(NOV_2);
        w.terms.publish(Fixtures.v2027());
        w.account("a1", "a1@example.com");
        w.account("broken", "broken@example.com");
        w.account("z9", "z9@example.com");
        NoticeWorld.ScriptedMailer inner = w.mailer;
        // reading the broken account fails every time (bad data, a bug): an exception, not a refusal
        w.workerAccounts = new dev.slaledger.core.port.AccountRepository() {
            @Override
            public Optional<dev.slaledger.core.account.Account> find(String accountId) {
                if (accountId.equals("broken")) {
                    throw new IllegalStateException("cannot read account broken");
                }
                return w.accounts.find(accountId);
            }

            @Override
            public void forEachAccountWithServiceIn(java.time.YearMonth month, java.util.function.Consumer<String> sink) {
                w.accounts.forEachAccountWithServiceIn(month, sink);
            }

            @Override
            public void forEachAccountWithTermOnOrAfter(LocalDate date,
                    java.util.function.Consumer<dev.slaledger.core.account.Account> sink) {
                w.accounts.forEachAccountWithTermOnOrAfter(date, sink);
            }
        };
        NoticeReport first = w.run();
        assertThat(first.count(Outcome.SENT)).isEqualTo(2);
        assertThat(first.count(Outcome.ERROR)).isEqualTo(1);
        for (int minutes = 1; minutes <= 5; minutes++) {
            w.clock.advance(java.time.Duration.ofMinutes(minutes));
            w.drain();
        }
        assertThat(w.backlog.gaveUp()).singleElement().satisfies(g -> {
            assertThat(g.accountId()).isEqualTo("broken");
            assertThat(g.attempts()).isEqualTo(NoticeWorker.MAX_ATTEMPTS);
        });
        assertThat(w.queue.isEmpty()).isTrue();
        assertThat(inner.sent).extracting(Mail::to).containsExactlyInAnyOrder("a1@example.com", "z9@example.com");
    }
}
