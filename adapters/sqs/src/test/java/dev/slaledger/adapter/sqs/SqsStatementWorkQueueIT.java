package dev.slaledger.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.testkit.UsesEngines;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The work queue adapter on the SQS engine (ElasticMQ, or LocalStack): what the fan-out and the
 * restatement send is what the worker reads back, ten messages per SendMessageBatch.
 */
@UsesEngines
class SqsStatementWorkQueueIT {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static EngineQueues queues;

    @BeforeAll
    static void start() {
        queues = new EngineQueues("work");
    }

    @AfterAll
    static void stop() {
        queues.close();
    }

    @Test
    @DisplayName("issue 5: 23 batches of accounts arrive as 23 work messages in 3 SendMessageBatch requests, kind and month kept")
    void sendsInBatchesOfTen() {
        String url = queues.create();
        SqsStatementWorkQueue queue = new SqsStatementWorkQueue(queues.sqs, url);
        for (int i = 0; i < 23; i++) {
            queue.enqueue(OCTOBER, List.of("acct-" + i, "acct-" + i + "b"),
                    i % 2 == 0 ? StatementWorkQueue.Kind.MONTH_END : StatementWorkQueue.Kind.RESTATEMENT);
        }
        assertThat(queue.requests()).as("two full batches sent as they filled").isEqualTo(2);
        queue.flush();
        assertThat(queue.requests()).isEqualTo(3);

        List<WorkMessage> received = queues.receiveAll(url, WorkMessage::parse);
        assertThat(received).hasSize(23).allSatisfy(m -> assertThat(m.month()).isEqualTo(OCTOBER));
        assertThat(received).extracting(m -> m.accountIds().get(0)).containsExactlyInAnyOrder(
                java.util.stream.IntStream.range(0, 23).mapToObj(i -> "acct-" + i).toArray(String[]::new));
        assertThat(received).filteredOn(m -> m.kind() == StatementWorkQueue.Kind.RESTATEMENT).hasSize(11);
    }

    @Test
    @DisplayName("a flush with nothing buffered sends nothing")
    void emptyFlush() {
        SqsStatementWorkQueue queue = new SqsStatementWorkQueue(queues.sqs, queues.create());
        queue.flush();
        assertThat(queue.requests()).isZero();
    }

    @Test
    @DisplayName("a queue that does not exist fails the run (the scheduler retries it), nothing is lost silently")
    void missingQueueFails() {
        SqsStatementWorkQueue queue = new SqsStatementWorkQueue(queues.sqs, queues.missing());
        queue.enqueue(OCTOBER, List.of("acct"), StatementWorkQueue.Kind.MONTH_END);
        assertThatThrownBy(queue::flush).isInstanceOf(RuntimeException.class);
    }
}
