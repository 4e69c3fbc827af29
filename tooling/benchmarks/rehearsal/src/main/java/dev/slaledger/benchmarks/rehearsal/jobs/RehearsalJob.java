package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One scheduled job as the rehearsal runs it: a pluggable piece that prepares the world for itself,
 * triggers the deployed function the way AWS would (its schedule, an admin call), says when it is
 * finished, and checks afterwards that it reached every account it owed work and did every effect
 * exactly once. The runner ({@code Rehearsal}) runs jobs one after the other on one stack and
 * reports each with the meter's figures.
 */
public interface RehearsalJob {
    /** The report's row (also the meter's job label of everything the job causes). */
    String name();

    /** Prepares what the job needs and schedules its trigger(s), at or after {@code after}. */
    void start(RehearsalStack stack, Instant after);

    /** Whether the job has finished (checked every simulated minute). */
    boolean finished(RehearsalStack stack);

    /** How much simulated time the job may take before the runner stops waiting. */
    Duration limit();

    /** What the job checks once finished. */
    List<Check> checks(RehearsalStack stack);

    /** The target the issue sets for the job, if any, checked against the measured figures. */
    default List<Check> targets(RehearsalStack stack, dev.slaledger.benchmarks.rehearsal.model.Meter.Job figures) {
        return List.of();
    }

    /** One check: what, whether it held, and the figure behind it. */
    record Check(String what, boolean passed, String detail) {
        public static Check of(String what, boolean passed, String detail) {
            return new Check(what, passed, detail);
        }
    }
}
