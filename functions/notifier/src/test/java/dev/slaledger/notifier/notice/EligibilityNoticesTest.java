package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.UndeliverableContacts.Undeliverable;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The eligibility notices (S8.2, S8.3) through the dispatcher's month sweep and the worker, on in-memory ports. */
class EligibilityNoticesTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    /** The window of October opens on 2026-11-09 00:00 UTC; its sweep starts 9 hours later. */
    private static final String OPENING_DAY = "2026-11-09T09:00:00Z";

    private static NoticeWorld world(Eligibility flags) {
        return new NoticeWorld("2026-11-06T09:00:00Z", DefaultTerms.version().withEligibility(flags)).withEligibility();
    }

    /** Subscribed Oct-Dec, October's fee 1000.00 EUR, {@code failed} failed intervals. */
    private static void account(NoticeWorld w, String id, String email, String locale, int failed) {
        w.accounts.save(new Account(id, email, Optional.ofNullable(locale).map(Locale::forLanguageTag),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
        failed(w, id, failed, 0);
    }

    private static void failed(NoticeWorld w, String id, int n, int from) {
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        for (int i = from; i < from + n; i++) {
            w.aggregates.add(new IntervalAggregate(id, Instant.ofEpochSecond(start + 300L * i),
                    new IntervalCounts(10, 10, 0, 0)));
        }
        w.statements.markStale(id, OCT);
    }

    @Test
    @DisplayName("S8.1 without eligibility the dispatcher lists no month and nothing is computed")
    void s8_1_inactive() {
        NoticeWorld w = world(Eligibility.NONE);
        account(w, "acme", "ops@acme.example", null, 50);
        w.clock.set(OPENING_DAY);
        NoticeDispatcher.Report report = w.dispatcher().run(TimeBudget.unlimited());
        assertThat(report.listed()).isEmpty();
        assertThat(w.drain().counts()).isEmpty();
        assertThat(w.statements.latest("acme", OCT)).as("nothing computed either").isEmpty();
    }

    @Test
    @DisplayName("S8.2 S9.2 notify: the month's sweep starts on the opening day and sends one eligible mail per compensable account in its language; none before, none to an undeliverable address; the next runs list nothing")
    void s8_2_notify() {
        NoticeWorld w = world(new Eligibility(true, false));
        account(w, "acme", "ops@acme.example", "zh-CN", 50);
        account(w, "globex", "sla@globex.example", null, 110);
        account(w, "initech", "gone@initech.example", null, 50);
        account(w, "umbrella", "sla@umbrella.example", null, 0); // SLA met
        w.undeliverable.mark(new Undeliverable("gone@initech.example", "Bounce/Permanent/General",
                Instant.parse("2026-11-01T00:00:00Z"), "m-0"));

        assertThat(w.run().counts()).as("S8.2 not before the window opens: no sweep").isEmpty();
        w.clock.set("2026-11-09T08:00:00Z");
        assertThat(w.dispatcher().run(TimeBudget.unlimited()).listed()).as("the sweep starts at 09:00").isEmpty();
        w.clock.set(OPENING_DAY);
        NoticeReport report = w.run();
        assertThat(report.count(Outcome.SENT)).isEqualTo(2);
        assertThat(report.count(Outcome.NOTHING_OWED)).as("umbrella: SLA met").isEqualTo(1);
        assertThat(report.entries(Outcome.UNDELIVERABLE)).extracting(NoticeReport.Entry::accountId)
                .containsExactly("initech");
        assertThat(w.mailer.sent).extracting(m -> m.to() + " " + m.subject()).containsExactlyInAnyOrder(
                "ops@acme.example API 服务 SLA：您可以申请 2026-10 的代金券 100.00 EUR",
                "sla@globex.example the API service SLA: you may claim a voucher of 250.00 EUR for 2026-10");
        assertThat(w.mailer.tags).allSatisfy(t -> assertThat(t).containsKey(NoticeMailer.ATTEMPT_TAG));
        assertThat(w.claims.acceptedClaim("acme", OCT)).isEmpty();

        w.clock.set("2026-11-10T09:00:00Z");
        assertThat(w.dispatcher().run(TimeBudget.unlimited()).listed()).as("S9.2 the month's cursor is done").isEmpty();
        assertThat(w.drain().counts()).isEmpty();
        assertThat(w.mailer.sent).hasSize(2);
    }

    @Test
    @DisplayName("S8.2 a revision that raises the voucher after the sweep comes as StatementCompensable: one more mail; none after a claim")
    void s8_2_raisedLater() {
        NoticeWorld w = world(new Eligibility(true, false));
        account(w, "acme", "ops@acme.example", null, 50);
        account(w, "globex", "sla@globex.example", null, 50);
        w.clock.set(OPENING_DAY);
        assertThat(w.run().count(Outcome.SENT)).isEqualTo(2);

        failed(w, "acme", 60, 50);
        failed(w, "globex", 60, 50);
        w.clock.set("2026-11-11T03:00:00Z");
        // globex's customer claims first; then both revisions' StatementCompensable reach the worker
        assertThat(w.claimService.submit("globex", OCT).claim().decision().accepted()).isTrue();
        NoticeReport late = w.worker().handle(NoticeWork.eligibility(OCT, List.of("acme", "globex"), 0),
                TimeBudget.unlimited());
        assertThat(late.count(Outcome.SENT)).isEqualTo(1);
        assertThat(late.entries(Outcome.NOTHING_OWED)).singleElement().satisfies(e -> {
            assertThat(e.accountId()).isEqualTo("globex");
            assertThat(e.detail()).contains("accepted");
        });
        assertThat(w.mailer.sent).hasSize(3);
        assertThat(w.mailer.sent.get(2).to()).isEqualTo("ops@acme.example");
        assertThat(w.mailer.sent.get(2).subject()).contains("250.00 EUR");
    }

    @Test
    @DisplayName("S8.3 autoClaim: the sweep files the claim, announces it once and sends one credited mail; an ACCOUNT unit later sends nothing more")
    void s8_3_autoClaim() {
        NoticeWorld w = world(new Eligibility(true, true));
        account(w, "acme", "ops@acme.example", null, 50);
        w.clock.set(OPENING_DAY);
        assertThat(w.run().count(Outcome.SENT)).isEqualTo(1);
        Claim claim = w.claims.acceptedClaim("acme", OCT).orElseThrow();
        assertThat(w.announced).containsExactly(claim);
        assertThat(w.mailer.sent.get(0).subject())
                .isEqualTo("the API service SLA credit: a voucher of 100.00 EUR for 2026-10 has been issued to your account");
        assertThat(w.mailer.sent.get(0).textBody()).contains(claim.claimId());
        NoticeReport again = w.worker().handle(NoticeWork.account(List.of("acme")), TimeBudget.unlimited());
        assertThat(again.count(Outcome.ALREADY_SENT)).isEqualTo(1);
        assertThat(w.announced).hasSize(1);
        assertThat(w.mailer.sent).hasSize(1);
    }

    @Test
    @DisplayName("S8.2 S9.2 a refused send is parked and retried; the time budget stops a worker before anything is filed or sent, and the rest is handed on")
    void s8_2_failuresAndBudget() {
        NoticeWorld w = world(new Eligibility(false, true));
        account(w, "acme", "ops@acme.example", null, 50);
        account(w, "globex", "sla@globex.example", null, 50);
        w.clock.set(OPENING_DAY);
        w.dispatcher().run(TimeBudget.unlimited());
        NoticeWork unit = w.queue.take().orElseThrow();

        NoticeReport stopped = w.worker().handle(unit, () -> true);
        assertThat(stopped.stoppedBecause()).isPresent();
        assertThat(stopped.count(Outcome.NOT_ATTEMPTED)).isEqualTo(2);
        assertThat(w.claims.acceptedClaims("acme")).isEmpty();
        assertThat(w.claims.acceptedClaims("globex")).isEmpty();

        w.mailer.failTo.put("ops@acme.example", new NoticeMailer.MailNotSent("MessageRejected", false, null));
        NoticeReport first = w.drain();
        assertThat(first.count(Outcome.FAILED)).isEqualTo(1);
        assertThat(first.count(Outcome.SENT)).isEqualTo(1);
        w.mailer.failTo.clear();
        w.clock.set("2026-11-09T10:00:00Z");
        NoticeReport second = w.run();
        assertThat(second.count(Outcome.SENT)).as("the refused one, retried from the backlog").isEqualTo(1);
        assertThat(w.mailer.sent).hasSize(2);
        assertThat(w.announced).hasSize(2);
    }

    @Test
    @DisplayName("S8.1, S8.2 a StatementCompensable event (the NoticeStatementEvents rule routes every one: the bus cannot"
            + " see the terms' flags) decides nothing and reads nothing while no published version turns eligibility on,"
            + " or before the month's claim window opens (the month's sweep decides it then)")
    void compensableEventsWithoutEligibilityCostNoReads() {
        NoticeWorld off = world(Eligibility.NONE);
        account(off, "acme", "ops@acme.example", null, 50);
        off.clock.set(OPENING_DAY);
        NoticeReport r = off.worker().handle(NoticeWork.eligibility(OCT, List.of("acme"), 0), TimeBudget.unlimited());
        assertThat(r.entries(Outcome.NOTHING_OWED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("no published version turns eligibility on"));
        assertThat(off.statements.latest("acme", OCT)).as("nothing read or computed").isEmpty();

        NoticeWorld early = world(new Eligibility(true, false));
        account(early, "acme", "ops@acme.example", null, 50);
        early.clock.set("2026-11-03T03:00:00Z"); // October's window opens on the 5th working day
        NoticeReport e = early.worker().handle(NoticeWork.eligibility(OCT, List.of("acme"), 0), TimeBudget.unlimited());
        assertThat(e.entries(Outcome.NOTHING_OWED)).singleElement()
                .satisfies(x -> assertThat(x.detail()).contains("claim window is not open"));
        assertThat(early.statements.latest("acme", OCT)).as("nothing read or computed").isEmpty();
        assertThat(early.mailer.sent).isEmpty();
    }
}
