package dev.slaledger.adapter.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The EventBridge Scheduler schedules, read from their one definition ({@code schedules.json}
 * beside this class), which the CDK app deploys too. The local runtime creates them on its engine
 * and fires them on its simulated clock (tooling/emulators {@code ScheduleExpression}, whose
 * {@code SchedulesParseTest} parses every expression here).
 */
public final class Schedules {
    public static final String RESOURCE = "/dev/slaledger/adapter/eventbridge/schedules.json";
    /** The {@code timeZone} value meaning "the terms' zone". */
    public static final String TERMS_ZONE = "terms";

    /**
     * One schedule. {@code inTermsZone}: the expression is evaluated in the terms' time zone (else
     * it is a rate, which has none). {@code target}: which function it invokes, with input {@code {}}.
     */
    public record Definition(String name, String description, String expression, boolean inTermsZone,
            String target) {
        /** The zone the expression is evaluated in, given the terms' zone. */
        public Optional<ZoneId> zone(ZoneId termsZone) {
            return inTermsZone ? Optional.of(termsZone) : Optional.empty();
        }
    }

    private Schedules() {
    }

    public static List<Definition> all() {
        List<Definition> out = new ArrayList<>();
        for (JsonNode s : EventRules.read(RESOURCE).get("schedules")) {
            JsonNode zone = s.get("timeZone");
            if (zone != null && !TERMS_ZONE.equals(zone.asText())) {
                throw new IllegalStateException("schedule " + s.get("name").asText() + ": timeZone must be '"
                        + TERMS_ZONE + "' or absent, was " + zone.asText());
            }
            Definition d = new Definition(s.get("name").asText(), s.get("description").asText(),
                    s.get("expression").asText(), zone != null, s.get("target").asText());
            out.add(d);
        }
        return List.copyOf(out);
    }
}
