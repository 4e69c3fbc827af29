package dev.slaledger.adapter.sqs;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeWorkQueue;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The notice queue on SQS: units are buffered and sent ten at a time with SendMessageBatch (one
 * request per ten units), each with its delay (SQS allows up to 15 minutes; longer delays are
 * capped, the worker looks again then). Entries SQS refuses for a transient reason are retried a
 * few times; then {@link #flush} throws, so the caller does not move past work that is not queued.
 */
public final class SqsNoticeWorkQueue implements NoticeWorkQueue {
    /** The longest delay SQS takes. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final SqsBatchSender sender;
    private final boolean delays;

    /**
     * @param delays false to send every unit without delay (a local runtime on a simulated clock,
     *               where SQS's delays would run on the wall clock)
     */
    public SqsNoticeWorkQueue(SqsClient sqs, String queueUrl, boolean delays) {
        this.sender = new SqsBatchSender(sqs, queueUrl, "notice work");
        this.delays = delays;
    }

    public SqsNoticeWorkQueue(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, true);
    }

    @Override
    public synchronized void enqueue(NoticeWork work, Duration delay) {
        int seconds = !delays ? 0 : (int) Math.min(MAX_DELAY.toSeconds(), Math.max(0, delay.toSeconds()));
        sender.add(NoticeWorkMessage.toJson(work), seconds);
    }

    @Override
    public synchronized void flush() {
        sender.flush();
    }

    /** SendMessageBatch requests made so far (they are the bill). */
    public synchronized long requests() {
        return sender.requests();
    }
}
