package dev.slaledger.core.port.memory;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeWorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The notice queue in memory: units in enqueue order, each visible from its delay on (the clock's). */
public final class InMemoryNoticeWorkQueue implements NoticeWorkQueue {
    /** One queued unit. */
    public record Entry(NoticeWork work, Instant visibleAt) {
    }

    private final Clock clock;
    /** Units without delay, in order; delayed ones by the instant they become visible, then order. */
    private final java.util.ArrayDeque<Entry> ready = new java.util.ArrayDeque<>();
    private final java.util.TreeMap<Long, Entry> delayed = new java.util.TreeMap<>();
    private long enqueued;

    public InMemoryNoticeWorkQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void enqueue(NoticeWork work, Duration delay) {
        Entry e = new Entry(work, clock.instant().plus(delay));
        if (delay.isZero() || delay.isNegative()) {
            ready.addLast(e);
        } else {
            delayed.put(e.visibleAt().toEpochMilli() * 1_000_000 + (enqueued % 1_000_000), e);
        }
        enqueued++;
    }

    /** The oldest unit visible now (a delayed one once its delay has passed), removed from the queue. */
    public synchronized Optional<NoticeWork> take() {
        Instant now = clock.instant();
        while (!delayed.isEmpty() && !delayed.firstEntry().getValue().visibleAt().isAfter(now)) {
            ready.addLast(delayed.pollFirstEntry().getValue());
        }
        Entry e = ready.pollFirst();
        return e == null ? Optional.empty() : Optional.of(e.work());
    }

    /** Every unit still queued, visible or not. */
    public synchronized List<Entry> entries() {
        List<Entry> all = new ArrayList<>(ready);
        all.addAll(delayed.values());
        return all;
    }

    public synchronized boolean isEmpty() {
        return ready.isEmpty() && delayed.isEmpty();
    }

    /** Units queued now, visible or not. */
    public synchronized int size() {
        return ready.size() + delayed.size();
    }

    /** Units enqueued so far. */
    public synchronized long enqueued() {
        return enqueued;
    }
}
