package dev.slaledger.adapter.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The rules of the system's EventBridge bus, read from their one definition
 * ({@code event-rules.json} beside this class), which the CDK app deploys too. The local runtime
 * and {@code EventRulesIT} create them on an engine with these exact patterns.
 */
public final class EventRules {
    /** The resource holding the definitions (the CDK app reads the same file). */
    public static final String RESOURCE = "/dev/slaledger/adapter/eventbridge/event-rules.json";
    public static final String BILLING_EVENTS = "BillingEvents";
    public static final String TERMS_PUBLISHED = "TermsPublishedRule";
    public static final String BILLING_OUTBOUND = "BillingOutbound";
    /** StatementCompensable to the notice queue (S8.2 after a month's sweep). */
    public static final String NOTICE_STATEMENT_EVENTS = "NoticeStatementEvents";
    /** SubscriptionPurchased and ContactChanged to the notice queue (S6.2 after a version's sweep). */
    public static final String NOTICE_BILLING_EVENTS = "NoticeBillingEvents";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One rule: its name, what it is for, what it delivers to, and its event pattern as JSON. */
    public record Rule(String name, String description, String target, String pattern) {
    }

    private EventRules() {
    }

    public static List<Rule> all() {
        JsonNode root = read(RESOURCE);
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : root.get("rules")) {
            rules.add(new Rule(r.get("name").asText(), r.get("description").asText(), r.get("target").asText(),
                    r.get("pattern").toString()));
        }
        return List.copyOf(rules);
    }

    public static Rule named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no EventBridge rule " + name + " in " + RESOURCE));
    }

    /**
     * Puts every rule, with its shared pattern, on {@code bus} of an engine (moto locally, or an
     * account), each delivering to the target ARN {@code targets} gives it (an SQS queue on moto,
     * which delivers rules to queues only). The CDK app deploys the same patterns with Lambda and
     * SQS targets.
     */
    public static void install(EventBridgeClient events, String bus, Function<Rule, String> targets) {
        for (Rule rule : all()) {
            events.putRule(b -> b.name(rule.name()).eventBusName(bus).description(rule.description())
                    .eventPattern(rule.pattern()));
            events.putTargets(b -> b.rule(rule.name()).eventBusName(bus)
                    .targets(t -> t.id(rule.target()).arn(targets.apply(rule))));
        }
    }

    static JsonNode read(String resource) {
        try (InputStream in = EventRules.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
