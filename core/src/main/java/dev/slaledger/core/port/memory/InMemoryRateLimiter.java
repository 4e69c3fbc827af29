package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.RateLimiter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Per-account counters of requests per window, in memory; the limit is the constructor's. */
public final class InMemoryRateLimiter implements RateLimiter {
    private record Key(String accountId, long window) {
    }

    private final int limitPerMinute;
    private final Map<Key, Integer> granted = new HashMap<>();

    public InMemoryRateLimiter(int limitPerMinute) {
        if (limitPerMinute < 1) {
            throw new IllegalArgumentException("a limit is at least 1 request per minute: " + limitPerMinute);
        }
        this.limitPerMinute = limitPerMinute;
    }

    /** A limiter that never refuses (tests of everything but the limit). */
    public static InMemoryRateLimiter unlimited() {
        return new InMemoryRateLimiter(Integer.MAX_VALUE);
    }

    @Override
    public synchronized boolean tryAcquire(String accountId, Instant now) {
        Key key = new Key(accountId, RateLimiter.window(now));
        int n = granted.getOrDefault(key, 0);
        if (n >= limitPerMinute) {
            return false;
        }
        granted.put(key, n + 1);
        return true;
    }

    /** Requests of the account granted in the window holding {@code now}. */
    public synchronized int granted(String accountId, Instant now) {
        return granted.getOrDefault(new Key(accountId, RateLimiter.window(now)), 0);
    }
}
