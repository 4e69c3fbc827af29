package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeWorkQueue;
import java.time.Duration;

/** The notice queue's SQS adapter, one per simulated invocation ({@link PerInvocation}). */
public final class PerInvocationNoticeQueue implements NoticeWorkQueue {
    private final PerInvocation<SqsNoticeWorkQueue> queues;

    public PerInvocationNoticeQueue(Aws aws, SimSqsClient sqs, String url) {
        queues = new PerInvocation<>(aws, () -> new SqsNoticeWorkQueue(sqs, url, true));
    }

    private SqsNoticeWorkQueue current() {
        return queues.current("notice work queued");
    }

    @Override
    public void enqueue(NoticeWork work, Duration delay) {
        current().enqueue(work, delay);
    }

    @Override
    public void flush() {
        current().flush();
    }
}
