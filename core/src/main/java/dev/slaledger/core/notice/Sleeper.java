package dev.slaledger.core.notice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until an instant of the injected clock: a send waits for its slot of the shared send rate
 * (S9.3). Lambda sleeps the thread; a rehearsal or a test advances its simulated clock instead.
 */
@FunctionalInterface
public interface Sleeper {
    void sleepUntil(Instant when);

    /** Sleeps the calling thread until {@code clock} reads {@code when}. */
    static Sleeper system(Clock clock) {
        return when -> {
            Duration wait = Duration.between(clock.instant(), when);
            if (wait.isNegative() || wait.isZero()) {
                return;
            }
            try {
                Thread.sleep(wait.toMillis(), (int) (wait.toNanosPart() % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a send slot", e);
            }
        };
    }
}
