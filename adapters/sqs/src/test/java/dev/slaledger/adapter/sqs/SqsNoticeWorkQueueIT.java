package dev.slaledger.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The notice queue adapter on the SQS engine (ElasticMQ, or LocalStack): the dispatcher's units come
 * back to the worker as they were sent, ten per SendMessageBatch, each with its delay (capped at the
 * 15 minutes SQS takes), or none on a simulated clock.
 */
@UsesEngines
class SqsNoticeWorkQueueIT {
    private static SqsClient sqs;
    private static int queues;

    @BeforeAll
    static void start() {
        sqs = Engines.get().sqs().build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static String queue() {
        String name = "notice-work-" + queues++;
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    private static List<NoticeWork> receiveAll(String url) {
        List<NoticeWork> out = new ArrayList<>();
        for (List<Message> got; !(got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(60)).messages()).isEmpty();) {
            got.forEach(m -> out.add(NoticeWorkMessage.parse(m.body())));
        }
        return out;
    }

    private static int delayed(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    @Test
    @DisplayName("S9.2: 12 change-notice units arrive as sent, in 2 SendMessageBatch requests (one when ten filled, one on flush)")
    void sendsInBatchesOfTen() {
        String url = queue();
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(sqs, url);
        List<NoticeWork> sent = IntStream.range(0, 12)
                .mapToObj(i -> NoticeWork.change("2027-02", List.of("acct-" + i, "acct-" + i + "b"), 2)).toList();
        sent.forEach(w -> queue.enqueue(w, Duration.ZERO));
        assertThat(queue.requests()).as("the first ten sent as they filled").isEqualTo(1);
        queue.flush();
        assertThat(queue.requests()).isEqualTo(2);

        assertThat(receiveAll(url)).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @DisplayName("S9.3: a unit deferred by an hour waits the longest delay SQS takes (15 minutes; the worker looks again then)")
    void delayCappedAtFifteenMinutes() {
        String url = queue();
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(sqs, url);
        queue.enqueue(NoticeWork.account(List.of("acct")), Duration.ofHours(1));
        queue.flush();

        assertThat(receiveAll(url)).as("not visible before its delay").isEmpty();
        assertThat(delayed(url)).isEqualTo(1);
    }

    @Test
    @DisplayName("without delays (a local runtime on a simulated clock) a deferred unit is visible at once")
    void noDelaysOnASimulatedClock() {
        String url = queue();
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(sqs, url, false);
        NoticeWork work = NoticeWork.account(List.of("acct"));
        queue.enqueue(work, Duration.ofHours(1));
        queue.flush();

        assertThat(receiveAll(url)).containsExactly(work);
    }

    @Test
    @DisplayName("a queue that does not exist fails the flush, so the dispatcher does not move its cursor past unqueued work")
    void missingQueueFails() {
        String url = queue();
        sqs.deleteQueue(b -> b.queueUrl(url));
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(sqs, url);
        queue.enqueue(NoticeWork.account(List.of("acct")), Duration.ZERO);
        assertThatThrownBy(queue::flush).isInstanceOf(RuntimeException.class);
    }
}
