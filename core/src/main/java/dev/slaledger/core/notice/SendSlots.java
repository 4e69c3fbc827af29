package dev.slaledger.core.notice;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The arithmetic of the shared send schedule (S9.3), for every {@code SendThrottle}: a generic cell
 * rate schedule. The state is {@code tat}, the first instant not yet given to a sender; {@code count}
 * slots asked at {@code now} are {@code max(tat, now)}, then every {@link SendPlan#intervalMicros},
 * and tat moves past them. A slot more than {@link SendPlan#HORIZON} ahead is not given (the sender
 * asks again later), so no sender waits long; no clock hour gives more than {@link SendPlan#hourCap}
 * (counted in the hour of the grant). Instants are epoch microseconds.
 */
public final class SendSlots {
    private SendSlots() {
    }

    /** What to do with a request. */
    public sealed interface Decision permits Grant, WaitUntil, HourFull {
    }

    /** Give the slots from {@code firstMicros}; tat becomes {@code newTatMicros}. */
    public record Grant(long firstMicros, long newTatMicros) implements Decision {
    }

    /** The schedule is taken up to the horizon: ask again at {@code micros}. */
    public record WaitUntil(long micros) implements Decision {
    }

    /** The hour's share is spent: nothing before {@code nextHour}. */
    public record HourFull(Instant nextHour) implements Decision {
    }

    public static Decision decide(SendPlan plan, long tatMicros, long usedThisHour, int count, Instant now) {
        if (count < 1) {
            throw new IllegalArgumentException("ask for at least one slot: " + count);
        }
        if (plan.hourCap() <= 0 || usedThisHour + count > plan.hourCap()) {
            return new HourFull(now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
        }
        long nowMicros = micros(now);
        long first = Math.max(tatMicros, nowMicros);
        long horizon = SendPlan.HORIZON.toNanos() / 1000;
        if (first - nowMicros > horizon) {
            return new WaitUntil(first - horizon);
        }
        return new Grant(first, first + count * plan.intervalMicros());
    }

    /** The clock hour (UTC) of an instant, as epoch hours: the key of an hourly count. */
    public static long hour(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 3600);
    }

    public static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
