package dev.slaledger.local;

import dev.slaledger.emulators.ElasticMq;
import dev.slaledger.emulators.LocalAws;
import dev.slaledger.emulators.MemorySqs;
import dev.slaledger.emulators.SqsEsm;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The statement work queue with the deployed settings and the notice work queue: on ElasticMQ (in this
 * JVM, a loopback port) on the emulators engine; on the memory engine on {@link MemorySqs}, in this
 * process without HTTP (the same SQS semantics, held to one contract with ElasticMQ by the emulators'
 * tests), where ElasticMQ's round trips were most of a 10,000-account replay's time.
 */
record LocalQueues(AutoCloseable server, SqsClient sqs, SqsEsm.Queue workQueue, String noticeQueueUrl)
        implements AutoCloseable {
    /**
     * The statement worker's mapping: the deployed batch of work messages, one invocation at a time, the
     * deployed queue (visibility 12 minutes, the dead-letter queue after 5 receives).
     */
    static final SqsEsm.Settings WORKER_MAPPING = new SqsEsm.Settings(5, Duration.ZERO, 1, Duration.ofMinutes(12),
            true, 5);
    /** The notice worker's mapping: the deployed batch of 5, one invocation at a time here. */
    static final SqsEsm.Settings NOTICE_MAPPING = new SqsEsm.Settings(5, Duration.ZERO, 1, Duration.ofMinutes(30),
            true, 3);

    /** The queues on ElasticMQ (the emulators engine). */
    static LocalQueues start(PrintStream out) {
        ElasticMq server = ElasticMq.start();
        SqsClient sqs = LocalAws.on(SqsClient.builder(), server.endpoint()).build();
        out.println("  ElasticMQ (SQS) on " + server.endpoint().getAuthority() + ", queues " + QUEUES);
        return create(server, sqs);
    }

    /** The queues in this process (the memory engine). */
    static LocalQueues inMemory(PrintStream out) {
        out.println("  SQS: in this process (--engine memory), queues " + QUEUES);
        return create(() -> { }, new MemorySqs());
    }

    private static final String WORK_QUEUE = "sla-local-statement-work";
    private static final String NOTICE_QUEUE = "sla-local-notice-work";
    private static final String QUEUES = WORK_QUEUE + ", " + NOTICE_QUEUE;

    private static LocalQueues create(AutoCloseable server, SqsClient sqs) {
        SqsEsm.Queue work = SqsEsm.createQueue(sqs, WORK_QUEUE, WORKER_MAPPING);
        String notices = sqs.createQueue(b -> b.queueName(NOTICE_QUEUE)).queueUrl();
        return new LocalQueues(server, sqs, work, notices);
    }

    /**
     * What the notice rules delivered, onto the notice queue as their SQS targets put it: in
     * SendMessageBatch requests of 10 (the most one takes), not one request per event.
     */
    void sendNotices(List<String> events) {
        for (int from = 0; from < events.size(); from += 10) {
            List<String> chunk = events.subList(from, Math.min(events.size(), from + 10));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i))
                        .build());
            }
            SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(noticeQueueUrl).entries(entries));
            if (!sent.failed().isEmpty()) {
                throw new IllegalStateException("the notice queue refused " + sent.failed().size() + " of "
                        + chunk.size() + " events: " + sent.failed().get(0).message());
            }
        }
    }

    @Override
    public void close() {
        sqs.close();
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("the SQS engine did not stop", e);
        }
    }
}
