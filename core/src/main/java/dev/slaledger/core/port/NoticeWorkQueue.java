package dev.slaledger.core.port;

import dev.slaledger.core.notice.NoticeWork;
import java.time.Duration;

/** Hands notice work to the notice workers (an SQS queue in AWS, S9.2). */
public interface NoticeWorkQueue {
    /** Enqueues one unit, visible to the workers after {@code delay} (an adapter may cap it). */
    void enqueue(NoticeWork work, Duration delay);

    default void enqueue(NoticeWork work) {
        enqueue(work, Duration.ZERO);
    }

    /** Sends whatever an adapter buffered; called before a run records progress past the work it enqueued. */
    default void flush() {
    }
}
