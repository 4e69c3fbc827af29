package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.core.billing.InvalidBillingEventException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The system's EventBridge bus on moto, with the rules the CDK app deploys (their shared patterns,
 * {@link EventRules}). moto delivers a rule only to an SQS queue of its own, so each rule delivers
 * to a moto queue here ({@code sla-local-rule-<rule>}) and the runtime hands what arrived to the
 * handler the rule targets in AWS (accounts, notifier) or to the billing queue's reader. On the
 * memory engine ({@link #inMemory}) the same rules deliver in this process ({@link InMemoryEventBridge}).
 */
final class LocalEventBus implements AutoCloseable {
    static final String BUS = "sla-local-bus";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventBridgeClient events;
    /** moto's SQS (the rules' queues); null on the memory engine. */
    private final SqsClient sqs;
    private final Map<String, String> queueOfRule = new HashMap<>();
    /** The bus in this process; null on moto. */
    private final InMemoryEventBridge memory;

    private LocalEventBus(InMemoryEventBridge memory) {
        this.events = memory;
        this.memory = memory;
        this.sqs = null;
    }

    /** The bus with the deployed rules in this process (the memory engine). */
    static LocalEventBus inMemory() {
        return new LocalEventBus(new InMemoryEventBridge());
    }

    /** The bus with the deployed rules on moto, each delivering to a moto queue. */
    LocalEventBus(URI motoEndpoint) {
        memory = null;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("local", "local"));
        events = EventBridgeClient.builder().endpointOverride(motoEndpoint).region(Region.EU_WEST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(motoEndpoint).region(Region.EU_WEST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        events.createEventBus(b -> b.name(BUS));
        EventRules.install(events, BUS, rule -> {
            String url = sqs.createQueue(b -> b.queueName("sla-local-rule-" + rule.name())).queueUrl();
            queueOfRule.put(rule.name(), url);
            return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
        });
    }

    EventBridgeClient client() {
        return events;
    }

    /**
     * Puts a billing event, given as the EventBridge envelope billing's events arrive in, on the
     * bus as billing's PutEvents would (source, detail-type, detail, time); an entry the bus
     * refuses is refused here as an invalid billing event.
     */
    void putBillingEvent(String envelope) {
        JsonNode e;
        try {
            e = JSON.readTree(envelope);
        } catch (IOException x) {
            throw new InvalidBillingEventException(null, null, "not valid JSON: " + x.getMessage());
        }
        if (e == null || !e.isObject()) {
            throw new InvalidBillingEventException(null, null, "an EventBridge event must be a JSON object");
        }
        PutEventsResponse response = events.putEvents(b -> b.entries(entry -> {
            entry.eventBusName(BUS).source(e.path("source").asText()).detailType(e.path("detail-type").asText())
                    .detail(e.path("detail").toString());
            if (e.path("time").isTextual()) {
                entry.time(Instant.parse(e.get("time").asText()));
            }
        }));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new InvalidBillingEventException(e.path("id").asText(null), null, "the event bus refused it: "
                    + response.entries().get(0).errorCode() + " " + response.entries().get(0).errorMessage());
        }
    }

    /**
     * For each deployed rule, the envelopes of {@code envelopes} its pattern matches (in their order),
     * with the memory engine's matcher ({@link InMemoryEventBridge#matches}); each envelope is parsed
     * once; nothing is put on the bus. For events that are not put on it (the batch load of the
     * accounts file, {@link LocalRuntime#importAccounts}).
     */
    static Map<String, List<String>> matchingByRule(List<String> envelopes) {
        List<JsonNode> parsed = envelopes.stream().map(LocalEventBus::parse).toList();
        Map<String, List<String>> byRule = new LinkedHashMap<>();
        for (EventRules.Rule rule : EventRules.all()) {
            JsonNode pattern = parse(rule.pattern());
            List<String> matched = new ArrayList<>();
            for (int i = 0; i < envelopes.size(); i++) {
                if (InMemoryEventBridge.matches(pattern, parsed.get(i))) {
                    matched.add(envelopes.get(i));
                }
            }
            byRule.put(rule.name(), matched);
        }
        return byRule;
    }

    /** The event envelopes the rule delivered since the last call, in arrival order; they are taken off its queue. */
    List<String> drain(String rule) {
        if (memory != null) {
            return memory.drain(rule);
        }
        String url = queueOfRule.get(rule);
        List<String> bodies = new ArrayList<>();
        for (List<Message> batch = receive(url); !batch.isEmpty(); batch = receive(url)) {
            for (Message m : batch) {
                bodies.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        return bodies;
    }

    private List<Message> receive(String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        if (sqs != null) {
            sqs.close();
        }
    }
}
