package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.aws.SimQueue;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.core.statement.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

/**
 * A job Scheduler starts: its schedule (schedules.json) fires the deployed function once, at the next
 * firing after the job starts; the job has run when that firing has passed and every invocation it
 * caused has ended; it is finished then, or, when the function hands its work to a queue that
 * workers take it from, once that queue has drained too. What the subclasses add: what they check,
 * and their target, measured from the firing.
 */
abstract class ScheduledJob implements RehearsalJob {
    protected final String name;
    protected Instant trigger;
    private final Duration limit;
    private final Function<RehearsalStack, SimQueue> workQueue;

    /** A job whose function does all of its work itself, waited for at most {@code limit}. */
    ScheduledJob(String name, Duration limit) {
        this(name, limit, null);
    }

    /** A job whose function hands its work to the stack's {@code workQueue}, waited for at most {@code limit}. */
    ScheduledJob(String name, Duration limit, Function<RehearsalStack, SimQueue> workQueue) {
        this.name = name;
        this.limit = limit;
        this.workQueue = workQueue;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Whether the firing has run and the queue it handed its work to (if any) has drained. */
    @Override
    public final boolean finished(RehearsalStack stack) {
        return ran(stack) && (workQueue == null || workQueue.apply(stack).drained());
    }

    @Override
    public final Duration limit() {
        return limit;
    }

    /** Fires {@code schedule} at its next firing after {@code from} (the stack created it at {@code after}). */
    protected final void fireNext(RehearsalStack stack, String schedule, Instant from, Instant after) {
        trigger = RehearsalStack.nextFiring(schedule, from, ZoneOffset.UTC, after);
        stack.fire(schedule, trigger, name);
    }

    /** Whether the firing has passed and every invocation it caused has ended. */
    protected final boolean ran(RehearsalStack stack) {
        return trigger != null && stack.sim.now().isAfter(trigger) && stack.asyncDone(name);
    }

    /** From the firing to the job's last request. */
    protected final Duration took(Meter.Job figures) {
        return figures.end == null ? Duration.ZERO : Duration.between(trigger, figures.end);
    }

    /** A target: the job done within {@code limit} of its firing. */
    protected final List<Check> within(Meter.Job figures, String what, Duration limit) {
        Duration took = took(figures);
        return List.of(Check.of(what, took.compareTo(limit) <= 0, Report.duration(took)));
    }

    /** How many revisions of an account-month's history repeat the one before (each is a statement stored twice). */
    static long repeatedRevisions(List<Statement> history) {
        long repeated = 0;
        for (int k = 1; k < history.size(); k++) {
            if (history.get(k).sameContentAs(history.get(k - 1))) {
                repeated++;
            }
        }
        return repeated;
    }
}
