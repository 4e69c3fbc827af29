package dev.slaledger.adapter.sqs;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeWorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The notice queue on SQS: units are buffered and sent ten at a time with SendMessageBatch (one
 * request per ten units), each with its delay (SQS allows up to 15 minutes; longer delays are
 * capped, the worker looks again then). Entries SQS refuses for a transient reason are retried a
 * few times; then {@link #flush} throws, so the caller does not move past work that is not queued.
 */
public final class SqsNoticeWorkQueue implements NoticeWorkQueue {
    /** The longest delay SQS takes. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final int SQS_BATCH = 10;
    private static final int ATTEMPTS = 4;

    private record Pending(String body, int delaySeconds) {
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final boolean delays;
    private final List<Pending> buffer = new ArrayList<>(SQS_BATCH);
    private long requests;

    /**
     * @param delays false to send every unit without delay (a local runtime on a simulated clock,
     *               where SQS's delays would run on the wall clock)
     */
    public SqsNoticeWorkQueue(SqsClient sqs, String queueUrl, boolean delays) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.delays = delays;
    }

    public SqsNoticeWorkQueue(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, true);
    }

    @Override
    public synchronized void enqueue(NoticeWork work, Duration delay) {
        int seconds = !delays ? 0 : (int) Math.min(MAX_DELAY.toSeconds(), Math.max(0, delay.toSeconds()));
        buffer.add(new Pending(NoticeWorkMessage.toJson(work), seconds));
        if (buffer.size() == SQS_BATCH) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < buffer.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(buffer.get(i).body()).delaySeconds(buffer.get(i).delaySeconds()).build());
        }
        buffer.clear();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> toSend = pending;
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(toSend));
            requests++;
            if (response.failed().isEmpty()) {
                return;
            }
            List<String> failedIds = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            if (attempt == ATTEMPTS || response.failed().stream().anyMatch(BatchResultErrorEntry::senderFault)) {
                throw new IllegalStateException("SQS refused notice work: " + response.failed().stream()
                        .map(f -> f.code() + " " + f.message()).collect(Collectors.joining("; ")));
            }
            pending = toSend.stream().filter(e -> failedIds.contains(e.id())).toList();
            try {
                Thread.sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying SQS", e);
            }
        }
    }

    /** SendMessageBatch requests made so far (they are the bill). */
    public long requests() {
        return requests;
    }
}
