package dev.slaledger.adapter.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Buffers messages for one queue and sends them ten at a time with SendMessageBatch (one request per
 * ten messages). Entries SQS refuses for a transient reason are retried a few times with a growing
 * pause; a refusal that is the sender's fault, or the last attempt's, makes {@link #flush} throw, so
 * the caller does not move past work that is not queued.
 */
final class SqsBatchSender {
    private static final int SQS_BATCH = 10;
    private static final int ATTEMPTS = 4;

    private record Pending(String body, Integer delaySeconds) {
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final String what;
    private final List<Pending> buffer = new ArrayList<>(SQS_BATCH);
    private long requests;

    /** @param what what the messages are, for the error SQS's refusal raises ("work messages") */
    SqsBatchSender(SqsClient sqs, String queueUrl, String what) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.what = what;
    }

    /** Buffers one message (with the queue's own delay); sends the buffer when it holds a full batch. */
    void add(String body) {
        add(body, null);
    }

    /** Buffers one message delayed by {@code delaySeconds}; sends the buffer when it holds a full batch. */
    void add(String body, Integer delaySeconds) {
        buffer.add(new Pending(body, delaySeconds));
        if (buffer.size() == SQS_BATCH) {
            flush();
        }
    }

    /** Sends what is buffered. */
    void flush() {
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
                throw new IllegalStateException("SQS refused " + what + ": " + response.failed().stream()
                        .map(f -> f.code() + " " + f.message()).collect(Collectors.joining("; ")));
            }
            pending = toSend.stream().filter(e -> failedIds.contains(e.id())).toList();
            sleep(100L << attempt);
        }
    }

    /** SendMessageBatch requests made so far (they are the bill). */
    long requests() {
        return requests;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying SQS", e);
        }
    }
}
