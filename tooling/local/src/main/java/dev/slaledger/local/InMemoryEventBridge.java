package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.adapter.eventbridge.EventRules;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The system's bus in this process (the memory engine): {@code PutEvents} through the real EventBridge
 * adapters, each entry matched against the deployed rules' patterns ({@link EventRules}) and the
 * envelope of every match kept on that rule's delivery list, in the shape moto (and EventBridge)
 * deliver to an SQS target: {@code version, id, detail-type, source, account, time, region,
 * resources, detail}. The patterns the rules use are exact values of top-level fields (and nested
 * objects of them); a pattern with anything else (prefix, numeric, exists...) is refused at start, not
 * silently matched wrong. The same validation as the engine: source, detail-type and a JSON object
 * detail are required, at most 10 entries.
 */
final class InMemoryEventBridge implements EventBridgeClient {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> patterns = new LinkedHashMap<>();
    private final Map<String, Deque<String>> delivered = new LinkedHashMap<>();

    InMemoryEventBridge() {
        for (EventRules.Rule rule : EventRules.all()) {
            JsonNode pattern = parse(rule.pattern());
            checkSupported(rule.name(), pattern);
            patterns.put(rule.name(), pattern);
            delivered.put(rule.name(), new ArrayDeque<>());
        }
    }

    @Override
    public synchronized PutEventsResponse putEvents(PutEventsRequest request) {
        if (request.entries().size() > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries, got " + request.entries().size());
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry e : request.entries()) {
            String error = invalid(e);
            if (error != null) {
                failed++;
                results.add(PutEventsResultEntry.builder().errorCode("InvalidArgument").errorMessage(error).build());
                continue;
            }
            String id = UUID.randomUUID().toString();
            ObjectNode envelope = envelope(e, id);
            patterns.forEach((rule, pattern) -> {
                if (matches(pattern, envelope)) {
                    delivered.get(rule).add(envelope.toString());
                }
            });
            results.add(PutEventsResultEntry.builder().eventId(id).build());
        }
        return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
    }

    /** What {@code rule} delivered since the last call, in arrival order; taken off its list. */
    synchronized List<String> drain(String rule) {
        Deque<String> queue = delivered.get(rule);
        if (queue == null) {
            throw new IllegalArgumentException("no rule " + rule + " on the bus");
        }
        List<String> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    private static String invalid(PutEventsRequestEntry e) {
        if (e.source() == null || e.source().isEmpty()) {
            return "Parameter Source is not valid. Reason: Source is a required argument.";
        }
        if (e.detailType() == null || e.detailType().isEmpty()) {
            return "Parameter DetailType is not valid. Reason: DetailType is a required argument.";
        }
        if (e.detail() == null || e.detail().isEmpty()) {
            return "Parameter Detail is not valid. Reason: Detail is a required argument.";
        }
        try {
            JSON.readTree(e.detail());
        } catch (IOException x) {
            return "Detail is malformed.";
        }
        return null;
    }

    private static ObjectNode envelope(PutEventsRequestEntry e, String id) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", "0");
        n.put("id", id);
        n.put("detail-type", e.detailType());
        n.put("source", e.source());
        n.put("account", ACCOUNT);
        Instant time = e.time() != null ? e.time() : Instant.now();
        n.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        n.put("region", REGION);
        n.set("resources", JSON.valueToTree(e.resources() == null ? List.of() : e.resources()));
        n.set("detail", parse(e.detail()));
        return n;
    }

    /** An event pattern of exact values: every field it names is in the event with one of the listed values. */
    static boolean matches(JsonNode pattern, JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = event.get(f.getKey());
            if (value == null) {
                return false;
            }
            if (f.getValue().isObject()) {
                if (!matches(f.getValue(), value)) {
                    return false;
                }
            } else if (!anyEqual(f.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyEqual(JsonNode allowed, JsonNode value) {
        for (JsonNode a : allowed) {
            if (value.isArray()) {
                for (JsonNode v : value) {
                    if (a.equals(v)) {
                        return true;
                    }
                }
            } else if (a.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void checkSupported(String rule, JsonNode pattern) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isObject()) {
                checkSupported(rule, f.getValue());
            } else if (!f.getValue().isArray()) {
                throw new IllegalStateException("rule " + rule + ": field " + f.getKey() + " is not a list of values");
            } else {
                for (JsonNode v : f.getValue()) {
                    if (!v.isValueNode()) {
                        throw new IllegalStateException("rule " + rule + ": field " + f.getKey() + " uses a content"
                                + " filter (" + v + "), which the memory engine's bus does not evaluate; use"
                                + " --engine emulators");
                    }
                }
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
