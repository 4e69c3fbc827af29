package dev.slaledger.core.traffic;

import java.time.Instant;

/** Five-minute intervals starting at multiples of five minutes since the epoch, UTC (S2.1). */
public final class Intervals {
    public static final long SECONDS = 300;

    private Intervals() {
    }

    /** The start of the interval holding {@code instant}. */
    public static Instant startOf(Instant instant) {
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), SECONDS) * SECONDS);
    }

    public static boolean isIntervalStart(Instant instant) {
        return instant.getNano() == 0 && Math.floorMod(instant.getEpochSecond(), SECONDS) == 0;
    }
}
