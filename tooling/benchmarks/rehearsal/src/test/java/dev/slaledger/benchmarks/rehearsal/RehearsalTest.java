package dev.slaledger.benchmarks.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.benchmarks.rehearsal.jobs.MonthEndJob;
import dev.slaledger.benchmarks.rehearsal.jobs.RehearsalJob;
import dev.slaledger.core.terms.DefaultTerms;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 27: the provider-scale rehearsal at a small size, as CI runs it (the figures at 1,000,000
 * accounts are in docs/benchmarks.md). Every job's checks and targets must hold: without faults, and
 * with Lambdas killed at random requests, messages delivered twice and first runs timing out, where
 * each job must resume and every effect happen exactly once. Deterministic: the seed fixes every
 * random choice and the simulated clock every instant, so a failure reproduces.
 */
class RehearsalTest {
    private static final int ACCOUNTS = 2_000;

    private static String failures(Rehearsal.Result result) {
        return result.outcomes().stream()
                .flatMap(o -> java.util.stream.Stream.concat(o.checks().stream(), o.targets().stream())
                        .filter(c -> !c.passed()).map(c -> o.job() + ": " + c.what() + " (" + c.detail() + ")"))
                .collect(Collectors.joining("\n")) + "\n\n" + result.report();
    }

    private static void allHold(Rehearsal.Result result) {
        assertThat(result.outcomes()).isNotEmpty();
        assertThat(result.passed()).as(failures(result)).isTrue();
        assertThat(result.outcomes()).allSatisfy(o -> assertThat(o.targetsMet()).as(failures(result)).isTrue());
    }

    @Test
    @DisplayName("S9.1 (issue 27 items 6, 7): month-end, an idle outbox sweep, the daily restatement with 1% stale and a"
            + " window for all accounts reach every account-month exactly once and meet their targets")
    void monthEndSuite() {
        Rehearsal.Result result = Suites.monthEnd(Rehearsal.Params.defaults(ACCOUNTS));
        allHold(result);
        assertThat(result.outcome("month-end").figures().counter("accounts reached")).isEqualTo(ACCOUNTS);
        assertThat(result.outcome("maintenance window for all accounts").figures().counter("accounts reached"))
                .isEqualTo(ACCOUNTS);
    }

    @Test
    @DisplayName("S9.2 (issue 27 item 1): with Lambdas killed at random requests, messages delivered twice and the first"
            + " runs timing out, every job resumes and every effect happens exactly once")
    void monthEndSuiteWithCrashes() {
        Rehearsal.Params p = Rehearsal.Params.defaults(ACCOUNTS).withFaults(0.002, 0.01, true);
        Rehearsal.Result result = Suites.monthEnd(p);
        allHold(result);
        assertThat(result.report()).contains("injected:");
        long killed = result.outcomes().stream().flatMap(o -> o.figures().functions.values().stream())
                .mapToLong(f -> f.crashes + f.timeouts).sum();
        assertThat(killed).as("invocations killed or timed out").isPositive();
    }

    @Test
    @DisplayName("S7.5, S9.2 (issue 27 item 2): an account whose items cannot be read fails alone, is retried a bounded"
            + " number of times and reported (dead-letter queue, StatementFailures); malformed work messages go to the"
            + " dead-letter queue; the other accounts are not held up")
    void badInput() {
        Rehearsal.Result result = Rehearsal.run(Rehearsal.Params.defaults(ACCOUNTS), Suites.MONTH_END_START,
                DefaultTerms.version(), stack -> List.<RehearsalJob>of(
                        new MonthEndJob("month-end", List.of(7, 1_234), 2)));
        allHold(result);
        assertThat(result.outcome("month-end").figures().counter("accounts reached")).isEqualTo(ACCOUNTS - 2);
    }

    @Test
    @DisplayName("S6.2-S6.4, S9.3 (issue 27 item 8): change notices of a new terms version reach every account, none"
            + " twice, never above the SES rate")
    void changeNotices() {
        Rehearsal.Result result = Suites.notices(Rehearsal.Params.defaults(ACCOUNTS), 3);
        allHold(result);
        assertThat(result.outcome("change notices").figures().counter("accounts reached")).isEqualTo(ACCOUNTS);
    }

    @Test
    @DisplayName("S9.2, S9.3 (issue 27 items 1-3): change notices through the dispatcher, the notice queue and the"
            + " workers with Lambdas killed at random requests and messages delivered twice: every account once")
    void changeNoticesWithCrashes() {
        // 1 kill in 2,000 requests: a unit of 25 accounts is about 150 requests and a worker takes 5 units, so
        // at the month-end test's 1 in 500 most invocations die and units reach the queue's 3 receives (its
        // dead-letter queue; docs/benchmarks.md). The time target is not asserted here: at 2,000 accounts the floor is
        // under an hour, and a send killed after its reservation waits out the 35-minute lease (SES may have taken
        // it) and the next hourly run, which is what keeps it exactly once.
        Rehearsal.Params p = Rehearsal.Params.defaults(ACCOUNTS).withFaults(0.0005, 0.01, false);
        Rehearsal.Result result = Suites.notices(p, 3);
        assertThat(result.passed()).as(failures(result)).isTrue();
        assertThat(result.outcome("change notices").figures().counter("accounts reached")).isEqualTo(ACCOUNTS);
        long killed = result.outcomes().stream().flatMap(o -> o.figures().functions.values().stream())
                .mapToLong(f -> f.crashes + f.timeouts).sum();
        assertThat(killed).as("invocations killed or timed out").isPositive();
    }

    @Test
    @DisplayName("S6.3, S9.2 (issue 27 items 1-2): Lambdas killed often enough that work units use up their 3 receives and"
            + " reach the notice queue's dead-letter queue after the version's cursor moved past them: the dispatcher"
            + " lists each again from its rescue record, every account is notified exactly once, none given up")
    void changeNoticesDeadLetteredUnitsRescued() {
        // 1 kill in 500 requests: about half the worker's invocations die, 15 units reach the dead-letter queue (at 1 in
        // 300 so many die that some units use up their 3 attempts and are given up: recorded and alarmed, as bounded)
        Rehearsal.Params p = Rehearsal.Params.defaults(ACCOUNTS).withFaults(0.002, 0.01, true);
        Rehearsal.Result result = Suites.notices(p, 5);
        assertThat(result.passed()).as(failures(result)).isTrue();
        assertThat(result.outcome("change notices").figures().counter("accounts reached")).isEqualTo(ACCOUNTS);
        assertThat(result.stack().noticeQueue.deadLetters()).as("units dead-lettered (the case this rescues)").isNotEmpty();
        assertThat(result.stack().rescued("change notices")).as("units listed again").isPositive();
        assertThat(result.stack().ses.sentTwice()).isZero();
    }

    @Test
    @DisplayName("S8.2, S9.1 (issue 27 item 6): eligibility notices of October's compensable accounts, swept by the"
            + " dispatcher from 09:00 of the day the window opens, every one on that day at this quota, none twice")
    void eligibilityNotices() {
        Rehearsal.Result result = Suites.eligibility(Rehearsal.Params.defaults(ACCOUNTS), false, 3);
        allHold(result);
        assertThat(result.outcome("eligibility notices").figures().counter("accounts reached")).isPositive();
    }

    @Test
    @DisplayName("S8.3, S9.1 (issue 27 item 6): automatic claims and credited notices of October's compensable accounts")
    void eligibilityAutoClaim() {
        Rehearsal.Result result = Suites.eligibility(Rehearsal.Params.defaults(ACCOUNTS), true, 3);
        allHold(result);
    }
}
