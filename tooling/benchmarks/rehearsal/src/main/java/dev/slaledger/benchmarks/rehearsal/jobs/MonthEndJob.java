package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.statement.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The month-end (S9.1): Scheduler fires the month-end function on its schedule (schedules.json,
 * the terms' zone); it lists the month's accounts onto the work queue; the statement workers take
 * the messages through the SQS mapping. Finished when the run and its retries have ended and the
 * queue holds nothing. Target (issue 27 item 6): every statement within 1 hour of the trigger.
 */
public final class MonthEndJob implements RehearsalJob {
    public static final YearMonth MONTH = YearMonth.of(2026, 10);
    private final String name;
    private Instant trigger;

    public MonthEndJob(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        trigger = RehearsalStack.nextFiring("MonthEndSchedule", after, ZoneOffset.UTC, after);
        stack.fire("MonthEndSchedule", trigger, name);
    }

    public Instant trigger() {
        return trigger;
    }

    @Override
    public boolean finished(RehearsalStack stack) {
        return stack.sim.now().isAfter(trigger) && stack.asyncDone(name) && stack.workQueue.drained();
    }

    @Override
    public Duration limit() {
        return Duration.ofHours(6);
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
        return List.of(
                Check.of("every account with a service period in " + MONTH + " has its statement", reached == w.accounts,
                        reached + " of " + w.accounts + (missing.isEmpty() ? "" : ", missing e.g. " + missing)),
                Check.of("each statement stored exactly once (one revision per account-month)", twice == 0,
                        twice + " account-months with more than one revision"),
                Check.of("every compensable statement announced (StatementCompensable; billing deduplicates)",
                        announced == compensable, announced + " of " + compensable + " announced, "
                                + stack.events.duplicates("StatementCompensable") + " duplicate deliveries"),
                Check.of("no work message dead-lettered", stack.workQueue.deadLetters().isEmpty(),
                        stack.workQueue.deadLetters().size() + " in the dead-letter queue"));
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        Duration took = figures.end == null ? Duration.ZERO : Duration.between(trigger, figures.end);
        return List.of(Check.of("month-end fan-out and every statement within 1 hour of the trigger",
                took.compareTo(Duration.ofHours(1)) <= 0, Report.duration(took)));
    }
}
