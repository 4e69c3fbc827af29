package dev.slaledger.core.port;

import java.time.Duration;
import java.time.Instant;

/**
 * How many requests one account may make (issue 15): at most a limit per clock minute, counted
 * in fixed windows of one minute that start at each whole UTC minute (epoch minute). A request
 * refused does not count.
 */
public interface RateLimiter {
    /** The length of one counting window. */
    Duration WINDOW = Duration.ofMinutes(1);

    /**
     * Takes one request of the account's allowance in the window holding {@code now}: true if it is
     * granted, false if the limit of that window is already reached. However many callers run at
     * once, no window grants more than the limit.
     */
    boolean tryAcquire(String accountId, Instant now);

    /** The window holding {@code now}, as its number of whole minutes since the epoch. */
    static long window(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), WINDOW.toSeconds());
    }

    /** The start of the window after the one holding {@code now}: when a refused caller may try again. */
    static Instant nextWindow(Instant now) {
        return Instant.ofEpochSecond((window(now) + 1) * WINDOW.toSeconds());
    }
}
