package dev.slaledger.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.testkit.UsesEngines;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The notice queue adapter on the SQS engine (ElasticMQ, or LocalStack): the dispatcher's units come
 * back to the worker as they were sent, ten per SendMessageBatch, each with its delay (capped at the
 * 15 minutes SQS takes), or none on a simulated clock.
 */
@UsesEngines
class SqsNoticeWorkQueueIT {
    private static EngineQueues queues;

    @BeforeAll
    static void start() {
        queues = new EngineQueues("notice-work");
    }

    @AfterAll
    static void stop() {
        queues.close();
    }

    private static int delayed(String url) {
        return Integer.parseInt(queues.sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    @Test
    @DisplayName("S9.2: 12 change-notice units arrive as sent, in 2 SendMessageBatch requests (one when ten filled, one on flush)")
    void sendsInBatchesOfTen() {
        String url = queues.create();
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(queues.sqs, url);
        List<NoticeWork> sent = IntStream.range(0, 12)
                .mapToObj(i -> NoticeWork.change("2027-02", List.of("acct-" + i, "acct-" + i + "b"), 2)).toList();
        sent.forEach(w -> queue.enqueue(w, Duration.ZERO));
        assertThat(queue.requests()).as("the first ten sent as they filled").isEqualTo(1);
        queue.flush();
        assertThat(queue.requests()).isEqualTo(2);

        assertThat(queues.receiveAll(url, NoticeWorkMessage::parse)).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @DisplayName("S9.3: a unit deferred by an hour waits the longest delay SQS takes (15 minutes; the worker looks again then)")
    void delayCappedAtFifteenMinutes() {
        String url = queues.create();
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(queues.sqs, url);
        queue.enqueue(NoticeWork.account(List.of("acct")), Duration.ofHours(1));
        queue.flush();

        assertThat(queues.receiveAll(url, NoticeWorkMessage::parse)).as("not visible before its delay").isEmpty();
        assertThat(delayed(url)).isEqualTo(1);
    }

    @Test
    @DisplayName("without delays (a local runtime on a simulated clock) a deferred unit is visible at once")
    void noDelaysOnASimulatedClock() {
        String url = queues.create();
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(queues.sqs, url, false);
        NoticeWork work = NoticeWork.account(List.of("acct"));
        queue.enqueue(work, Duration.ofHours(1));
        queue.flush();

        assertThat(queues.receiveAll(url, NoticeWorkMessage::parse)).containsExactly(work);
    }

    @Test
    @DisplayName("a queue that does not exist fails the flush, so the dispatcher does not move its cursor past unqueued work")
    void missingQueueFails() {
        SqsNoticeWorkQueue queue = new SqsNoticeWorkQueue(queues.sqs, queues.missing());
        queue.enqueue(NoticeWork.account(List.of("acct")), Duration.ZERO);
        assertThatThrownBy(queue::flush).isInstanceOf(RuntimeException.class);
    }
}
