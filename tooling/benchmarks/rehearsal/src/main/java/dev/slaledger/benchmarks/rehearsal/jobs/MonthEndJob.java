package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.statement.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * The month-end (S9.1): Scheduler fires the month-end function on its schedule (schedules.json,
 * the terms' zone); it lists the month's accounts onto the work queue; the statement workers take
 * the messages through the SQS mapping. Finished when the run and its retries have ended and the
 * queue holds nothing. Target (issue 27 item 6): every statement within 1 hour of the trigger.
 */
public final class MonthEndJob extends ScheduledJob {
    public static final YearMonth MONTH = YearMonth.of(2026, 10);
    private final List<Integer> poisoned;
    private final int malformed;

    public MonthEndJob(String name) {
        this(name, List.of(), 0);
    }

    /**
     * The month-end with bad input (S7.5, S9.2, issue 27 item 2): the accounts {@code poisoned} whose
     * statement items cannot be read fail alone, are retried a bounded number of times (the work queue's
     * receives) and then reported (their messages in the alarmed dead-letter queue, the worker's
     * StatementFailures metric); {@code malformed} work messages that are not work messages at all go to
     * the dead-letter queue too; neither holds up the other accounts.
     */
    public MonthEndJob(String name, List<Integer> poisoned, int malformed) {
        super(name, Duration.ofHours(6), stack -> stack.workQueue);
        this.poisoned = List.copyOf(poisoned);
        this.malformed = malformed;
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        fireNext(stack, "MonthEndSchedule", after, after);
        poisoned.forEach(i -> stack.world.poisoned.add(SyntheticWorld.accountId(i)));
        if (malformed > 0) {
            stack.sim.spawn("malformed-sender", new dev.slaledger.benchmarks.rehearsal.aws.Activity(name), () -> {
                stack.sim.sleepUntil(trigger.plusSeconds(5));
                for (int i = 0; i < malformed; i++) {
                    String body = i % 2 == 0 ? "not a work message" : "{\"month\":\"2026-13\",\"accountIds\":[]}";
                    stack.sqs.sendMessage(b -> b.queueUrl(stack.workQueue.url()).messageBody(body));
                }
            });
        }
    }

    public Instant trigger() {
        return trigger;
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        SyntheticWorld w = stack.world;
        long reached = 0;
        long twice = 0;
        long compensable = 0;
        long announced = 0;
        List<String> missing = new ArrayList<>();
        var deliveries = stack.events.deliveries();
        for (int i = 0; i < w.accounts; i++) {
            String id = SyntheticWorld.accountId(i);
            List<Statement> history = w.statementStore.history(id, MONTH);
            if (history.isEmpty()) {
                if (missing.size() < 5) {
                    missing.add(id);
                }
                continue;
            }
            reached++;
            if (history.size() > 1) {
                twice++;
            }
            Statement s = history.get(0);
            if (s.compensable()) {
                compensable++;
                if (deliveries.containsKey("StatementCompensable " + id + " " + MONTH + " " + s.revision())) {
                    announced++;
                }
            }
        }
        stack.aws.meter().job(name).add("accounts reached", reached);
        List<Check> checks = new ArrayList<>();
        long expected = w.accounts - poisoned.size();
        checks.add(Check.of("every account with a service period in " + MONTH + " has its statement"
                + (poisoned.isEmpty() ? "" : " (but the " + poisoned.size() + " unreadable ones)"), reached == expected,
                reached + " of " + expected + (missing.isEmpty() ? "" : ", missing e.g. " + missing)));
        var progress = w.progressStore.progress(dev.slaledger.core.usecase.MonthEndFanOut.key(MONTH));
        var fanOut = stack.aws.meter().job(name).functions.get("month-end");
        checks.add(Check.of("the fan-out closed the month once, continuing after every stopped run (S9.2)",
                progress.isPresent() && progress.get().complete() && progress.get().items() >= w.accounts,
                progress.map(p -> p.items() + " accounts handed out, complete " + p.complete()).orElse("no progress")
                        + "; " + (fanOut == null ? 0 : fanOut.invocations) + " runs of the fan-out ("
                        + (fanOut == null ? 0 : fanOut.timeouts + fanOut.crashes) + " stopped)"));
        if (!poisoned.isEmpty() || malformed > 0) {
            long deadAccounts = stack.workQueue.deadLetters().stream().filter(m -> m.body().contains("accountIds\":[\""))
                    .count();
            long deadMalformed = stack.workQueue.deadLetters().size() - deadAccounts;
            var warnings = stack.aws.meter().job(name).warnings;
            long failureMetrics = warnings.getOrDefault("statement-worker metric StatementFailures", 0L);
            checks.add(Check.of("each message holding an unreadable account retried a bounded number of times, then"
                    + " dead-lettered (alarm) and counted in StatementFailures (alarm)",
                    deadAccounts == poisoned.stream().map(i -> i / 25).distinct().count() && failureMetrics > 0,
                    deadAccounts + " such messages dead-lettered; StatementFailures reported by " + failureMetrics
                            + " invocations"));
            checks.add(Check.of("each malformed work message dead-lettered (alarm), never blocking the queue",
                    deadMalformed == malformed, deadMalformed + " of " + malformed));
        } else {
            checks.add(Check.of("no work message dead-lettered", stack.workQueue.deadLetters().isEmpty(),
                    stack.workQueue.deadLetters().size() + " in the dead-letter queue"));
        }
        checks.addAll(List.of(
                Check.of("each statement stored exactly once (one revision per account-month)", twice == 0,
                        twice + " account-months with more than one revision"),
                Check.of("every compensable statement announced (StatementCompensable; billing deduplicates)",
                        announced == compensable, announced + " of " + compensable + " announced, "
                                + stack.events.duplicates("StatementCompensable") + " duplicate deliveries")));
        return checks;
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        return within(figures, "month-end fan-out and every statement within 1 hour of the trigger", Duration.ofHours(1));
    }
}
