package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The SQS client the real adapters are given (SqsStatementWorkQueue and the others): the send
 * operations onto the simulated queues (with their {@code DelaySeconds}), each one request with its
 * modeled latency. Everything else
 * stays unsupported, as the SDK interface defaults it.
 */
public final class SimSqsClient implements SqsClient {
    private final Aws aws;
    private final Map<String, SimQueue> byUrl = new LinkedHashMap<>();

    public SimSqsClient(Aws aws) {
        this.aws = aws;
    }

    public SimSqsClient register(SimQueue queue) {
        byUrl.put(queue.url(), queue);
        return this;
    }

    private SimQueue queue(String url) {
        SimQueue q = byUrl.get(url);
        if (q == null) {
            throw QueueDoesNotExistException.builder().message("no queue " + url).build();
        }
        return q;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        SimQueue q = queue(request.queueUrl());
        if (request.entries().size() > 10) {
            throw new IllegalArgumentException("SQS takes at most 10 entries per SendMessageBatch");
        }
        String job = aws.job();
        return aws.call(Request.sqs("SendMessageBatch", q.name(), request.entries().size()), () -> {
            List<SendMessageBatchResultEntry> ok = new ArrayList<>();
            for (SendMessageBatchRequestEntry e : request.entries()) {
                int delay = e.delaySeconds() == null ? 0 : e.delaySeconds();
                if (delay > 0) { // DelaySeconds: visible that much later
                    aws.sim().after(java.time.Duration.ofSeconds(delay), () -> q.put(e.messageBody(), job));
                } else {
                    q.put(e.messageBody(), job);
                }
                ok.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId(q.name() + "-" + q.sent()).build());
            }
            return SendMessageBatchResponse.builder().successful(ok).failed(List.of()).build();
        });
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        SimQueue q = queue(request.queueUrl());
        String job = aws.job();
        return aws.call(Request.sqs("SendMessage", q.name(), 1), () -> {
            q.put(request.messageBody(), job);
            return SendMessageResponse.builder().messageId(q.name() + "-" + q.sent()).build();
        });
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
