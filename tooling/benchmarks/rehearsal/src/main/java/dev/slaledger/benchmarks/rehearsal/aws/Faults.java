package dev.slaledger.benchmarks.rehearsal.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The faults a rehearsal injects, at seeded random points: a Lambda killed while it makes a
 * request (before the request reaches the service, or after it took effect and before the answer
 * arrived), an SQS message delivered twice at once (at-least-once delivery), and the first
 * invocation of a function timing out after a number of its requests (a run stopped by its timeout).
 */
public final class Faults {
    /** How a kill lands on a request. */
    public enum Kill {
        NONE, BEFORE_EFFECT, AFTER_EFFECT
    }

    private final SplittableRandom random;
    private final double killPerRequest;
    private final double duplicatePerReceive;
    private final Map<String, Integer> timeoutAfterRequests = new HashMap<>();
    private long kills;
    private long duplicates;
    private long timeouts;

    public Faults(long seed, double killPerRequest, double duplicatePerReceive) {
        this.random = new SplittableRandom(seed);
        this.killPerRequest = killPerRequest;
        this.duplicatePerReceive = duplicatePerReceive;
    }

    public static Faults none() {
        return new Faults(0, 0, 0);
    }

    /** The first invocation of {@code function} times out after its {@code requests}-th request. */
    public Faults timeoutFirstInvocation(String function, int requests) {
        timeoutAfterRequests.put(function, requests);
        return this;
    }

    public boolean any() {
        return killPerRequest > 0 || duplicatePerReceive > 0 || !timeoutAfterRequests.isEmpty();
    }

    Kill killAtRequest() {
        if (killPerRequest <= 0 || random.nextDouble() >= killPerRequest) {
            return Kill.NONE;
        }
        kills++;
        return random.nextBoolean() ? Kill.BEFORE_EFFECT : Kill.AFTER_EFFECT;
    }

    boolean duplicateDelivery() {
        if (duplicatePerReceive <= 0 || random.nextDouble() >= duplicatePerReceive) {
            return false;
        }
        duplicates++;
        return true;
    }

    /** For the first invocation of {@code function}: after how many requests it times out (0: it does not). */
    int takeTimeout(String function) {
        Integer n = timeoutAfterRequests.remove(function);
        if (n == null) {
            return 0;
        }
        timeouts++;
        return n;
    }

    /** A random draw for the models (jitter, bounces). */
    public double nextDouble() {
        return random.nextDouble();
    }

    public long kills() {
        return kills;
    }

    public long duplicates() {
        return duplicates;
    }

    public long timeouts() {
        return timeouts;
    }

    public String describe() {
        return "kill per request " + killPerRequest + ", duplicate delivery per receive " + duplicatePerReceive
                + ", first-invocation timeouts " + timeoutAfterRequests;
    }
}
