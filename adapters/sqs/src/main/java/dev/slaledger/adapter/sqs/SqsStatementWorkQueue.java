package dev.slaledger.adapter.sqs;

import dev.slaledger.core.port.StatementWorkQueue;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The statement work queue on SQS. Messages are sent ten at a time with SendMessageBatch
 * (one request per ten batches of accounts); entries SQS refuses are retried a few times,
 * then the run fails so the scheduler retries it (re-sending is harmless: workers store
 * nothing that did not change).
 */
public final class SqsStatementWorkQueue implements StatementWorkQueue {
    private static final int SQS_BATCH = 10;
    private static final int ATTEMPTS = 4;

    private final SqsClient sqs;
    private final String queueUrl;
    private final List<String> buffer = new ArrayList<>(SQS_BATCH);
    private long requests;

    public SqsStatementWorkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(YearMonth month, List<String> accountIds, Kind kind) {
        buffer.add(new WorkMessage(month, accountIds, kind).toJson());
        if (buffer.size() == SQS_BATCH) {
            flush();
        }
    }

    @Override
    public void flush() {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < buffer.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(buffer.get(i))
                    .build());
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
                throw new IllegalStateException("SQS refused work messages: " + response.failed().stream()
                        .map(f -> f.code() + " " + f.message()).collect(Collectors.joining("; ")));
            }
            pending = toSend.stream().filter(e -> failedIds.contains(e.id())).toList();
            sleep(100L << attempt);
        }
    }

    /** SendMessageBatch requests made so far (they are the bill). */
    public long requests() {
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
