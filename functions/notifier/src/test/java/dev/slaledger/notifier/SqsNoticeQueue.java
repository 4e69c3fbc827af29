package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.testkit.Engines;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A notice queue on the SQS engine of the {@code Engines} fixture (ElasticMQ), and the drain an SQS
 * event source mapping does: receive up to 10, invoke the worker handler with them as an SQS event,
 * delete the ones it did not report as failures. Delays are off (the tests' clocks are simulated).
 */
final class SqsNoticeQueue {
    final SqsClient sqs;
    final String url;
    final SqsNoticeWorkQueue queue;
    /** Message ids the handler reported failed (they stay on the queue until their visibility ends). */
    final List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());

    SqsNoticeQueue(String name) {
        sqs = Engines.get().sqs().build();
        url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        queue = new SqsNoticeWorkQueue(sqs, url, false);
    }

    /** Puts a body on the queue as a producer (an EventBridge rule target) would. */
    void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
    }

    /** Invokes {@code handler} until the queue has nothing visible; the messages handled. */
    int drain(NoticeWorkerHandler handler) {
        int handled = 0;
        for (int empty = 0; empty < 2;) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(300)).messages();
            if (messages.isEmpty()) {
                empty++;
                continue;
            }
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (Message m : messages) {
                SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
                r.setMessageId(m.messageId());
                r.setReceiptHandle(m.receiptHandle());
                r.setBody(m.body());
                r.setEventSource("aws:sqs");
                r.setEventSourceArn("arn:aws:sqs:eu-west-1:000000000000:notice-work");
                r.setAwsRegion("eu-west-1");
                records.add(r);
            }
            event.setRecords(records);
            SQSBatchResponse response = handler.handleRequest(event, null);
            Set<String> failures = new HashSet<>();
            response.getBatchItemFailures().forEach(f -> failures.add(f.getItemIdentifier()));
            failed.addAll(failures);
            for (Message m : messages) {
                if (!failures.contains(m.messageId())) {
                    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
            }
            handled += messages.size();
        }
        return handled;
    }
}
