package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Notice deliveries in memory with their whole life (reservation, completion, retry, bounce);
 * the S6.3 reads ({@link #sentDates}, {@link #find(String, String)}) see SENT deliveries only.
 */
public final class InMemoryNoticeLedger implements NoticeRepository, NoticeDeliveries {
    private record Key(String accountId, String version) {
    }

    private final Map<Key, Record> records = new HashMap<>();
    private final Map<String, Attempt> attempts = new HashMap<>();

    @Override
    public synchronized Optional<Record> stored(String accountId, String version) {
        return Optional.ofNullable(records.get(new Key(accountId, version)));
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
        records.put(key, new Record(a.accountId(), a.version(), State.SENDING, a.attemptId(), a.to(), sends, failures,
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
        records.put(key, new Record(accountId, version, State.SENT, attemptId, r.to(), r.sends() + 1, r.failures(),
                r.leaseUntil(), Optional.of(messageId), Optional.of(sentAt), Optional.of(sentOn), r.lastError()));
        return true;
    }

    @Override
    public synchronized boolean release(String accountId, String version, String attemptId, String error) {
        Key key = new Key(accountId, version);
        Record r = records.get(key);
        if (r == null || r.state() != State.SENDING || !r.attemptId().equals(attemptId)) {
            return false;
        }
        records.put(key, new Record(accountId, version, State.RETRY, attemptId, r.to(), r.sends(), r.failures() + 1,
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
        records.put(key, new Record(accountId, version, State.BOUNCED, r.attemptId(), r.to(), r.sends(), r.failures(),
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
        records.put(key, new Record(d.accountId(), d.version(), State.SENT, "recorded", "", 1, 0, d.sentAt(),
                Optional.of(d.messageId()), Optional.of(d.sentAt()), Optional.of(d.sentOn()), Optional.empty()));
        return true;
    }

    @Override
    public synchronized Map<String, LocalDate> sentDates(String accountId) {
        Map<String, LocalDate> out = new HashMap<>();
        records.values().stream()
                .filter(r -> r.accountId().equals(accountId) && r.state() == State.SENT)
                .forEach(r -> out.put(r.version(), r.sentOn().orElseThrow()));
        return out;
    }

    private static Delivery delivery(Record r) {
        return new Delivery(r.accountId(), r.version(), r.messageId().orElseThrow(), r.sentAt().orElseThrow(),
                r.sentOn().orElseThrow());
    }
}
