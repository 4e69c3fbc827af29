package dev.slaledger.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * SQS in this process, for the local runtime's {@code --engine memory}: the operations the SQS
 * adapters and {@link SqsEsm} call (create a queue with its visibility timeout and redrive policy,
 * its ARN and counts, send one or a batch of ten with a delay, receive up to ten with a visibility
 * timeout and the receive count, delete and change visibility by receipt handle), with SQS's
 * semantics: a received message is invisible until its timeout passes or is changed, a message
 * received {@code maxReceiveCount} times goes to the dead-letter queue instead of an extra receive,
 * a delete by a stale receipt handle is accepted. Time is this process's monotonic clock, as
 * ElasticMQ's is. Every other operation is unsupported (the SDK interface's default). {@code
 * SqsEsmIT}'s contract runs on both (ElasticMQ, and this in {@code MemorySqsTest}).
 */
public final class MemorySqs implements SqsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "http://sqs.memory.local/000000000000/";
    private static final String ARN = "arn:aws:sqs:" + LocalAws.REGION.id() + ":000000000000:";

    private final Map<String, Queue> byName = new LinkedHashMap<>();
    private final LongSupplier nanos;
    private long sent;

    public MemorySqs() {
        this(System::nanoTime);
    }

    MemorySqs(LongSupplier nanos) {
        this.nanos = nanos;
    }

    private static final class Stored {
        final String id;
        final String body;
        final long sentAt = System.currentTimeMillis();
        long visibleAt;
        int receives;
        String handle;

        Stored(String id, String body, long visibleAt) {
            this.id = id;
            this.body = body;
            this.visibleAt = visibleAt;
        }
    }

    private static final class Queue {
        final String name;
        final Map<String, String> attributes = new HashMap<>();
        final Map<String, Stored> messages = new LinkedHashMap<>();
        final Map<String, Stored> byHandle = new HashMap<>();
        int maxReceiveCount;
        String deadLetterName;

        Queue(String name) {
            this.name = name;
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT.toString(), "30");
        }

        long visibilityNanos() {
            return Duration.ofSeconds(Long.parseLong(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT.toString())))
                    .toNanos();
        }
    }

    @Override
    public synchronized CreateQueueResponse createQueue(CreateQueueRequest request) {
        Queue q = byName.computeIfAbsent(request.queueName(), Queue::new);
        request.attributesAsStrings().forEach(q.attributes::put);
        String redrive = q.attributes.get(QueueAttributeName.REDRIVE_POLICY.toString());
        if (redrive != null) {
            try {
                JsonNode policy = JSON.readTree(redrive);
                q.maxReceiveCount = policy.path("maxReceiveCount").asInt();
                String target = policy.path("deadLetterTargetArn").asText();
                q.deadLetterName = target.substring(target.lastIndexOf(':') + 1);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("RedrivePolicy is not JSON: " + redrive, e);
            }
        }
        return CreateQueueResponse.builder().queueUrl(URL + q.name).build();
    }

    private Queue queue(String url) {
        Queue q = url == null || !url.startsWith(URL) ? null : byName.get(url.substring(URL.length()));
        if (q == null) {
            throw QueueDoesNotExistException.builder().message("The specified queue does not exist: " + url).build();
        }
        return q;
    }

    @Override
    public synchronized GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        Queue q = queue(request.queueUrl());
        long now = nanos.getAsLong();
        Map<String, String> all = new HashMap<>(q.attributes);
        all.put(QueueAttributeName.QUEUE_ARN.toString(), ARN + q.name);
        long visible = q.messages.values().stream().filter(m -> m.visibleAt <= now).count();
        long inFlight = q.messages.values().stream().filter(m -> m.visibleAt > now && m.receives > 0).count();
        all.put(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES.toString(), Long.toString(visible));
        all.put(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE.toString(), Long.toString(inFlight));
        all.put(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED.toString(),
                Long.toString(q.messages.size() - visible - inFlight));
        boolean everything = request.attributeNames().contains(QueueAttributeName.ALL)
                || request.attributeNamesAsStrings().contains("All");
        Map<String, String> out = new HashMap<>();
        all.forEach((k, v) -> {
            if (everything || request.attributeNamesAsStrings().contains(k)) {
                out.put(k, v);
            }
        });
        return GetQueueAttributesResponse.builder().attributesWithStrings(out).build();
    }

    private String put(Queue q, String body, Integer delaySeconds) {
        long delay = delaySeconds == null ? 0 : Duration.ofSeconds(delaySeconds).toNanos();
        Stored m = new Stored(UUID.randomUUID().toString(), body, nanos.getAsLong() + delay);
        q.messages.put(m.id, m);
        sent++;
        return m.id;
    }

    @Override
    public synchronized SendMessageResponse sendMessage(SendMessageRequest request) {
        String id = put(queue(request.queueUrl()), request.messageBody(), request.delaySeconds());
        return SendMessageResponse.builder().messageId(id).build();
    }

    @Override
    public synchronized SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        Queue q = queue(request.queueUrl());
        if (request.entries().isEmpty() || request.entries().size() > 10) {
            throw new IllegalArgumentException("SendMessageBatch takes 1 to 10 entries, not " + request.entries().size());
        }
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        for (SendMessageBatchRequestEntry e : request.entries()) {
            ok.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId(put(q, e.messageBody(), e.delaySeconds()))
                    .build());
        }
        return SendMessageBatchResponse.builder().successful(ok).failed(List.<BatchResultErrorEntry>of()).build();
    }

    @Override
    public synchronized ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        Queue q = queue(request.queueUrl());
        int max = request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages();
        long now = nanos.getAsLong();
        long invisibleFor = request.visibilityTimeout() == null ? q.visibilityNanos()
                : Duration.ofSeconds(request.visibilityTimeout()).toNanos();
        List<Message> out = new ArrayList<>();
        List<Stored> dead = new ArrayList<>();
        for (Stored m : q.messages.values()) {
            if (out.size() == max) {
                break;
            }
            if (m.visibleAt > now) {
                continue;
            }
            if (q.maxReceiveCount > 0 && m.receives >= q.maxReceiveCount) {
                dead.add(m);
                continue;
            }
            m.receives++;
            m.visibleAt = now + invisibleFor;
            if (m.handle != null) {
                q.byHandle.remove(m.handle);
            }
            m.handle = m.id + "#" + m.receives;
            q.byHandle.put(m.handle, m);
            out.add(Message.builder().messageId(m.id).receiptHandle(m.handle).body(m.body)
                    .attributesWithStrings(Map.of(
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), Integer.toString(m.receives),
                            MessageSystemAttributeName.SENT_TIMESTAMP.toString(), Long.toString(m.sentAt)))
                    .build());
        }
        for (Stored m : dead) { // the redrive policy: to the dead-letter queue, a fresh message there
            remove(q, m);
            Queue target = byName.get(q.deadLetterName);
            if (target != null) {
                put(target, m.body, null);
            }
        }
        return ReceiveMessageResponse.builder().messages(out).build();
    }

    private static void remove(Queue q, Stored m) {
        q.messages.remove(m.id);
        if (m.handle != null) {
            q.byHandle.remove(m.handle);
        }
    }

    /** The message a receipt handle names, or null when it was deleted (a stale handle of a message still there names it too). */
    private static Stored byHandle(Queue q, String handle) {
        Stored m = q.byHandle.get(handle);
        if (m == null && handle != null && handle.indexOf('#') > 0) {
            m = q.messages.get(handle.substring(0, handle.indexOf('#')));
        }
        return m;
    }

    @Override
    public synchronized DeleteMessageResponse deleteMessage(DeleteMessageRequest request) {
        Queue q = queue(request.queueUrl());
        Stored m = byHandle(q, request.receiptHandle());
        if (m != null) {
            remove(q, m);
        }
        return DeleteMessageResponse.builder().build();
    }

    @Override
    public synchronized DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        Queue q = queue(request.queueUrl());
        List<DeleteMessageBatchResultEntry> ok = new ArrayList<>();
        for (DeleteMessageBatchRequestEntry e : request.entries()) {
            Stored m = byHandle(q, e.receiptHandle());
            if (m != null) {
                remove(q, m);
            }
            ok.add(DeleteMessageBatchResultEntry.builder().id(e.id()).build());
        }
        return DeleteMessageBatchResponse.builder().successful(ok).failed(List.<BatchResultErrorEntry>of()).build();
    }

    @Override
    public synchronized ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        Queue q = queue(request.queueUrl());
        long now = nanos.getAsLong();
        List<ChangeMessageVisibilityBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (ChangeMessageVisibilityBatchRequestEntry e : request.entries()) {
            Stored m = byHandle(q, e.receiptHandle());
            if (m == null) {
                failed.add(BatchResultErrorEntry.builder().id(e.id()).code("ReceiptHandleIsInvalid").senderFault(true)
                        .message("no message with receipt handle " + e.receiptHandle()).build());
                continue;
            }
            m.visibleAt = now + Duration.ofSeconds(e.visibilityTimeout()).toNanos();
            ok.add(ChangeMessageVisibilityBatchResultEntry.builder().id(e.id()).build());
        }
        return ChangeMessageVisibilityBatchResponse.builder().successful(ok).failed(failed).build();
    }

    /** Messages sent so far, over every queue (dead-letter moves included). */
    public synchronized long sent() {
        return sent;
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
