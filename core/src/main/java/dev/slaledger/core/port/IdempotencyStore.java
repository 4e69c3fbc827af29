package dev.slaledger.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the response to a request made with an idempotency key, per caller, so that a retry
 * with the same key and the same request gets the same response and never runs twice. The
 * request is represented by a fingerprint (a hash of what makes it that request); the response
 * is opaque to the store.
 *
 * <p>Protocol: {@link #begin} reserves the key (an in-progress record with a lease); the caller
 * runs the request and then {@link #complete}s the record with the response, or
 * {@link #release}s it when the request failed for a reason a retry may not meet again.
 */
public interface IdempotencyStore {

    /** A response worth replaying: its status and body. */
    record StoredResponse(int status, String body) {
    }

    /** What {@link #begin} found. */
    sealed interface Begin permits Acquired, InProgress, Mismatch, Completed {
    }

    /** The key was free (or its record expired): the caller runs the request. */
    record Acquired() implements Begin {
    }

    /** Another request with this key and fingerprint is running now. */
    record InProgress() implements Begin {
    }

    /** The key was used for a different request. */
    record Mismatch() implements Begin {
    }

    /** The key was used for this request: here is its response. */
    record Completed(StoredResponse response) implements Begin {
    }

    /**
     * Reserves {@code key} of {@code caller} for the request {@code fingerprint} until
     * {@code leaseUntil} (a crashed run frees the key then), unless a live record exists.
     *
     * @param now records that expired before {@code now} count as absent
     */
    Begin begin(String caller, String key, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt);

    /** Stores the response of the reserved request; kept until {@code expiresAt}. */
    void complete(String caller, String key, String fingerprint, StoredResponse response, Instant expiresAt);

    /** Frees a reserved key whose request did not complete (a retry runs it again). */
    void release(String caller, String key, String fingerprint);

    /** The live record of the key, for tests and diagnostics. */
    Optional<StoredResponse> completed(String caller, String key, Instant now);
}
