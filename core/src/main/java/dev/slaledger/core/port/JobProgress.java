package dev.slaledger.core.port;

import java.util.Optional;

/**
 * Where a long scheduled job got to (S9.2): the month-end's fan-out of a month, the restatement of
 * a month marked as a whole. A run stopped by its time budget, its timeout or a crash continues
 * after the last checkpoint, so a run's cost grows with the work left, never with the work done; a
 * completed job is not run again by its schedule.
 *
 * <p>{@code key} names one job (e.g. {@code month-end#2026-10}); a cursor is an account id: every
 * account listed up to and including it has been handed on (and is safe to hand on again: the
 * workers store nothing that did not change).
 */
public interface JobProgress {
    /**
     * @param cursor   the last account handed on, if any
     * @param items    how many were handed on in all
     * @param complete whether the job finished
     */
    record Progress(Optional<String> cursor, long items, boolean complete) {
    }

    /** The job's progress; empty when it never started. */
    Optional<Progress> progress(String key);

    /** Everything up to and including {@code cursor} was handed on, {@code items} in all. */
    void checkpoint(String key, String cursor, long items);

    /** The job finished with {@code items} handed on in all. */
    void complete(String key, long items);

    /** A progress that records nothing: every run starts from the beginning (tests, one-off runs). */
    static JobProgress none() {
        return new JobProgress() {
            @Override
            public Optional<Progress> progress(String key) {
                return Optional.empty();
            }

            @Override
            public void checkpoint(String key, String cursor, long items) {
            }

            @Override
            public void complete(String key, long items) {
            }
        };
    }
}
