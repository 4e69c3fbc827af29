package dev.slaledger.core.port.memory;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeWorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The notice queue in memory: units in enqueue order, each visible from its delay on (the clock's). */
public final class InMemoryNoticeWorkQueue implements NoticeWorkQueue {
    /** One queued unit. */
    public record Entry(NoticeWork work, Instant visibleAt) {
    }

    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private long enqueued;

    public InMemoryNoticeWorkQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void enqueue(NoticeWork work, Duration delay) {
        entries.add(new Entry(work, clock.instant().plus(delay)));
        enqueued++;
    }

    /** The oldest unit visible now, removed from the queue. */
    public synchronized Optional<NoticeWork> take() {
        Instant now = clock.instant();
        for (Iterator<Entry> it = entries.iterator(); it.hasNext();) {
            Entry e = it.next();
            if (!e.visibleAt().isAfter(now)) {
                it.remove();
                return Optional.of(e.work());
            }
        }
        return Optional.empty();
    }

    /** Every unit still queued, visible or not. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Units enqueued so far. */
    public synchronized long enqueued() {
        return enqueued;
    }
}
