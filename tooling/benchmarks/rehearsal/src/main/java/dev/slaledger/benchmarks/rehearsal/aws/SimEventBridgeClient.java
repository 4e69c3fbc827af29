package dev.slaledger.benchmarks.rehearsal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The EventBridge client the real event adapters are given: PutEvents, one request per call with
 * its modeled latency, each entry delivered to the billing consumer this class stands for, which
 * counts deliveries per event key (StatementCompensable: account, month, revision; VoucherIssued:
 * claim id), as billing deduplicates them.
 */
public final class SimEventBridgeClient implements EventBridgeClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Aws aws;
    private final Map<String, Integer> deliveries = new HashMap<>();
    /** The rules that target a queue: detail-type to the queue (the notice rules of the CDK app). */
    private final Map<String, SimQueue> rules = new HashMap<>();
    private long events;

    public SimEventBridgeClient(Aws aws) {
        this.aws = aws;
    }

    /** Delivers every event of {@code detailType} to {@code queue} too, as an EventBridge rule with an SQS target. */
    public SimEventBridgeClient route(String detailType, SimQueue queue) {
        rules.put(detailType, queue);
        return this;
    }

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
        return aws.call(Request.events("PutEvents", request.entries().size()), () -> {
            List<PutEventsResultEntry> results = new ArrayList<>();
            for (PutEventsRequestEntry e : request.entries()) {
                deliveries.merge(key(e), 1, Integer::sum);
                SimQueue target = rules.get(e.detailType());
                if (target != null) {
                    target.put(envelope(e), "event rule " + e.detailType());
                }
                events++;
                results.add(PutEventsResultEntry.builder().eventId("event-" + events).build());
            }
            return PutEventsResponse.builder().failedEntryCount(0).entries(results).build();
        });
    }

    /** The event as a rule puts it on an SQS target: the EventBridge envelope, the detail as JSON. */
    private static String envelope(PutEventsRequestEntry e) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
            n.put("version", "0");
            n.put("source", e.source());
            n.put("detail-type", e.detailType());
            n.set("detail", JSON.readTree(e.detail()));
            return n.toString();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    static String key(PutEventsRequestEntry e) {
        try {
            JsonNode d = JSON.readTree(e.detail());
            return switch (e.detailType()) {
                case "StatementCompensable" -> "StatementCompensable " + d.path("accountId").asText() + " "
                        + d.path("month").asText() + " " + d.path("revision").asText();
                case "VoucherIssued" -> "VoucherIssued " + d.path("claimId").asText();
                default -> e.detailType();
            };
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** How often each event key was delivered (billing deduplicates: more than 1 is a duplicate delivery). */
    public Map<String, Integer> deliveries() {
        return Map.copyOf(deliveries);
    }

    public long deliveries(String prefix) {
        return deliveries.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    public long duplicates(String prefix) {
        return deliveries.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue() - 1).sum();
    }

    @Override
    public String serviceName() {
        return "events";
    }

    @Override
    public void close() {
    }
}
