package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.core.port.StatementWorkQueue;
import java.time.YearMonth;
import java.util.List;

/**
 * The statement work queue's SQS adapter, one per simulated invocation ({@link PerInvocation}): a
 * fan-out killed with units buffered loses them, as in AWS, and the next run must enqueue them again.
 */
public final class PerInvocationStatementQueue implements StatementWorkQueue {
    private final PerInvocation<SqsStatementWorkQueue> queues;

    public PerInvocationStatementQueue(Aws aws, SimSqsClient sqs, String url) {
        queues = new PerInvocation<>(aws, () -> new SqsStatementWorkQueue(sqs, url));
    }

    @Override
    public void enqueue(YearMonth month, List<String> accountIds, Kind kind) {
        queues.current("statement work queued").enqueue(month, accountIds, kind);
    }

    @Override
    public void flush() {
        queues.current("statement work flushed").flush();
    }
}
