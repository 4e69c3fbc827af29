package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS event source mapping's delivery rules on ElasticMQ (a real queue, its redrive policy applied
 * by the engine); {@code MemorySqsTest} runs the same tests on {@link MemorySqs}, the local runtime's
 * in-process SQS, so both engines are held to one contract.
 */
class SqsEsmIT {
    /** The statement worker's mapping as deployed: 5 messages, no window, visibility 12 min, 5 receives then the DLQ. */
    private static final SqsEsm.Settings WORKER = new SqsEsm.Settings(5, Duration.ZERO, 1, Duration.ofMinutes(12),
            true, 5);

    private static ElasticMq elasticMq;
    static SqsClient sqs;
    private static int queues;

    @BeforeAll
    static void start() {
        elasticMq = ElasticMq.start();
        sqs = LocalAws.on(SqsClient.builder(), elasticMq.endpoint()).build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        elasticMq.close();
    }

    private static SqsEsm.Queue queue(SqsEsm.Settings settings) {
        return SqsEsm.createQueue(sqs, "q" + queues++, settings);
    }

    private static void send(SqsEsm.Queue q, int n) {
        for (int i = 0; i < n; i++) {
            String body = "m" + i;
            sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body));
        }
    }

    private static int visibleAndInFlight(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static SQSBatchResponse failing(List<String> ids) {
        List<SQSBatchResponse.BatchItemFailure> f = new ArrayList<>();
        ids.forEach(id -> f.add(new SQSBatchResponse.BatchItemFailure(id)));
        return new SQSBatchResponse(f);
    }

    @Test
    @DisplayName("batches of at most batchSize, shaped as Lambda delivers them; every handled message deleted")
    void batchesAndDeletes() {
        SqsEsm.Queue q = queue(WORKER);
        send(q, 12);
        List<SQSEvent> events = Collections.synchronizedList(new ArrayList<>());
        SqsEsm.Stats stats = new SqsEsm(WORKER, sqs, q.url(), e -> {
            events.add(e);
            return new SQSBatchResponse(List.of());
        }).drain();

        assertThat(events).allSatisfy(e -> assertThat(e.getRecords()).hasSizeBetween(1, 5));
        assertThat(events.stream().mapToInt(e -> e.getRecords().size()).sum()).isEqualTo(12);
        SQSEvent.SQSMessage first = events.get(0).getRecords().get(0);
        assertThat(first.getEventSource()).isEqualTo("aws:sqs");
        assertThat(first.getEventSourceArn()).isEqualTo(q.arn());
        assertThat(first.getAwsRegion()).isEqualTo("eu-west-1");
        assertThat(first.getBody()).startsWith("m");
        assertThat(first.getReceiptHandle()).isNotBlank();
        assertThat(first.getAttributes()).containsEntry("ApproximateReceiveCount", "1").containsKey("SentTimestamp");
        assertThat(stats.deleted).isEqualTo(12);
        assertThat(visibleAndInFlight(q.url())).isZero();
    }

    @Test
    @DisplayName("a partial batch response deletes the rest; the reported message comes back after its visibility timeout")
    void partialBatchResponse() {
        SqsEsm.Queue q = queue(WORKER);
        send(q, 3);
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        SqsEsm.Stats stats = new SqsEsm(WORKER, sqs, q.url(), e -> {
            List<String> failed = new ArrayList<>();
            for (SQSEvent.SQSMessage m : e.getRecords()) {
                int n = deliveries.merge(m.getBody(), 1, Integer::sum);
                if (m.getBody().equals("m1") && n < 3) {
                    failed.add(m.getMessageId());
                }
            }
            return failing(failed);
        }).drain();

        assertThat(deliveries).containsEntry("m0", 1).containsEntry("m1", 3).containsEntry("m2", 1);
        assertThat(stats.partialFailures).isEqualTo(2);
        assertThat(stats.visibilityExpiries).isEqualTo(2);
        assertThat(visibleAndInFlight(q.url())).isZero();
    }

    @Test
    @DisplayName("a function error deletes nothing: the whole batch comes again")
    void functionError() {
        SqsEsm.Queue q = queue(WORKER);
        send(q, 4);
        AtomicInteger calls = new AtomicInteger();
        List<Integer> sizes = new ArrayList<>();
        SqsEsm.Stats stats = new SqsEsm(WORKER, sqs, q.url(), e -> {
            sizes.add(e.getRecords().size());
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return null;
        }).drain();

        assertThat(stats.functionErrors).isEqualTo(1);
        assertThat(stats.messagesDelivered).isEqualTo(4L + sizes.get(0));
        assertThat(stats.deleted).isEqualTo(4);
        assertThat(visibleAndInFlight(q.url())).isZero();
    }

    @Test
    @DisplayName("an item identifier not in the batch fails the whole batch, as on Lambda")
    void invalidIdentifier() {
        SqsEsm.Queue q = queue(WORKER);
        send(q, 2);
        AtomicInteger calls = new AtomicInteger();
        SqsEsm.Stats stats = new SqsEsm(WORKER, sqs, q.url(),
                e -> calls.incrementAndGet() == 1 ? failing(List.of("no-such-id")) : null).drain();

        assertThat(stats.deleted).isEqualTo(2);
        assertThat(stats.messagesDelivered).isGreaterThan(2);
        assertThat(visibleAndInFlight(q.url())).isZero();
    }

    @Test
    @DisplayName("without partial batch responses the response is ignored: the batch succeeded")
    void responseIgnoredWithoutReporting() {
        SqsEsm.Settings plain = new SqsEsm.Settings(10, Duration.ZERO, 1, Duration.ofSeconds(30), false, 0);
        SqsEsm.Queue q = queue(plain);
        send(q, 3);
        SqsEsm.Stats stats = new SqsEsm(plain, sqs, q.url(), e -> failing(List.of(e.getRecords().get(0).getMessageId())))
                .drain();
        assertThat(stats.messagesDelivered).isEqualTo(3);
        assertThat(stats.deleted).isEqualTo(3);
    }

    @Test
    @DisplayName("a message that always fails is received maxReceiveCount times, then the engine moves it to the dead-letter queue")
    void redriveToDeadLetterQueue() {
        SqsEsm.Queue q = queue(WORKER);
        send(q, 2);
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        new SqsEsm(WORKER, sqs, q.url(), e -> {
            List<String> failed = new ArrayList<>();
            for (SQSEvent.SQSMessage m : e.getRecords()) {
                deliveries.merge(m.getBody(), 1, Integer::sum);
                if (m.getBody().equals("m0")) {
                    failed.add(m.getMessageId());
                }
            }
            return failing(failed);
        }).drain();

        assertThat(deliveries).containsEntry("m0", 5).containsEntry("m1", 1);
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(q.deadLetterUrl()).maxNumberOfMessages(10)).messages();
        assertThat(dead).extracting(Message::body).containsExactly("m0");
        assertThat(visibleAndInFlight(q.url())).isZero();
    }

    @Test
    @DisplayName("no redrive policy and a message that never succeeds: the mapping stops with Stuck instead of looping")
    void stuckWithoutRedrive() {
        SqsEsm.Settings noRedrive = new SqsEsm.Settings(1, Duration.ZERO, 1, Duration.ofSeconds(30), true, 0);
        SqsEsm.Queue q = queue(noRedrive);
        send(q, 1);
        assertThatThrownBy(() -> new SqsEsm(noRedrive, sqs, q.url(), e -> {
            throw new IllegalStateException("never");
        }).stuckAfter(20).drain()).isInstanceOf(SqsEsm.Stuck.class).hasMessageContaining("received 20 times");
    }

    @Test
    @DisplayName("a batching window gathers up to batchSize over several receives; without one, one receive (at most 10)")
    void batchingWindow() {
        SqsEsm.Settings windowed = new SqsEsm.Settings(25, Duration.ofSeconds(1), 1, Duration.ofSeconds(30), true, 0);
        SqsEsm.Queue q = queue(windowed);
        send(q, 30);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        new SqsEsm(windowed, sqs, q.url(), e -> {
            sizes.add(e.getRecords().size());
            return null;
        }).drain();
        assertThat(sizes.get(0)).isGreaterThan(10).isLessThanOrEqualTo(25);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);

        assertThatThrownBy(() -> new SqsEsm.Settings(25, Duration.ZERO, 1, Duration.ofSeconds(30), true, 0))
                .hasMessageContaining("batching window");
    }

    @Test
    @DisplayName("maxConcurrency: batches run at once, each lane on a function of its own, never more than the limit")
    void maxConcurrency() throws Exception {
        SqsEsm.Settings three = WORKER.withMaxConcurrency(3);
        SqsEsm.Queue q = queue(three);
        send(q, 30);
        Set<Object> functions = ConcurrentHashMap.newKeySet();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch three_at_once = new CountDownLatch(3);
        SqsEsm.Stats stats = new SqsEsm(three, sqs, q.url(), () -> {
            Object lane = new Object();
            return e -> {
                functions.add(lane);
                peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                three_at_once.countDown();
                try {
                    three_at_once.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                now.decrementAndGet();
                return null;
            };
        }).drain();

        assertThat(peak.get()).isEqualTo(3);
        assertThat(stats.maxConcurrent).isEqualTo(3);
        assertThat(functions).hasSizeLessThanOrEqualTo(3);
        assertThat(stats.deleted).isEqualTo(30);
        assertThat(visibleAndInFlight(q.url())).isZero();
    }

    @Test
    @DisplayName("createQueue: the visibility timeout and the redrive policy as deployed")
    void createQueue() {
        SqsEsm.Queue q = queue(WORKER);
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(q.url())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(a).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "720");
        assertThat(a.get(QueueAttributeName.REDRIVE_POLICY)).containsPattern("\"maxReceiveCount\":\"?5\"?[,}]")
                .contains(sqs.getQueueAttributes(b -> b.queueUrl(q.deadLetterUrl())
                        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
    }
}
