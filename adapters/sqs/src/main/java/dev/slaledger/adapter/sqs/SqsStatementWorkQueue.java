package dev.slaledger.adapter.sqs;

import dev.slaledger.core.port.StatementWorkQueue;
import java.time.YearMonth;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The statement work queue on SQS. Messages are sent ten at a time with SendMessageBatch
 * (one request per ten batches of accounts); entries SQS refuses are retried a few times,
 * then the run fails so the scheduler retries it (re-sending is harmless: workers store
 * nothing that did not change).
 */
public final class SqsStatementWorkQueue implements StatementWorkQueue {
    private final SqsBatchSender sender;

    public SqsStatementWorkQueue(SqsClient sqs, String queueUrl) {
        this.sender = new SqsBatchSender(sqs, queueUrl, "work messages");
    }

    @Override
    public void enqueue(YearMonth month, List<String> accountIds, Kind kind) {
        sender.add(new WorkMessage(month, accountIds, kind).toJson());
    }

    @Override
    public void flush() {
        sender.flush();
    }

    /** SendMessageBatch requests made so far (they are the bill). */
    public long requests() {
        return sender.requests();
    }
}
