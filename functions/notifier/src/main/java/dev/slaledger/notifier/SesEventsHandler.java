package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.notifier.notice.SesEvent;
import dev.slaledger.notifier.notice.SesEventProcessor;
import dev.slaledger.priming.Priming;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SES sending events of the notices' configuration set: an EventBridge rule on the default bus
 * ({@code source: aws.ses}, detail-types {@code Email Sent}, {@code Email Bounced},
 * {@code Email Complaint Received}) or an SNS subscription, delivered directly or through an SQS
 * queue the rule targets (the deployed wiring: an SQS event source with
 * {@code ReportBatchItemFailures}). A malformed event is logged and dropped (retrying cannot fix
 * it); a storage failure throws, so the invocation is retried; in an SQS batch only the messages
 * whose storage failed are reported in {@code batchItemFailures}, so only they come back.
 */
public final class SesEventsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SesEventProcessor processor;

    public SesEventsHandler() {
        this(NotifierWiring.fromEnvironment());
    }

    private SesEventsHandler(NotifierWiring wiring) {
        this(wiring.sesEvents());
        Priming.register("ses-events", wiring.sesEventsPriming());
    }

    public SesEventsHandler(SesEventProcessor processor) {
        this.processor = processor;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        JsonNode root = JSON.valueToTree(input);
        if (isSqsBatch(root)) {
            return sqsBatch(root, context);
        }
        List<SesEvent> events;
        try {
            events = SesEvent.parseAll(root);
        } catch (IllegalArgumentException e) {
            JsonLog.warn(context, "dropped an event that is not an SES sending event: " + e.getMessage());
            return Map.of("ignored", e.getMessage());
        }
        List<Map<String, Object>> applied = new ArrayList<>();
        for (SesEvent event : events) {
            applied.add(apply(event, context));
        }
        return Map.of("applied", applied);
    }

    private Map<String, Object> apply(SesEvent event, Context context) {
        SesEventProcessor.Applied a = processor.apply(event);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("eventType", a.eventType());
        entry.put("messageId", a.messageId());
        a.accountId().ifPresent(id -> entry.put("accountId", id));
        a.version().ifPresent(v -> entry.put("version", v));
        entry.put("actions", a.actions());
        JsonLog.info(context, "SES " + a.eventType() + " " + a.messageId() + a.accountId().map(id -> " account " + id)
                .orElse("") + ": " + (a.actions().isEmpty() ? "nothing to change" : String.join("; ", a.actions())));
        return entry;
    }

    private static boolean isSqsBatch(JsonNode root) {
        JsonNode records = root.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    /**
     * An SQS batch whose message bodies are the events EventBridge put in the queue. Returns the
     * partial batch response: the ids of the messages to deliver again (storage failures only).
     */
    private Map<String, Object> sqsBatch(JsonNode root, Context context) {
        List<Map<String, String>> failures = new ArrayList<>();
        for (JsonNode record : root.get("Records")) {
            String id = record.path("messageId").asText();
            List<SesEvent> events;
            try {
                events = SesEvent.parseAll(JSON.readTree(record.path("body").asText("")));
            } catch (IOException | IllegalArgumentException e) {
                JsonLog.warn(context, "dropped queue message " + id + ", not an SES sending event: " + e.getMessage());
                continue;
            }
            try {
                for (SesEvent event : events) {
                    apply(event, context);
                }
            } catch (RuntimeException e) {
                JsonLog.warn(context, "queue message " + id + " not applied, it will be delivered again: " + e);
                failures.add(Map.of("itemIdentifier", id));
            }
        }
        return Map.of("batchItemFailures", failures);
    }
}
