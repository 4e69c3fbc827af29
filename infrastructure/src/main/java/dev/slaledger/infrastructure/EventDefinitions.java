package dev.slaledger.infrastructure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;

/**
 * The bus rules' event patterns and the Scheduler schedules, from their one definition: the JSON
 * files of {@code adapters/eventbridge} ({@code event-rules.json}, {@code schedules.json}),
 * which this module's build copies onto its class path (infrastructure/pom.xml) without depending
 * on that module. The local runtime and the engine tests create the same rules and schedules from
 * the same files (adapter-eventbridge {@code EventRules}, {@code Schedules}).
 */
final class EventDefinitions {
    static final String RULES = "/dev/slaledger/adapter/eventbridge/event-rules.json";
    static final String SCHEDULES = "/dev/slaledger/adapter/eventbridge/schedules.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A rule's description and pattern, as the JSON holds them. */
    record RuleDefinition(String name, String description, JsonNode pattern) {
        /** The pattern as the CDK takes it: the keys of our patterns (source, detail-type, detail, resources) only. */
        EventPattern eventPattern() {
            EventPattern.Builder b = EventPattern.builder();
            for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "source" -> b.source(strings(e.getValue()));
                    case "detail-type" -> b.detailType(strings(e.getValue()));
                    case "resources" -> b.resources(strings(e.getValue()));
                    case "detail" -> b.detail(JSON.convertValue(e.getValue(), LinkedHashMap.class));
                    default -> throw new IllegalStateException("rule " + name + ": pattern key " + e.getKey()
                            + " is not mapped to the CDK's EventPattern here; add it to EventDefinitions");
                }
            }
            return b.build();
        }

        private List<String> strings(JsonNode array) {
            List<String> out = new ArrayList<>();
            for (JsonNode v : array) {
                if (!v.isTextual()) {
                    throw new IllegalStateException("rule " + name + ": only exact string values are mapped, not " + v);
                }
                out.add(v.asText());
            }
            return out;
        }
    }

    /**
     * A schedule as the JSON holds it: its description and expression, the job it invokes
     * ({@code target}, the name AppStack registers the function under) and Scheduler's retry policy.
     */
    record ScheduleDefinition(String name, String description, String expression, boolean inTermsZone,
            String target, int retryAttempts, int maximumEventAgeSeconds) {
        ScheduleExpression scheduleExpression(TimeZone termsZone) {
            return inTermsZone ? ScheduleExpression.expression(expression, termsZone)
                    : ScheduleExpression.expression(expression);
        }
    }

    private EventDefinitions() {
    }

    static RuleDefinition rule(String name) {
        for (JsonNode r : read(RULES).get("rules")) {
            if (r.get("name").asText().equals(name)) {
                return new RuleDefinition(name, r.get("description").asText(), r.get("pattern"));
            }
        }
        throw new IllegalStateException("no rule " + name + " in " + RULES);
    }

    static ScheduleDefinition schedule(String name) {
        return schedules().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no schedule " + name + " in " + SCHEDULES));
    }

    /** Every schedule of the definition, in its order. */
    static List<ScheduleDefinition> schedules() {
        List<ScheduleDefinition> out = new ArrayList<>();
        for (JsonNode s : read(SCHEDULES).get("schedules")) {
            out.add(new ScheduleDefinition(s.get("name").asText(), s.get("description").asText(),
                    s.get("expression").asText(), s.has("timeZone"), s.get("target").asText(),
                    s.get("retryAttempts").asInt(), s.get("maximumEventAgeSeconds").asInt()));
        }
        return out;
    }

    static JsonNode read(String resource) {
        try (InputStream in = EventDefinitions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: build with ./mvnw (the"
                        + " infrastructure module copies it from adapters/eventbridge)");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
