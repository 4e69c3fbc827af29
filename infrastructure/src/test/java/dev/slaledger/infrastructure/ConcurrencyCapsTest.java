package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 27: the concurrency caps and the queue settings the CDK app deploys are exactly those of
 * deployment.json, the one definition the provider-scale rehearsal runs; a bulk job (month-end,
 * restatement, notices) can never take the account's concurrency from claims and ingest.
 */
class ConcurrencyCapsTest {
    /** The handler of each function deployment.json names (the schedules' targets and the queues' consumers). */
    private static final Map<String, String> HANDLERS = Map.of(
            "month-end", "dev.slaledger.monthend.MonthEndHandler::handleRequest",
            "restatement", "dev.slaledger.monthend.RestatementHandler::handleRequest",
            "outbox-sweep", "dev.slaledger.monthend.OutboxSweepHandler::handleRequest",
            "statement-worker", "dev.slaledger.monthend.StatementWorkerHandler::handleRequest",
            "maintenance-windows", "dev.slaledger.monthend.MaintenanceWindowsHandler::handleRequest",
            "notifier", "dev.slaledger.notifier.NotifierHandler::handleRequest",
            "notice-worker", "dev.slaledger.notifier.NoticeWorkerHandler::handleRequest",
            "ses-events", "dev.slaledger.notifier.SesEventsHandler::handleRequest");
    /** The account's default concurrency quota, and what Lambda keeps unreserved out of it. */
    private static final int ACCOUNT_CONCURRENCY = 1_000;
    private static final int UNRESERVED_MINIMUM = 100;

    private final Template app = Synth.get().app;

    @Test
    @DisplayName("issue 27: every function of deployment.json is deployed with its memory, timeout and reserved"
            + " concurrency; the ones it does not cap have none")
    void functionsAsDefined() {
        JsonNode functions = FunctionSettings.root().get("functions");
        assertThat(functions.size()).isEqualTo(HANDLERS.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = functions.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Object> props = properties(function(e.getKey()));
            FunctionSettings.Function settings = FunctionSettings.function(e.getKey());
            assertThat(props.get("MemorySize")).as(e.getKey()).isEqualTo(settings.memoryMb());
            assertThat(props.get("Timeout")).as(e.getKey()).isEqualTo(settings.timeout().toSeconds().intValue());
            assertThat(props.get("ReservedConcurrentExecutions")).as(e.getKey())
                    .isEqualTo(settings.reservedConcurrency().orElse(null));
        }
    }

    @Test
    @DisplayName("issue 27: each SQS mapping deploys its batch size and maximum concurrency, never more than its"
            + " function may take; each queue its visibility (>= 6 x the function's timeout) and receives before"
            + " its alarmed dead-letter queue")
    void mappingsAsDefined() {
        JsonNode queues = FunctionSettings.root().get("queues");
        for (Iterator<String> it = queues.fieldNames(); it.hasNext();) {
            String name = it.next();
            FunctionSettings.Queue q = FunctionSettings.queue(name);
            FunctionSettings.Function consumer = FunctionSettings.function(q.consumer());
            Map<String, Object> mapping = mappingOf(q.consumer());
            assertThat(mapping.get("BatchSize")).as(name).isEqualTo(q.batchSize());
            assertThat(mapping.get("ScalingConfig")).as(name).isEqualTo(Map.of("MaximumConcurrency", q.maxConcurrency()));
            assertThat(q.maxConcurrency()).as(name + ": the mapping never invokes beyond the function's reservation")
                    .isLessThanOrEqualTo(consumer.reservedConcurrency().orElse(ACCOUNT_CONCURRENCY));
            @SuppressWarnings("unchecked")
            String queueId = ((List<String>) ((Map<String, Object>) mapping.get("EventSourceArn")).get("Fn::GetAtt"))
                    .get(0);
            Map<String, Object> queue = properties(queueId);
            assertThat(queue.get("VisibilityTimeout")).as(name).isEqualTo(q.visibilityTimeout().toSeconds().intValue());
            assertThat(q.visibilityTimeout().toSeconds().intValue()).as(name)
                    .isGreaterThanOrEqualTo(6 * consumer.timeout().toSeconds().intValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> redrive = (Map<String, Object>) queue.get("RedrivePolicy");
            assertThat(redrive.get("maxReceiveCount")).as(name).isEqualTo(q.maxReceiveCount());
        }
        // the month-end's accounts per work message reach the functions as WORK_BATCH_SIZE
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) properties(function("month-end"))
                .get("Environment")).get("Variables");
        assertThat(env.get("WORK_BATCH_SIZE")).isEqualTo(Integer.toString(
                FunctionSettings.queue("statement-work").accountsPerMessage().orElseThrow()));
    }

    @Test
    @DisplayName("issue 27: the reservations leave the account's unreserved pool to claims, ingest and accounts,"
            + " which reserve nothing (they scale with their traffic)")
    void reservationsLeaveThePool() {
        int reserved = 0;
        List<String> uncapped = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> fn : app.findResources("AWS::Lambda::Function").entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) fn.getValue().get("Properties");
            Object r = props.get("ReservedConcurrentExecutions");
            if (r == null) {
                uncapped.add((String) props.get("Handler"));
            } else {
                reserved += (Integer) r;
            }
        }
        assertThat(reserved).isLessThanOrEqualTo(ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM);
        assertThat(uncapped).contains("dev.slaledger.claims.ClaimsHandler::handleRequest",
                "dev.slaledger.ingest.WindowedIngestHandler::handleRequest",
                "dev.slaledger.accounts.AccountsHandler::handleRequest");
    }

    @Test
    @DisplayName("issue 27: -c reserveConcurrency=false (an account on the new-account quota of 10) deploys no"
            + " reservation; anything but true or false is refused")
    void reservationsCanBeTurnedOff() {
        assertThat(FunctionSettings.reserveConcurrency(new software.amazon.awscdk.App().getNode())).isTrue();
        assertThat(FunctionSettings.reserveConcurrency(new software.amazon.awscdk.App(software.amazon.awscdk.AppProps
                .builder().context(Map.of("reserveConcurrency", "false")).build()).getNode())).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FunctionSettings.reserveConcurrency(
                new software.amazon.awscdk.App(software.amazon.awscdk.AppProps.builder()
                        .context(Map.of("reserveConcurrency", "no")).build()).getNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserveConcurrency");
    }

    private String function(String name) {
        Map<String, Map<String, Object>> found = app.findResources("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Handler", HANDLERS.get(name))))));
        assertThat(found).as(name).hasSize(1);
        return found.keySet().iterator().next();
    }

    private Map<String, Object> mappingOf(String consumer) {
        String fn = function(consumer);
        Map<String, Map<String, Object>> aliases = app.findResources("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("FunctionName", Map.of("Ref", fn))))));
        String alias = aliases.keySet().iterator().next();
        Map<String, Object> mappings = new LinkedHashMap<>();
        app.findResources("AWS::Lambda::EventSourceMapping").forEach((id, m) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) m.get("Properties");
            if (props.get("FunctionName").toString().contains(alias)) {
                mappings.put(id, props);
            }
        });
        assertThat(mappings).as(consumer).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) mappings.values().iterator().next();
        return props;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(String logicalId) {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) app.toJSON().get("Resources");
        return (Map<String, Object>) resources.get(logicalId).get("Properties");
    }
}
