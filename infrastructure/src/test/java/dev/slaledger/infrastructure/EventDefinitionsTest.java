package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The bus rules and the schedules the app deploys are exactly their shared definitions
 * (adapters/eventbridge event-rules.json and schedules.json), the ones the local runtime
 * and EventRulesIT create on moto: a pattern or an expression changed there changes here, and no
 * copy can drift.
 */
class EventDefinitionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Synth synth = Synth.get();
    private final Template app = synth.app;

    @Test
    @DisplayName("every shared rule is deployed on the bus with exactly its shared pattern and description")
    void rulesDeployTheSharedPatterns() {
        JsonNode rules = EventDefinitions.read(EventDefinitions.RULES).get("rules");
        assertThat(rules).hasSize(5);
        for (JsonNode rule : rules) {
            Map<?, ?> pattern = JSON.convertValue(rule.get("pattern"), Map.class);
            app.hasResourceProperties("AWS::Events::Rule", Map.of(
                    "EventPattern", pattern,
                    "Description", rule.get("description").asText(),
                    "EventBusName", Map.of("Ref", logicalId(synth.stacks.app().bus()))));
        }
    }

    @Test
    @DisplayName("S1.4, S7.2, S7.6: every shared schedule is deployed with exactly its expression (in the terms' zone where it has one) and retry policy")
    void schedulesDeployTheSharedExpressions() {
        JsonNode schedules = EventDefinitions.read(EventDefinitions.SCHEDULES).get("schedules");
        assertThat(app.findResources("AWS::Scheduler::Schedule")).hasSize(schedules.size());
        for (JsonNode s : schedules) {
            Map<String, Object> props = new java.util.HashMap<>(Map.of(
                    "ScheduleExpression", s.get("expression").asText(),
                    "Description", s.get("description").asText(),
                    "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                    // issue 29 item 8: the retry policy is the entry's, not the app's
                    "Target", Match.objectLike(Map.of("RetryPolicy", Map.of(
                            "MaximumRetryAttempts", s.get("retryAttempts").asInt(),
                            "MaximumEventAgeInSeconds", s.get("maximumEventAgeSeconds").asInt())))));
            if (s.has("timeZone")) {
                props.put("ScheduleExpressionTimezone", Synth.PARAMETERS.timeZone().getId());
            }
            app.hasResourceProperties("AWS::Scheduler::Schedule", props);
        }
    }

    @Test
    @DisplayName("StatementCompensable and VoucherIssued reach the billing queue (encrypted, TLS only, kept 14 days, its own DLQ), undeliverable ones the BillingOutboundFailed queue")
    void billingOutbound() {
        Map<String, Map<String, Object>> queues = app.findResources("AWS::SQS::Queue", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("RedrivePolicy", Match.anyValue())))));
        List<String> billing = queues.keySet().stream().filter(id -> id.startsWith("BillingOutbound")).toList();
        assertThat(billing).hasSize(1);
        String queue = billing.get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) queues.get(queue).get("Properties");
        assertThat(props).containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("MessageRetentionPeriod", 14 * 24 * 3600);
        app.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of("source", List.of("sla-ledger"),
                        "detail-type", List.of("StatementCompensable", "VoucherIssued")),
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(queue, "Arn")),
                        "DeadLetterConfig", Match.objectLike(Map.of("Arn", Match.anyValue())),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 185, "MaximumEventAgeInSeconds", 86400))))));
        app.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "Queues", List.of(Map.of("Ref", queue)))));
        app.hasOutput("BillingOutboundQueueUrl", Match.objectLike(Map.of("Value", Map.of("Ref", queue))));
    }

    private static String logicalId(software.constructs.IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return Stack.of(construct).resolve(element.getLogicalId()).toString();
    }
}
