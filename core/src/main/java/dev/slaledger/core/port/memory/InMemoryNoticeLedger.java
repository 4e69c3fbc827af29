package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Notice deliveries in memory with their whole life (reservation, completion, retry, bounce);
 * the S6.3 reads ({@link #sentDates}, {@link #find(String, String)}) see SENT deliveries only.
 * Indexed by account, as the Ledger's {@code NOTICE#{account}} partition: an account's reads cost
 * what that account holds, whatever the number of accounts (a rehearsal holds millions).
 */
public final class InMemoryNoticeLedger implements NoticeRepository, NoticeDeliveries {
    private record Key(String accountId, String version) {
    }

    private final Map<Key, Record> records = new HashMap<>();
    /** Per account, its delivery keys (the partition). */
    private final Map<String, java.util.Set<String>> keysOf = new HashMap<>();
    private final Map<String, Attempt> attempts = new HashMap<>();

    @Override
    public synchronized Optional<Record> stored(String accountId, String version) {
        return Optional.ofNullable(records.get(new Key(accountId, version)));
    }

    @Override
    public synchronized List<Record> records(String accountId) {
        return keysOf.getOrDefault(accountId, java.util.Set.of()).stream()
                .map(k -> records.get(new Key(accountId, k))).sorted(Comparator.comparing(Record::version)).toList();
    }

    private void put(Key key, Record r) {
        records.put(key, r);
        keysOf.computeIfAbsent(key.accountId(), a -> new java.util.TreeSet<>()).add(key.version());
    }

    @Override
    public synchronized boolean reserve(Attempt a, Optional<Record> previous) {
        Key key = new Key(a.accountId(), a.version());
        Record stored = records.get(key);
        if (previous.isEmpty() ? stored != null
                : stored == null || stored.state() != previous.get().state()
                        || !Objects.equals(stored.attemptId(), previous.get().attemptId())) {
            return false;
        }
        int sends = stored == null ? 0 : stored.sends();
        int failures = stored == null ? 0 : stored.failures();
        put(key, new Record(a.accountId(), a.version(), State.SENDING, a.attemptId(), a.to(), sends, failures,
                a.leaseUntil(), Optional.empty(), Optional.empty(), Optional.empty(),
                stored == null ? Optional.empty() : stored.lastError()));
        attempts.put(a.attemptId(), a);
        return true;
    }

    @Override
    public synchronized boolean complete(String accountId, String version, String attemptId, String messageId,
            Instant sentAt, LocalDate sentOn) {
        Key key = new Key(accountId, version);
        Record r = records.get(key);
        if (r == null || r.state() != State.SENDING || !r.attemptId().equals(attemptId)) {
            return false;
        }
        put(key, new Record(accountId, version, State.SENT, attemptId, r.to(), r.sends() + 1, r.failures(),
                r.leaseUntil(), Optional.of(messageId), Optional.of(sentAt), Optional.of(sentOn), r.lastError()));
        return true;
    }

    @Override
    public synchronized boolean release(String accountId, String version, String attemptId, String error,
            boolean countsAsFailure) {
        Key key = new Key(accountId, version);
        Record r = records.get(key);
        if (r == null || r.state() != State.SENDING || !r.attemptId().equals(attemptId)) {
            return false;
        }
        put(key, new Record(accountId, version, State.RETRY, attemptId, r.to(), r.sends(),
                r.failures() + (countsAsFailure ? 1 : 0),
                r.leaseUntil(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(error)));
        return true;
    }

    @Override
    public synchronized boolean markBounced(String accountId, String version, String messageId, String reason) {
        Key key = new Key(accountId, version);
        Record r = records.get(key);
        if (r == null || r.state() != State.SENT || !r.messageId().orElse("").equals(messageId)) {
            return false;
        }
        put(key, new Record(accountId, version, State.BOUNCED, r.attemptId(), r.to(), r.sends(), r.failures(),
                r.leaseUntil(), r.messageId(), r.sentAt(), r.sentOn(), Optional.of(reason)));
        return true;
    }

    @Override
    public synchronized Optional<Attempt> attempt(String attemptId) {
        return Optional.ofNullable(attempts.get(attemptId));
    }

    // ------------------------------------------------------------ NoticeRepository (S6.3 reads)

    @Override
    public synchronized Optional<Delivery> find(String accountId, String version) {
        return Optional.ofNullable(records.get(new Key(accountId, version)))
                .filter(r -> r.state() == State.SENT)
                .map(InMemoryNoticeLedger::delivery);
    }

    @Override
    public synchronized boolean recordSent(Delivery d) {
        Key key = new Key(d.accountId(), d.version());
        if (records.containsKey(key)) {
            return false;
        }
        put(key, new Record(d.accountId(), d.version(), State.SENT, "recorded", "", 1, 0, d.sentAt(),
                Optional.of(d.messageId()), Optional.of(d.sentAt()), Optional.of(d.sentOn()), Optional.empty()));
        return true;
    }

    @Override
    public synchronized Map<String, LocalDate> sentDates(String accountId) {
        Map<String, LocalDate> out = new HashMap<>();
        records(accountId).stream().filter(r -> r.state() == State.SENT)
                .forEach(r -> out.put(r.version(), r.sentOn().orElseThrow()));
        return out;
    }

    private static Delivery delivery(Record r) {
        return new Delivery(r.accountId(), r.version(), r.messageId().orElseThrow(), r.sentAt().orElseThrow(),
                r.sentOn().orElseThrow());
    }
}
