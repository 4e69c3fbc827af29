package dev.slaledger.emulators;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS event source mapping as Lambda runs it, reduced to its delivery rules, on a real
 * (emulated) queue: ElasticMQ for the integration tests, the local runtime and the harnesses.
 * The sibling of {@link KinesisEsm}.
 *
 * <p>What it does: receives batches of at most {@code batchSize} messages (with a
 * {@code batchingWindow} of zero, what one ReceiveMessage returns, at most 10; with a window, receives
 * again until the batch is full or the queue has nothing visible: the poller never sleeps, so the
 * window never times out first); hands each batch to the function as an {@link SQSEvent} shaped as
 * Lambda delivers it, at most {@code maxConcurrency} at once (each concurrent invocation on a
 * function of its own, as each runs in an execution environment of its own); deletes the messages
 * of a successful invocation (DeleteMessageBatch); with {@code reportBatchItemFailures}, deletes all
 * but the reported ones (an identifier that is empty or not in the batch fails the whole batch, as
 * on Lambda); a function error deletes nothing. A message not deleted comes back when its
 * {@code visibilityTimeout} expires: simulated time, so when nothing else is visible and no
 * invocation runs, the timeouts of every message waiting are expired at once (ChangeMessageVisibility
 * to 0). The queue's redrive policy (created by {@link #createQueue}: {@code maxReceiveCount}
 * receives, then the dead-letter queue) is the engine's to apply, as SQS's is. {@link #drain()}
 * returns when the queue holds nothing visible, nothing waits for its timeout and no invocation runs.
 *
 * <p>Not modelled: the poller's scaling (invocations start as soon as a batch is received), the
 * 6 MB payload limit, FIFO queues, long polling's timing.
 */
public final class SqsEsm {
    /**
     * Where the mapping stops: a message received this many times (no redrive policy moved it away)
     * throws {@link Stuck}; Lambda would go on until the queue's retention drops it, which a test must
     * see as a failure.
     */
    public static final int STUCK_AFTER = 1_000;

    /** A message came back {@link #STUCK_AFTER} (or {@link #stuckAfter}) times. */
    public static final class Stuck extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Stuck(String messageId, int receives) {
            super("message " + messageId + " received " + receives + " times: the queue has no redrive policy"
                    + " and the function never succeeds on it");
        }
    }

    /**
     * The mapping's settings ({@code AWS::Lambda::EventSourceMapping}) and the two of its queue that
     * decide redelivery ({@code VisibilityTimeout}, the redrive policy's {@code maxReceiveCount}; 0:
     * no redrive policy).
     *
     * @param maxConcurrency invocations at once; 1 here is one at a time (Lambda's minimum when set is 2)
     */
    public record Settings(int batchSize, Duration batchingWindow, int maxConcurrency, Duration visibilityTimeout,
            boolean reportBatchItemFailures, int maxReceiveCount) {
        public Settings {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batch size 1..10000: " + batchSize);
            }
            if (batchingWindow.isNegative() || batchingWindow.compareTo(Duration.ofSeconds(300)) > 0) {
                throw new IllegalArgumentException("batching window 0..300 s: " + batchingWindow);
            }
            if (batchSize > 10 && batchingWindow.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("a batch size over 10 needs a batching window of at least 1 s: "
                        + batchSize);
            }
            if (maxConcurrency < 1 || maxConcurrency > 1000) {
                throw new IllegalArgumentException("maximum concurrency 1..1000: " + maxConcurrency);
            }
            if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
                throw new IllegalArgumentException("visibility timeout 0..12 h: " + visibilityTimeout);
            }
            if (maxReceiveCount < 0 || maxReceiveCount > 1000) {
                throw new IllegalArgumentException("maxReceiveCount 1..1000 (0: no redrive policy): "
                        + maxReceiveCount);
            }
        }

        /** The same mapping with {@code n} invocations at most at once. */
        public Settings withMaxConcurrency(int n) {
            return new Settings(batchSize, batchingWindow, n, visibilityTimeout, reportBatchItemFailures,
                    maxReceiveCount);
        }
    }

    /** A queue as {@link #createQueue} made it: its URL and ARN, and its dead-letter queue's URL (null: none). */
    public record Queue(String url, String arn, String deadLetterUrl) {
    }

    /** The function under the mapping; throwing anything (an Error too) is a function error; null answers no failures. */
    @FunctionalInterface
    public interface Function {
        SQSBatchResponse invoke(SQSEvent event);
    }

    /** What the run did. */
    public static final class Stats {
        public long invocations;
        public long messagesDelivered;
        public long functionErrors;
        public long partialFailures;
        public long deleted;
        /** How many times time was moved past the visibility timeouts of the messages waiting. */
        public long visibilityExpiries;
        public int maxConcurrent;

        @Override
        public String toString() {
            return "invocations " + invocations + ", messages delivered " + messagesDelivered + ", function errors "
                    + functionErrors + ", partial failures " + partialFailures + ", deleted " + deleted
                    + ", visibility expiries " + visibilityExpiries + ", max concurrent " + maxConcurrent;
        }
    }

    /**
     * Creates {@code name} as deployed: its visibility timeout, and with {@code maxReceiveCount > 0} a
     * dead-letter queue {@code <name>-dlq} and the redrive policy to it.
     */
    public static Queue createQueue(SqsClient sqs, String name, Settings settings) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(settings.visibilityTimeout().toSeconds()));
        String dlqUrl = null;
        if (settings.maxReceiveCount() > 0) {
            dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
            attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"" + settings.maxReceiveCount()
                    + "\",\"deadLetterTargetArn\":\"" + arn(sqs, dlqUrl) + "\"}");
        }
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        return new Queue(url, arn(sqs, url), dlqUrl);
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private final Settings settings;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Supplier<Function> environment;
    private final Stats stats = new Stats();
    /** Receipt handles of the messages not deleted, waiting for their visibility timeout, by message id. */
    private final Map<String, String> waiting = new LinkedHashMap<>();
    private int running;
    private int stuckAfter = STUCK_AFTER;

    /** The mapping on {@code queueUrl}; concurrent invocations all run {@code function}, which must then be thread-safe. */
    public SqsEsm(Settings settings, SqsClient sqs, String queueUrl, Function function) {
        this(settings, sqs, queueUrl, () -> function);
    }

    /** The mapping on {@code queueUrl}; {@code environment} makes the function of each concurrent lane. */
    public SqsEsm(Settings settings, SqsClient sqs, String queueUrl, Supplier<Function> environment) {
        this(settings, sqs, new Queue(queueUrl, arn(sqs, queueUrl), null), environment);
    }

    /** The mapping on a queue {@link #createQueue} made (no request to learn its ARN: a drain of an empty queue is one receive). */
    public SqsEsm(Settings settings, SqsClient sqs, Queue queue, Function function) {
        this(settings, sqs, queue, () -> function);
    }

    private SqsEsm(Settings settings, SqsClient sqs, Queue queue, Supplier<Function> environment) {
        this.settings = Objects.requireNonNull(settings);
        this.sqs = Objects.requireNonNull(sqs);
        this.queueUrl = Objects.requireNonNull(queue.url());
        this.environment = Objects.requireNonNull(environment);
        this.queueArn = Objects.requireNonNull(queue.arn());
    }

    public Stats stats() {
        return stats;
    }

    /** Stops with {@link Stuck} once a message was received {@code receives} times (default {@value #STUCK_AFTER}). */
    public SqsEsm stuckAfter(int receives) {
        this.stuckAfter = receives;
        return this;
    }

    /** Delivers until the queue is empty (see the class comment); the run's figures. */
    public Stats drain() {
        if (settings.maxConcurrency() == 1) {
            Function function = environment.get();
            while (true) {
                List<Message> batch = receiveBatch();
                if (batch.isEmpty()) {
                    if (!expireWaiting()) {
                        return stats;
                    }
                    continue;
                }
                running = 1;
                stats.maxConcurrent = 1;
                deliver(function, batch);
                running = 0;
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(settings.maxConcurrency(), r -> {
            Thread t = new Thread(r, "sqs-esm");
            t.setDaemon(true);
            return t;
        });
        CompletionService<Function> done = new ExecutorCompletionService<>(pool);
        List<Function> idle = new ArrayList<>();
        try {
            while (true) {
                List<Message> batch = running < settings.maxConcurrency() ? receiveBatch() : List.of();
                if (!batch.isEmpty()) {
                    Function function = idle.isEmpty() ? environment.get() : idle.remove(idle.size() - 1);
                    synchronized (this) {
                        running++;
                        stats.maxConcurrent = Math.max(stats.maxConcurrent, running);
                    }
                    done.submit(() -> {
                        deliver(function, batch);
                        return function;
                    });
                    continue;
                }
                if (running > 0) {
                    idle.add(take(done));
                    continue;
                }
                if (!expireWaiting()) {
                    return stats;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Function take(CompletionService<Function> done) {
        try {
            Future<Function> f = done.take();
            synchronized (this) {
                running--;
            }
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while an invocation ran", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Time passes the visibility timeout of every message waiting; false if none waits. */
    private boolean expireWaiting() {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                return false;
            }
            waiting.values().forEach(handle -> entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(Integer.toString(entries.size())).receiptHandle(handle).visibilityTimeout(0).build()));
            waiting.clear();
        }
        for (int i = 0; i < entries.size(); i += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> chunk = entries.subList(i, Math.min(i + 10, entries.size()));
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
        stats.visibilityExpiries++;
        return true;
    }

    /** One batch as the poller gathers it (see the class comment). */
    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>();
        while (batch.size() < settings.batchSize()) {
            int max = Math.min(10, settings.batchSize() - batch.size());
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max)
                    .waitTimeSeconds(0).visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                    .attributeNamesWithStrings("All").messageAttributeNames("All")).messages();
            for (Message m : received) {
                String count = m.attributesAsStrings().get("ApproximateReceiveCount");
                if (count != null && Integer.parseInt(count) >= stuckAfter) {
                    throw new Stuck(m.messageId(), stuckAfter);
                }
            }
            batch.addAll(received);
            if (received.isEmpty() || settings.batchingWindow().isZero()) {
                break;
            }
        }
        return batch;
    }

    private void deliver(Function function, List<Message> batch) {
        SQSEvent event = event(batch);
        Set<String> failed;
        try {
            synchronized (this) {
                stats.invocations++;
                stats.messagesDelivered += batch.size();
            }
            failed = failures(function.invoke(event), batch);
        } catch (Throwable error) {
            synchronized (this) {
                stats.functionErrors++;
            }
            failed = ids(batch);
        }
        List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
        for (Message m : batch) {
            if (failed.contains(m.messageId())) {
                synchronized (waiting) {
                    waiting.put(m.messageId(), m.receiptHandle());
                }
            } else {
                delete.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(delete.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        for (int i = 0; i < delete.size(); i += 10) {
            List<DeleteMessageBatchRequestEntry> chunk = delete.subList(i, Math.min(i + 10, delete.size()));
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
        synchronized (this) {
            stats.deleted += delete.size();
        }
    }

    /** The message ids a response fails: none without partial batch responses; all if any identifier is invalid. */
    private Set<String> failures(SQSBatchResponse response, List<Message> batch) {
        if (!settings.reportBatchItemFailures() || response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return Set.of();
        }
        synchronized (this) {
            stats.partialFailures++;
        }
        Set<String> ids = ids(batch);
        Set<String> failed = new java.util.HashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f.getItemIdentifier();
            if (id == null || !ids.contains(id)) {
                return ids; // Lambda treats the whole batch as failed
            }
            failed.add(id);
        }
        return failed;
    }

    private static Set<String> ids(List<Message> batch) {
        Set<String> ids = new java.util.HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    /** The batch shaped as Lambda delivers it (events/). */
    private SQSEvent event(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.size());
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            r.setAttributes(new HashMap<>(m.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, attribute(v)));
            r.setMessageAttributes(attributes);
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(LocalAws.REGION.id());
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue v) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(v.dataType());
        a.setStringValue(v.stringValue());
        if (v.binaryValue() != null) {
            a.setBinaryValue(ByteBuffer.wrap(v.binaryValue().asByteArray()));
        }
        return a;
    }

    /** A handler whose answer is an {@link SQSBatchResponse} ({@code e -> handler.handleRequest(e, context)}). */
    public static Function of(java.util.function.Function<SQSEvent, SQSBatchResponse> handler) {
        return handler::apply;
    }
}
