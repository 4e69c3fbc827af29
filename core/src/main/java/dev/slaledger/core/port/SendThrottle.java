package dev.slaledger.core.port;

import dev.slaledger.core.notice.SendPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one send schedule every notice sender shares (S9.3): the Ledger's token bucket in AWS. A
 * sender asks for a slot before each mail and sends no earlier than the slot; slots are spaced
 * {@link SendPlan#intervalMicros} apart whatever the number of concurrent senders, and no clock hour
 * grants more than {@link SendPlan#hourCap}.
 */
public interface SendThrottle {
    /** What this system sent, by its own count (the grants), as the throttle sees it at {@code now}. */
    record Usage(Optional<SendPlan> plan, long thisHour, long last24Hours) {
    }

    /** The answer to a request for slots. */
    sealed interface Answer permits Granted, Wait, Exhausted {
    }

    /** {@code count} slots: the j-th (from 0) is at {@code first + j x spacing}. */
    record Granted(int count, Instant first, Duration spacing) implements Answer {
        public Instant slot(int j) {
            return first.plus(spacing.multipliedBy(j));
        }
    }

    /** The rate is taken up to {@link SendPlan#HORIZON} ahead: ask again at {@code retryAt}. */
    record Wait(Instant retryAt) implements Answer {
    }

    /** This hour's share is used up (or no plan is configured): nothing before {@code until}. */
    record Exhausted(Instant until, String why) implements Answer {
    }

    /** Sets the plan of a run (the dispatcher, after reading the quota); forgets counts older than 25 hours. */
    void configure(SendPlan plan);

    /** The plan in force and our sends this clock hour and in the last 24 hours. */
    Usage usage(Instant now);

    /** Takes {@code count} slots at or after {@code now}, or says when to ask again. */
    Answer acquire(int count, Instant now);
}
