package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeWorkQueue;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The notice queue's adapter as Lambda holds it: one {@link SqsNoticeWorkQueue} per invocation (in AWS
 * each execution environment has its own, and its buffer of units not yet sent dies with a killed
 * invocation). One instance shared by every simulated invocation would let one invocation send what a
 * killed one had buffered (hiding a loss), and its monitor, held across a simulated SQS request, would
 * stop the simulation when a second invocation wanted it.
 */
public final class PerInvocationNoticeQueue implements NoticeWorkQueue {
    private final Aws aws;
    private final SimSqsClient sqs;
    private final String url;
    private final Map<SimLambda.Invocation, SqsNoticeWorkQueue> queues = new WeakHashMap<>();

    public PerInvocationNoticeQueue(Aws aws, SimSqsClient sqs, String url) {
        this.aws = aws;
        this.sqs = sqs;
        this.url = url;
    }

    private SqsNoticeWorkQueue current() {
        SimLambda.Invocation inv = aws.activity().invocation();
        if (inv == null) {
            throw new IllegalStateException("notice work queued outside a Lambda invocation");
        }
        return queues.computeIfAbsent(inv, i -> new SqsNoticeWorkQueue(sqs, url, true));
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
