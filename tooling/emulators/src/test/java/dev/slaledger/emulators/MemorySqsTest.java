package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * {@link MemorySqs} held to the contract ElasticMQ meets in {@link SqsEsmIT} (every test there runs
 * here on the in-process queues), plus what the mapping does not exercise: delays, visibility
 * timeouts passing, stale receipt handles and a missing queue.
 */
class MemorySqsTest extends SqsEsmIT {
    @BeforeAll
    static void start() {
        sqs = new MemorySqs();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static final AtomicLong NOW = new AtomicLong();

    @Test
    @DisplayName("a delayed message and a received one stay invisible until their time passes; then visible again, receive count 2")
    void delayAndVisibilityTimeout() {
        MemorySqs q = new MemorySqs(NOW::get);
        String url = q.createQueue(b -> b.queueName("timed")).queueUrl();
        q.sendMessage(b -> b.queueUrl(url).messageBody("later").delaySeconds(60));
        assertThat(q.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();
        assertThat(q.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings())
                .containsEntry("ApproximateNumberOfMessagesDelayed", "1");

        NOW.addAndGet(60_000_000_000L);
        List<Message> first = q.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(30)).messages();
        assertThat(first).extracting(Message::body).containsExactly("later");
        NOW.addAndGet(29_000_000_000L);
        assertThat(q.receiveMessage(b -> b.queueUrl(url)).messages()).as("still in flight").isEmpty();
        NOW.addAndGet(1_000_000_000L);
        List<Message> again = q.receiveMessage(b -> b.queueUrl(url).attributeNamesWithStrings("All")).messages();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");

        q.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.get(0).receiptHandle()));
        assertThat(q.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    @DisplayName("changing the visibility of a deleted message fails that entry; a missing queue is QueueDoesNotExist")
    void invalidHandleAndMissingQueue() {
        MemorySqs q = new MemorySqs();
        String url = q.createQueue(b -> b.queueName("gone")).queueUrl();
        q.sendMessage(b -> b.queueUrl(url).messageBody("x"));
        Message m = q.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        q.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        assertThat(q.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(ChangeMessageVisibilityBatchRequestEntry
                .builder().id("0").receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())).failed())
                .extracting(f -> f.code()).containsExactly("ReceiptHandleIsInvalid");
        assertThatThrownBy(() -> q.sendMessage(b -> b.queueUrl(url + "-nope").messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThat(Map.of("sent", q.sent())).containsEntry("sent", 1L);
    }
}
