package dev.slaledger.adapter.sqs;

import dev.slaledger.testkit.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Fresh queues on the SQS engine for the adapters' integration tests, and everything in one read back. */
final class EngineQueues implements AutoCloseable {
    final SqsClient sqs = Engines.get().sqs().build();
    private final String prefix;
    private int created;

    EngineQueues(String prefix) {
        this.prefix = prefix;
    }

    /** A new, empty queue's URL. */
    String create() {
        String name = prefix + "-" + created++;
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    /** The URL of a queue that existed and is deleted: what a send to a missing queue gets. */
    String missing() {
        String url = create();
        sqs.deleteQueue(b -> b.queueUrl(url));
        return url;
    }

    /** Every message visible on the queue, parsed, in the order received (each kept invisible for a minute). */
    <T> List<T> receiveAll(String url, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (List<Message> got; !(got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(60)).messages()).isEmpty();) {
            got.forEach(m -> out.add(parse.apply(m.body())));
        }
        return out;
    }

    @Override
    public void close() {
        sqs.close();
    }
}
