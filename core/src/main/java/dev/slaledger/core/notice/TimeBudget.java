package dev.slaledger.core.notice;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether a run may start one more step (S9.2: a job stopped by its time budget continues where it
 * stopped). A Lambda handler builds it from the invocation's remaining time and the injected clock;
 * a rehearsal from its simulated clock.
 */
@FunctionalInterface
public interface TimeBudget {
    /** True once no new step may start. */
    boolean exhausted();

    /** Spent once {@code clock} reaches {@code deadline}. */
    static TimeBudget until(Clock clock, Instant deadline) {
        return () -> !clock.instant().isBefore(deadline);
    }

    /** Never spent (tests, a run without a limit). */
    static TimeBudget unlimited() {
        return () -> false;
    }
}
