package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Idempotency records in memory, with the same lease and expiry rules as the DynamoDB store. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Key(String caller, String key) {
    }

    private record Entry(String fingerprint, Optional<StoredResponse> response, Instant leaseUntil,
            Instant expiresAt) {
    }

    private final Map<Key, Entry> entries = new HashMap<>();

    @Override
    public synchronized Begin begin(String caller, String key, String fingerprint, Instant now, Instant leaseUntil,
            Instant expiresAt) {
        Key k = new Key(caller, key);
        Entry e = entries.get(k);
        boolean live = e != null && e.expiresAt().isAfter(now)
                && (e.response().isPresent() || e.leaseUntil().isAfter(now));
        if (live) {
            if (!e.fingerprint().equals(fingerprint)) {
                return new Mismatch();
            }
            return e.response().<Begin>map(Completed::new).orElseGet(InProgress::new);
        }
        entries.put(k, new Entry(fingerprint, Optional.empty(), leaseUntil, expiresAt));
        return new Acquired();
    }

    @Override
    public synchronized void complete(String caller, String key, String fingerprint, StoredResponse response,
            Instant expiresAt) {
        Key k = new Key(caller, key);
        Entry e = entries.get(k);
        if (e != null && e.fingerprint().equals(fingerprint)) {
            entries.put(k, new Entry(fingerprint, Optional.of(response), e.leaseUntil(), expiresAt));
        }
    }

    @Override
    public synchronized void release(String caller, String key, String fingerprint) {
        Key k = new Key(caller, key);
        Entry e = entries.get(k);
        if (e != null && e.fingerprint().equals(fingerprint) && e.response().isEmpty()) {
            entries.remove(k);
        }
    }

    @Override
    public synchronized Optional<StoredResponse> completed(String caller, String key, Instant now) {
        Entry e = entries.get(new Key(caller, key));
        return e == null || !e.expiresAt().isAfter(now) ? Optional.empty() : e.response();
    }
}
