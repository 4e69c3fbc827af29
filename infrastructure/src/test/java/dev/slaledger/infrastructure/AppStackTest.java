package dev.slaledger.infrastructure;

import static dev.slaledger.infrastructure.Handlers.ACCOUNTS;
import static dev.slaledger.infrastructure.Handlers.CLAIMS;
import static dev.slaledger.infrastructure.Handlers.INGEST;
import static dev.slaledger.infrastructure.Handlers.MAINTENANCE;
import static dev.slaledger.infrastructure.Handlers.MONTH_END;
import static dev.slaledger.infrastructure.Handlers.NOTICE_WORKER;
import static dev.slaledger.infrastructure.Handlers.NOTIFIER;
import static dev.slaledger.infrastructure.Handlers.OUTBOX_SWEEP;
import static dev.slaledger.infrastructure.Handlers.PUBLISH_TERMS;
import static dev.slaledger.infrastructure.Handlers.RESTATEMENT;
import static dev.slaledger.infrastructure.Handlers.SES_EVENTS;
import static dev.slaledger.infrastructure.Handlers.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Matcher;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.sqs.Queue;

class AppStackTest {

    private final Synth synth = Synth.get();
    private final Template app = synth.app;

    /** A schedule in the terms' zone starting {@code handler}'s alias with {@code {}}, 20 retries in 6 hours, then {@code failedQueue}. */
    private void hasScheduleInTermsZone(String expression, String handler, String failedQueue) {
        app.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", expression,
                "ScheduleExpressionTimezone", "Asia/Shanghai",
                "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                "Target", Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", aliasOf(handler)),
                        "Input", "{}",
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 20, "MaximumEventAgeInSeconds", 21600),
                        "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(failedQueue, "Arn")))))));
    }

    /**
     * An EventBridge rule's target {@code arn}: {@code attempts} retries within {@code maxAgeSeconds}, then
     * the queue {@code deadLetterQueue}.
     */
    private static Matcher ruleTarget(Object arn, String deadLetterQueue, int attempts, int maxAgeSeconds) {
        return Match.objectLike(Map.of(
                "Arn", arn,
                "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(deadLetterQueue, "Arn"))),
                "RetryPolicy", Map.of("MaximumRetryAttempts", attempts, "MaximumEventAgeInSeconds", maxAgeSeconds)));
    }

    /** The alias's (qualifier's) asynchronous invocations: 2 retries in 6 hours, then {@code failedQueue}. */
    private void hasOnFailureDestination(String handler, String failedQueue) {
        app.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", Map.of("Ref", functionOf(handler)),
                "Qualifier", Match.anyValue(), // the alias, resolved from its ARN
                "MaximumRetryAttempts", 2,
                "MaximumEventAgeInSeconds", 21600,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination",
                        Map.of("Fn::GetAtt", List.of(failedQueue, "Arn"))))));
    }

    @Test
    @DisplayName("S1.4 month-end schedule: hourly on the 1st and 2nd, cron(30 * 1-2 * ? *), in the terms' time zone, input {}, retries, dead-letter queue")
    void monthEndSchedule() {
        Map<String, Map<String, Object>> schedules = app.findResources("AWS::Scheduler::Schedule");
        assertThat(schedules).hasSize(5); // month-end, restatement, notifier, forecast (S9.8), outbox sweep
        hasScheduleInTermsZone("cron(30 * 1-2 * ? *)", MONTH_END, logicalId(queue("MonthEndFailed")));
    }

    @Test
    @DisplayName("S7.2 restatement schedule: daily cron(0 3 * * ? *) in the terms' time zone, input {}, retries, the RestatementFailed queue; the function may send to the work queue")
    void restatementSchedule() {
        hasScheduleInTermsZone("cron(0 3 * * ? *)", RESTATEMENT, logicalId(queue("RestatementFailed")));
        assertThat(variables(RESTATEMENT)).containsKeys("LEDGER_TABLE", "ACCOUNTS_TABLE", "WORK_QUEUE_URL");
    }

    @Test
    @DisplayName("S7.6 outbox sweep schedule: rate(5 minutes), input {}, 2 retries within 5 minutes (the next run comes anyway), the OutboxSweepFailed queue (also the alias's on-failure destination); 5-minute timeout")
    void outboxSweepSchedule() {
        String failed = logicalId(queue("OutboxSweepFailed"));
        Map<String, Map<String, Object>> sweeps = app.findResources("AWS::Scheduler::Schedule", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Target", Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", aliasOf(OUTBOX_SWEEP)))))))));
        Map<String, Object> props = DataStackTest.properties(only(sweeps));
        assertThat(props.get("ScheduleExpression")).isEqualTo("rate(5 minutes)");
        assertThat(props.get("ScheduleExpressionTimezone")).isEqualTo("Etc/UTC"); // the CDK's default; a rate has no zone
        assertThat(props.get("FlexibleTimeWindow")).isEqualTo(Map.of("Mode", "OFF"));
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) props.get("Target");
        assertThat(target).containsEntry("Input", "{}")
                .containsEntry("RetryPolicy", Map.of("MaximumRetryAttempts", 2, "MaximumEventAgeInSeconds", 300))
                .containsEntry("DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(failed, "Arn"))));
        hasOnFailureDestination(OUTBOX_SWEEP, failed);
        assertThat(DataStackTest.properties(resource(functionOf(OUTBOX_SWEEP))).get("Timeout")).isEqualTo(300);
    }

    @Test
    @DisplayName("S6.2 S9.3 notifier schedule: hourly cron(0 * * * ? *) in the terms' time zone, input {}, retries, the NotifierFailed queue (also the alias's on-failure destination)")
    void notifierSchedule() {
        String failed = logicalId(queue("NotifierFailed"));
        hasScheduleInTermsZone("cron(0 * * * ? *)", NOTIFIER, failed);
        hasOnFailureDestination(NOTIFIER, failed);
    }

    @Test
    @DisplayName("S6.2 TermsPublished (source sla-ledger) on the bus starts the notifier alias at once, with retries and the NotifierFailed queue")
    void termsPublishedRule() {
        app.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of("source", List.of("sla-ledger"), "detail-type", List.of("TermsPublished")),
                "EventBusName", Map.of("Ref", logicalId(synth.stacks.app().bus())),
                "State", "ENABLED",
                "Description", Match.anyValue(),
                "Targets", List.of(ruleTarget(Map.of("Ref", aliasOf(NOTIFIER)), logicalId(queue("NotifierFailed")),
                        20, 21600))));
    }

    @Test
    @DisplayName("S6.4 SES events function reads the feedback queue with ReportBatchItemFailures; visibility >= 6 x its timeout")
    void sesEventsFromFeedbackQueue() {
        String feedback = logicalId(synth.stacks.app().mail().feedbackQueue());
        Map<String, Object> props = mappingOf(SES_EVENTS);
        assertThat(props.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(props.get("EventSourceArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(feedback, "Arn")));
        assertThat(props.get("BatchSize")).isEqualTo(10);
        int timeout = (Integer) DataStackTest.properties(resource(functionOf(SES_EVENTS))).get("Timeout");
        assertThat((Integer) DataStackTest.properties(resource(feedback)).get("VisibilityTimeout"))
                .isGreaterThanOrEqualTo(6 * timeout);
    }

    @Test
    @DisplayName("Kinesis mapping (docs/ingest.md, issues 18 and 26): tumbling windows of 900 s on the windowed handler, batch 2000 in 5 s, bisect, no partial batch responses, parallelization 1, retries until expiry, on-failure queue")
    void kinesisEventSourceMapping() {
        app.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 2000,
                "MaximumBatchingWindowInSeconds", 5,
                "TumblingWindowInSeconds", 900,
                "BisectBatchOnFunctionError", true,
                "FunctionResponseTypes", Match.absent(),
                "ParallelizationFactor", 1,
                "MaximumRetryAttempts", -1,
                "StartingPosition", "TRIM_HORIZON",
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt",
                        List.of(logicalId(queue("IngestFailed")), "Arn")))),
                "FunctionName", aliasFunctionName(INGEST)));
        // a window's final invocation writes all of the shard's window keys: 5 minutes
        assertThat(DataStackTest.properties(resource(functionOf(INGEST))).get("Timeout")).isEqualTo(300);
    }

    @Test
    @DisplayName("statement worker reads the work queue with ReportBatchItemFailures; visibility timeout >= 6 x its timeout; DLQ after 5 receives")
    void workQueue() {
        Map<String, Object> props = mappingOf(WORKER);
        assertThat(props.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        @SuppressWarnings("unchecked")
        String queueId = ((List<String>) ((Map<String, Object>) props.get("EventSourceArn")).get("Fn::GetAtt")).get(0);
        Map<String, Object> queue = DataStackTest.properties(resource(queueId));
        int workerTimeout = (Integer) DataStackTest.properties(resource(functionOf(WORKER))).get("Timeout");
        assertThat((Integer) queue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * workerTimeout);
        assertThat(queue.get("RedrivePolicy")).isEqualTo(Map.of("deadLetterTargetArn",
                Map.of("Fn::GetAtt", List.of(logicalId(queue("StatementWorkDlq")), "Arn")), "maxReceiveCount", 5));
    }

    @Test
    @DisplayName("every function: java21, arm64, SnapStart on published versions, alias live on its current version, own log group")
    void functions() {
        Map<String, Map<String, Object>> functions = app.findResources("AWS::Lambda::Function");
        assertThat(functions).hasSize(15); // and the forecast's fan-out, worker and admin route (S9.8)
        app.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "LoggingConfig", Match.objectLike(Map.of("LogGroup", Match.anyValue())))));
        for (String id : functions.keySet()) {
            app.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                    "Name", "live", "FunctionName", Map.of("Ref", id), "FunctionVersion", Match.anyValue()));
        }
        app.resourceCountIs("AWS::Lambda::Alias", 15);
        app.resourceCountIs("AWS::Lambda::Version", 15);
        app.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 90)));
    }

    @Test
    @DisplayName("every function deploys its own package (issue 11: only the SDK services it calls, each under 15 MB)")
    void onePackagePerFunction() {
        Map<String, Map<String, Object>> functions = app.findResources("AWS::Lambda::Function");
        List<Object> codes = new ArrayList<>();
        for (Map<String, Object> fn : functions.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) fn.get("Properties");
            @SuppressWarnings("unchecked")
            Map<String, Object> code = (Map<String, Object>) properties.get("Code");
            codes.add(code.get("S3Key"));
        }
        // The restatement run calls what the month-end calls (DynamoDB, SQS): it deploys the month-end's package.
        // The outbox sweep calls DynamoDB and EventBridge: its own package (outbox-sweep), no SQS.
        // The forecast (S9.8) deploys three packages it shares: its fan-out the month-end's (DynamoDB, SQS), its
        // worker the statement worker's (DynamoDB, EventBridge), its admin route the windows route's (DynamoDB).
        assertThat(codes).hasSize(15);
        assertThat(new java.util.HashSet<>(codes)).hasSize(11);
        assertThat(codeOf(RESTATEMENT)).isEqualTo(codeOf(MONTH_END));
        assertThat(codeOf(OUTBOX_SWEEP)).isNotEqualTo(codeOf(MONTH_END)).isNotEqualTo(codeOf(WORKER));
    }

    @Test
    @DisplayName("every table and queue reaches its function by environment, as a reference (no name written down)")
    void environment() {
        assertEnvironment(INGEST, "AGGREGATES_TABLE", "QUARANTINE_TABLE", "LEDGER_TABLE");
        // S7.1: the accounts function marks the Ledger's stale marks
        assertEnvironment(ACCOUNTS, "ACCOUNTS_TABLE", "LEDGER_TABLE");
        for (String handler : List.of(MONTH_END, RESTATEMENT, WORKER, MAINTENANCE, OUTBOX_SWEEP)) {
            assertEnvironment(handler, "LEDGER_TABLE", "ACCOUNTS_TABLE", "AGGREGATES_TABLE", "WORK_QUEUE_URL",
                    "EVENT_BUS_NAME");
            assertThat(variables(handler).get("WORK_BATCH_SIZE")).isEqualTo("25");
        }
        // docs/claims.md "Environment"; the account claim is a parameter (default sub)
        assertEnvironment(CLAIMS, "LEDGER_TABLE", "ACCOUNTS_TABLE", "AGGREGATES_TABLE", "EVENT_BUS_NAME");
        assertThat(variables(CLAIMS).get("ACCOUNT_CLAIM")).isEqualTo(Synth.PARAMETERS.jwtAccountClaim());
        // docs/notices.md "Running it": each handler gets what its wiring reads, nothing more
        assertEnvironment(PUBLISH_TERMS, "LEDGER_TABLE", "ACCOUNTS_TABLE", "EVENT_BUS_NAME");
        assertThat(variables(PUBLISH_TERMS)).containsOnlyKeys("LEDGER_TABLE", "ACCOUNTS_TABLE", "EVENT_BUS_NAME");
        // the dispatcher pages onto the notice queue; it neither sends nor renders nor claims
        assertEnvironment(NOTIFIER, "LEDGER_TABLE", "ACCOUNTS_TABLE", "NOTICE_QUEUE_URL");
        assertThat(variables(NOTIFIER)).containsOnlyKeys("LEDGER_TABLE", "ACCOUNTS_TABLE", "NOTICE_QUEUE_URL");
        assertEnvironment(NOTICE_WORKER, "LEDGER_TABLE", "ACCOUNTS_TABLE", "SES_CONFIGURATION_SET", "NOTICE_QUEUE_URL");
        assertThat(variables(NOTICE_WORKER).get("SES_FROM_ADDRESS")).isEqualTo(Synth.PARAMETERS.sesSender());
        assertThat(variables(NOTICE_WORKER).get("NOTICE_SERVICE_NAME"))
                .isEqualTo(Synth.PARAMETERS.noticeServiceName().orElseThrow());
        assertThat(variables(NOTICE_WORKER)).doesNotContainKey("SES_ENDPOINT");
        // S8.2, S8.3: the worker recomputes stale statements and files claims like the claims API
        assertEnvironment(NOTICE_WORKER, "AGGREGATES_TABLE", "EVENT_BUS_NAME");
        assertThat(variables(NOTICE_WORKER).get("NOTICE_CLAIM_URL_TEMPLATE"))
                .isEqualTo(Synth.PARAMETERS.claimUrlTemplate().orElseThrow());
        assertEnvironment(SES_EVENTS, "LEDGER_TABLE");
        assertThat(variables(SES_EVENTS)).containsOnlyKeys("LEDGER_TABLE");
    }

    @Test
    @DisplayName("least privilege per function: who may put events on the bus and who may send mail")
    void permissionsPerFunction() {
        // issue 31 item 1: what the claims code calls (IamEvidenceIT), never a Scan or a batch write
        assertThat(actions(CLAIMS)).contains("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
                "dynamodb:GetItem", "events:PutEvents").doesNotContain("ses:SendEmail", "dynamodb:Scan",
                "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem");
        assertThat(actions(PUBLISH_TERMS)).contains("dynamodb:PutItem", "dynamodb:Query", "events:PutEvents")
                .doesNotContain("ses:SendEmail");
        // S8.3: the worker files claims (a transaction on the Ledger) and announces VoucherIssued
        assertThat(actions(NOTICE_WORKER)).contains("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
                "ses:SendEmail", "events:PutEvents", "sqs:SendMessage",
                "sqs:ReceiveMessage", "sqs:DeleteMessage").doesNotContain("ses:GetAccount");
        // S9.3: the dispatcher reads the quota and queues work; it sends no mail and announces nothing
        assertThat(actions(NOTIFIER)).contains("ses:GetAccount", "sqs:SendMessage", "dynamodb:Query",
                "dynamodb:PutItem", "dynamodb:UpdateItem").doesNotContain("ses:SendEmail", "events:PutEvents");
        // S9.4: the publication reads the quota
        assertThat(actions(PUBLISH_TERMS)).contains("ses:GetAccount");
        assertThat(actions(SES_EVENTS)).contains("dynamodb:UpdateItem", "sqs:ReceiveMessage", "sqs:DeleteMessage")
                .doesNotContain("ses:SendEmail", "events:PutEvents");
        // S7.6: the outbox sweep queries the Ledger's outbox index, leases and marks (UpdateItem), puts events
        assertThat(actions(OUTBOX_SWEEP)).contains("dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem",
                "events:PutEvents").doesNotContain("ses:SendEmail");
        String sweepFailed = logicalId(queue("OutboxSweepFailed"));
        assertThat(statementsOf(OUTBOX_SWEEP)).as("it sends to its own on-failure queue only, not the work queue")
                .filteredOn(st -> asList(st.get("Action")).contains("sqs:SendMessage"))
                .isNotEmpty()
                .allSatisfy(st -> assertThat(asList(st.get("Resource")))
                        .allSatisfy(r -> assertThat(r.toString()).contains(sweepFailed)));
        // read-only where docs/claims.md and docs/notices.md only read: accounts and aggregates
        String accounts = logicalId(synth.stacks.data().accounts());
        String aggregates = logicalId(synth.stacks.data().aggregates());
        for (String handler : List.of(CLAIMS, NOTIFIER, NOTICE_WORKER, PUBLISH_TERMS)) {
            assertThat(actionsOn(handler, accounts)).as(handler + " on accounts")
                    .isNotEmpty().noneMatch(a -> a.matches("dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)"));
        }
        for (String handler : List.of(CLAIMS, NOTICE_WORKER)) {
            assertThat(actionsOn(handler, aggregates)).as(handler + " on aggregates").isNotEmpty()
                    .noneMatch(a -> a.matches("dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)"));
        }
        assertThat(actionsOn(SES_EVENTS, accounts)).isEmpty();
        assertThat(actionsOn(OUTBOX_SWEEP, accounts)).isEmpty();
        assertThat(actionsOn(OUTBOX_SWEEP, aggregates)).isEmpty();
        assertThat(actionsOn(NOTIFIER, aggregates)).isEmpty();
    }

    @Test
    @DisplayName("issue 15 item 7 least privilege: no function has data actions on a table it does not use; ingest touches only the Ledger's stale marks, terms and priming key")
    void tablesPerFunction() {
        String accounts = logicalId(synth.stacks.data().accounts());
        String aggregates = logicalId(synth.stacks.data().aggregates());
        String quarantine = logicalId(synth.stacks.data().quarantine());
        String ledger = logicalId(synth.stacks.data().ledger());
        Map<String, List<String>> uses = new java.util.LinkedHashMap<>();
        uses.put(INGEST, List.of(aggregates, quarantine, ledger));
        uses.put(ACCOUNTS, List.of(accounts, ledger));
        uses.put(MONTH_END, List.of(accounts, ledger));
        uses.put(RESTATEMENT, List.of(accounts, ledger));
        uses.put(WORKER, List.of(aggregates, accounts, ledger));
        uses.put(MAINTENANCE, List.of(ledger));
        uses.put(CLAIMS, List.of(aggregates, accounts, ledger));
        uses.put(PUBLISH_TERMS, List.of(accounts, ledger)); // S9.4: counts the registry when no count is kept
        uses.put(NOTIFIER, List.of(accounts, ledger));
        uses.put(NOTICE_WORKER, List.of(aggregates, accounts, ledger)); // S8: stale statements recomputed first
        uses.put(SES_EVENTS, List.of(ledger));
        uses.put(OUTBOX_SWEEP, List.of(ledger));
        List<String> tables = List.of(accounts, aggregates, quarantine, ledger);
        for (Map.Entry<String, List<String>> f : uses.entrySet()) {
            for (String table : tables) {
                List<String> actions = actionsOn(f.getKey(), table).stream().filter(a -> a.startsWith("dynamodb:"))
                        .toList();
                if (f.getValue().contains(table)) {
                    assertThat(actions).as(f.getKey() + " on " + table).isNotEmpty();
                } else {
                    assertThat(actions).as(f.getKey() + " on " + table).isEmpty();
                }
            }
        }
        assertThat(actionsOn(INGEST, ledger)).containsExactlyInAnyOrder("dynamodb:UpdateItem", "dynamodb:GetItem",
                "dynamodb:Query");
        assertThat(statementsOf(INGEST).stream().filter(st -> asList(st.get("Resource")).stream()
                .anyMatch(r -> r.toString().contains(ledger))).toList()).allSatisfy(st -> assertThat(st.get("Condition"))
                        .isEqualTo(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                                List.of("ST#*", "TERMS", "SHARDEND#*", "#sla-ledger#priming#no-such-item#")))));
        assertThat(actionsOn(INGEST, aggregates)).containsExactlyInAnyOrder("dynamodb:UpdateItem", "dynamodb:GetItem");
    }

    @Test
    @DisplayName("Issue 26.5 the ingest role may list the stream's shards and read an ended one back (the reconciliation of ended shards, docs/ingest.md \"Resharding\")")
    void ingestReadsTheStreamBack() {
        assertThat(actionsOn(INGEST, "RequestRecords")).contains("kinesis:ListShards", "kinesis:GetShardIterator",
                "kinesis:GetRecords");
    }

    @Test
    @DisplayName("issue 15 item 4 the Kinesis mapping retries a record at most 6 days (the stream keeps it 7), then reports it to the IngestFailed queue")
    void kinesisMappingGivesUpWhileTheStreamStillHoldsTheRecord() {
        app.hasResourceProperties("AWS::Lambda::EventSourceMapping", Match.objectLike(Map.of(
                "MaximumRecordAgeInSeconds", 6 * 24 * 3600,
                "MaximumRetryAttempts", -1,
                "BisectBatchOnFunctionError", true,
                "DestinationConfig", Match.objectLike(Map.of("OnFailure", Match.anyValue())))));
    }

    @Test
    @DisplayName("billing events (source billing) reach the accounts alias, with a DLQ; failed async invocations go to the same queue")
    void billingRule() {
        String failed = logicalId(queue("AccountsFailed"));
        app.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of("source", List.of("billing")),
                "EventBusName", Map.of("Ref", logicalId(synth.stacks.app().bus())),
                "Targets", List.of(ruleTarget(Map.of("Ref", aliasOf(ACCOUNTS)), failed, 185, 86400))));
        for (String handler : List.of(ACCOUNTS, MONTH_END, NOTIFIER)) {
            app.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of(
                    "FunctionName", Map.of("Ref", functionOf(handler)),
                    "DestinationConfig", Map.of("OnFailure", Map.of("Destination", Match.anyValue())))));
        }
    }

    @Test
    @DisplayName("HTTP API: every /admin/ route is IAM-authorized, every other route uses the JWT authorizer (issuer, audience from parameters)")
    void routesAreAuthorized() {
        String jwt = onlyId(app.findResources("AWS::ApiGatewayV2::Authorizer"));
        app.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "JWT",
                "IdentitySource", List.of("$request.header.Authorization"),
                "JwtConfiguration", Map.of("Issuer", Synth.PARAMETERS.jwtIssuer(),
                        "Audience", Synth.PARAMETERS.jwtAudience())));
        Map<String, Map<String, Object>> routes = app.findResources("AWS::ApiGatewayV2::Route");
        assertThat(routes).isNotEmpty();
        int admin = 0;
        for (Map<String, Object> route : routes.values()) {
            Map<String, Object> p = DataStackTest.properties(route);
            String path = p.get("RouteKey").toString().split(" ", 2)[1];
            if (path.startsWith("/admin/")) {
                admin++;
                assertThat(p.get("AuthorizationType")).as(path).isEqualTo("AWS_IAM");
            } else {
                assertThat(p.get("AuthorizationType")).as(path).isEqualTo("JWT");
                assertThat(p.get("AuthorizerId")).as(path).isEqualTo(Map.of("Ref", jwt));
            }
        }
        assertThat(admin).isEqualTo(4); // and GET /admin/forecast (S9.8)
        for (String adminRoute : List.of("PUT /admin/maintenance-windows", "DELETE /admin/maintenance-windows/{id}",
                "PUT /admin/terms")) {
            app.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "RouteKey", adminRoute, "AuthorizationType", "AWS_IAM"));
        }
        // docs/claims.md "Routes": the caller's account comes from the token, so each needs the JWT
        for (String customerRoute : List.of("POST /claims", "GET /claims/{claimId}", "GET /statements/{month}",
                "GET /vouchers")) {
            app.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "RouteKey", customerRoute, "AuthorizationType", "JWT", "AuthorizerId", Map.of("Ref", jwt)));
        }
        assertThat(routes).hasSize(10); // and S9.6/S9.7's two customer routes, S9.8's admin route (ForecastStackTest)
        app.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "$default",
                "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", Match.anyValue())),
                "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", 50)))));
    }

    @Test
    @DisplayName("least privilege: no IAM action with a wildcard, no statement on resource * (but ses:GetAccount, which has no resource)")
    void noWildcards() {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> policy : app.findResources("AWS::IAM::Policy").entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) DataStackTest.properties(policy.getValue()).get("PolicyDocument");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> statements = (List<Map<String, Object>>) doc.get("Statement");
            for (Map<String, Object> s : statements) {
                for (Object action : asList(s.get("Action"))) {
                    if (action.toString().contains("*")) {
                        found.add(policy.getKey() + " action " + action);
                    }
                }
                for (Object resource : asList(s.get("Resource"))) {
                    // SES defines no resource for GetAccount (S9.3 reads the quota with it)
                    if ("*".equals(resource) && !asList(s.get("Action")).equals(List.of("ses:GetAccount"))) {
                        found.add(policy.getKey() + " resource * for " + s.get("Action"));
                    }
                }
            }
        }
        assertThat(found).isEmpty();
        assertThat(app.findResources("AWS::IAM::Policy")).isNotEmpty();
    }

    @Test
    @DisplayName("every queue encrypted (SQS-managed) and refusing plain HTTP; the alarm topic too")
    void queuesEncrypted() {
        app.allResourcesProperties("AWS::SQS::Queue", Match.objectLike(Map.of("SqsManagedSseEnabled", true)));
        int queues = app.findResources("AWS::SQS::Queue").size();
        Map<String, Map<String, Object>> sslOnly = app.findResources("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
                        Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))))));
        assertThat(sslOnly).hasSize(queues);
        app.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    @DisplayName("alarms: every dead-letter queue, every function's errors and throttles, quarantine growth; all notify the topic")
    void alarms() {
        List<Queue> dlqs = synth.stacks.app().monitoring().deadLetterQueues();
        // 9, the billing queue's two (EventDefinitionsTest.billingOutbound), the notice queue's and its events'
        // (noticeQueue), the forecast's two (ForecastFailed, ForecastWorkDlq: ForecastStackTest)
        assertThat(dlqs).hasSize(15);
        for (Queue dlq : dlqs) {
            app.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Dimensions", List.of(Map.of("Name", "QueueName",
                            "Value", Map.of("Fn::GetAtt", List.of(logicalId(dlq), "QueueName")))),
                    "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold")));
        }
        for (String fn : app.findResources("AWS::Lambda::Function").keySet()) {
            for (String metric : List.of("Errors", "Throttles")) {
                app.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", metric,
                        "Namespace", "AWS/Lambda",
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", fn))))));
            }
        }
        app.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "SlaLedger/Ingest", "MetricName", "Quarantined", "Statistic", "Sum", "Threshold", 0)));
        String topic = logicalId(synth.stacks.app().monitoring().alarmTopic());
        app.allResourcesProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of(Map.of("Ref", topic)))));
    }

    @Test
    @DisplayName("S6.4 SES configuration set: TLS required, sends, bounces and complaints to the default bus, a rule keeps them in the feedback queue")
    void mail() {
        app.hasResourceProperties("AWS::SES::ConfigurationSet", Match.objectLike(Map.of(
                "DeliveryOptions", Map.of("TlsPolicy", "REQUIRE"),
                "ReputationOptions", Map.of("ReputationMetricsEnabled", true),
                "SuppressionOptions", Map.of("SuppressedReasons", List.of("BOUNCE", "COMPLAINT")))));
        app.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", Match.objectLike(Map.of(
                "EventDestination", Match.objectLike(Map.of(
                        "Enabled", true,
                        "MatchingEventTypes", Match.arrayWith(List.of("send", "bounce", "complaint")),
                        "EventBridgeDestination", Match.anyValue())))));
        app.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Match.objectLike(Map.of("source", List.of("aws.ses"),
                        "detail-type", Mail.FEEDBACK_DETAIL_TYPES)),
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Fn::GetAtt", List.of(
                        logicalId(synth.stacks.app().mail().feedbackQueue()), "Arn"))))))));
    }

    @Test
    @DisplayName("no account id, region or physical name is written into either template")
    void nothingHardCoded() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Template t : List.of(synth.data, app)) {
            String text = json.writeValueAsString(t.toJSON());
            assertThat(Pattern.compile("\\b\\d{12}\\b").matcher(text).find()).as("account id").isFalse();
            assertThat(Pattern.compile("\\b(us|eu|ap|sa|ca|me|af|il|mx|cn)-[a-z]+-\\d\\b").matcher(text).find())
                    .as("region").isFalse();
        }
        for (String type : List.of("AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::IAM::Role",
                "AWS::Logs::LogGroup")) {
            app.findResources(type).values().forEach(r -> assertThat(DataStackTest.properties(r))
                    .as(type).doesNotContainKeys("FunctionName", "QueueName", "TopicName", "RoleName", "LogGroupName", "Name"));
        }
        app.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("Name", Map.of("Ref", "AWS::StackName"),
                "ProtocolType", "HTTP", "Description", Match.anyValue()));
    }

    // --- helpers: find resources by what they are, not by generated ids -------------------------

    /** Every action the policies of the handler's role allow. */
    private List<String> actions(String handler) {
        return statementsOf(handler).stream().flatMap(s -> asList(s.get("Action")).stream()).map(Object::toString).toList();
    }

    /** The actions the handler's role has on one resource of the Data stack (its ARN imported by reference). */
    private List<String> actionsOn(String handler, String dataLogicalId) {
        return statementsOf(handler).stream()
                .filter(s -> asList(s.get("Resource")).stream().anyMatch(r -> r.toString().contains(dataLogicalId)))
                .flatMap(s -> asList(s.get("Action")).stream()).map(Object::toString).toList();
    }

    private List<Map<String, Object>> statementsOf(String handler) {
        return RoleStatements.of(app, functionOf(handler));
    }

    private void assertEnvironment(String handler, String... names) {
        Map<String, Object> vars = variables(handler);
        for (String name : names) {
            assertThat(vars).as(handler).containsKey(name);
            assertThat(vars.get(name)).as(handler + " " + name + " is a reference").isInstanceOf(Map.class);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> variables(String handler) {
        Map<String, Object> env = (Map<String, Object>) DataStackTest.properties(resource(functionOf(handler)))
                .get("Environment");
        return (Map<String, Object>) env.get("Variables");
    }

    @SuppressWarnings("unchecked")
    private Object codeOf(String handler) {
        return ((Map<String, Object>) DataStackTest.properties(resource(functionOf(handler))).get("Code")).get("S3Key");
    }

    private String functionOf(String handler) {
        return onlyId(app.findResources("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Handler", handler))))));
    }

    private String aliasOf(String handler) {
        Map<String, Map<String, Object>> aliases = app.findResources("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("FunctionName", Map.of("Ref", functionOf(handler)))))));
        return onlyId(aliases);
    }

    /** The properties of the (one) event source mapping that invokes {@code handler}'s alias. */
    private Map<String, Object> mappingOf(String handler) {
        return DataStackTest.properties(only(app.findResources("AWS::Lambda::EventSourceMapping", Match.objectLike(
                Map.of("Properties", Match.objectLike(Map.of("FunctionName", aliasFunctionName(handler))))))));
    }

    /** How CDK names an alias in a mapping: {@code <function name>:live}. */
    private Object aliasFunctionName(String handler) {
        return Map.of("Fn::Join", List.of("", List.of(
                Map.of("Fn::Select", List.of(6, Map.of("Fn::Split", List.of(":", Map.of("Ref", aliasOf(handler)))))),
                ":live")));
    }

    private Map<String, Object> resource(String logicalId) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) app.toJSON().get("Resources");
        return resources.get(logicalId);
    }

    private Queue queue(String id) {
        return synth.stacks.app().monitoring().deadLetterQueues().stream()
                .filter(q -> q.getNode().getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead-letter queue " + id));
    }

    private static String logicalId(software.constructs.IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return Stack.of(construct).resolve(element.getLogicalId()).toString();
    }

    private static <V> Map<String, Object> only(Map<String, V> found) {
        assertThat(found).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) found.values().iterator().next();
        return value;
    }

    private static String onlyId(Map<String, ?> found) {
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : List.of(value);
    }

    @Test
    @DisplayName("S9.2 the notice worker reads the notice queue: batches of 5, ReportBatchItemFailures, at most 10 at once, visibility >= 6 x its timeout, a malformed message in NoticeWorkDlq after 3 receives (alarmed)")
    void noticeQueue() {
        Map<String, Object> props = mappingOf(NOTICE_WORKER);
        assertThat(props.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(props.get("BatchSize")).isEqualTo(5);
        assertThat(props.get("ScalingConfig")).isEqualTo(Map.of("MaximumConcurrency", 10));
        @SuppressWarnings("unchecked")
        String queueId = ((List<String>) ((Map<String, Object>) props.get("EventSourceArn")).get("Fn::GetAtt")).get(0);
        assertThat(queueId).startsWith("NoticeWork");
        Map<String, Object> queue = DataStackTest.properties(resource(queueId));
        int timeout = (Integer) DataStackTest.properties(resource(functionOf(NOTICE_WORKER))).get("Timeout");
        assertThat(timeout).isEqualTo(300);
        assertThat((Integer) queue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * timeout);
        @SuppressWarnings("unchecked")
        Map<String, Object> redrive = (Map<String, Object>) queue.get("RedrivePolicy");
        assertThat(redrive.get("maxReceiveCount")).isEqualTo(3);
        @SuppressWarnings("unchecked")
        String dlq = ((List<String>) ((Map<String, Object>) redrive.get("deadLetterTargetArn")).get("Fn::GetAtt")).get(0);
        assertThat(dlq).startsWith("NoticeWorkDlq");
        app.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(dlq, "QueueName")))),
                "Threshold", 0)));
        assertThat(variables(NOTIFIER).get("NOTICE_QUEUE_URL")).isEqualTo(Map.of("Ref", queueId));
        assertThat(variables(NOTICE_WORKER).get("NOTICE_QUEUE_URL")).isEqualTo(Map.of("Ref", queueId));
        assertThat(DataStackTest.properties(resource(functionOf(NOTIFIER))).get("Timeout")).isEqualTo(900);
        app.hasOutput("NoticeQueueUrl", Match.objectLike(Map.of("Value", Map.of("Ref", queueId))));
    }

    @Test
    @DisplayName("S8.2 S6.2 StatementCompensable and the billing events that make a notice owed (SubscriptionPurchased, ContactChanged) reach the notice queue, with retries and a dead-letter queue")
    void noticeEventsReachTheNoticeQueue() {
        Object queueArn = mappingOf(NOTICE_WORKER).get("EventSourceArn");
        for (Map<String, Object> pattern : List.<Map<String, Object>>of(
                Map.of("source", List.of("sla-ledger"), "detail-type", List.of("StatementCompensable")),
                Map.of("source", List.of("billing"), "detail-type", List.of("SubscriptionPurchased", "ContactChanged")))) {
            app.hasResourceProperties("AWS::Events::Rule", Map.of(
                    "EventPattern", pattern,
                    "EventBusName", Map.of("Ref", logicalId(synth.stacks.app().bus())),
                    "Targets", List.of(ruleTarget(queueArn, logicalId(queue("NoticeEventsUndelivered")), 185, 86400))));
        }
    }

    @Test
    @DisplayName("S9.2 alarms on notices given up on, on malformed notice work and on units listed again from their rescue records")
    void noticeAlarms() {
        for (String metric : List.of("NoticeAccountsGaveUp", "MalformedNoticeWork", "NoticeWorkRescued")) {
            app.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "SlaLedger/Notices",
                    "MetricName", metric,
                    "Threshold", 0,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "AlarmActions", List.of(Map.of("Ref", logicalId(synth.stacks.app().monitoring().alarmTopic()))))));
        }
    }
}
