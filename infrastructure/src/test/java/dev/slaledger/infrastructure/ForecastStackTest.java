package dev.slaledger.infrastructure;

import static dev.slaledger.infrastructure.Handlers.CLAIMS;
import static dev.slaledger.infrastructure.Handlers.FORECAST;
import static dev.slaledger.infrastructure.Handlers.FORECAST_API;
import static dev.slaledger.infrastructure.Handlers.FORECAST_WORKER;
import static dev.slaledger.infrastructure.Handlers.MAINTENANCE;
import static dev.slaledger.infrastructure.Handlers.MONTH_END;
import static dev.slaledger.infrastructure.Handlers.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What issue 30 deploys: the evidence and revisions routes (S9.6, S9.7) behind the JWT authorizer on
 * the claims function, the daily forecast (S9.8) fanned out through its own queue with its three
 * alarms, and its admin route behind IAM.
 */
class ForecastStackTest {

    private final Synth synth = Synth.get();
    private final Template app = synth.app;

    @Test
    @DisplayName("S9.6/S9.7 the intervals and revisions routes: GET, JWT, on the claims function")
    void evidenceRoutes() {
        String claims = onlyFunction(CLAIMS);
        for (String route : List.of("GET /statements/{month}/intervals", "GET /statements/{month}/revisions")) {
            Map<String, Object> p = DataStackTest.properties(only(app.findResources("AWS::ApiGatewayV2::Route",
                    Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("RouteKey", route)))))));
            assertThat(p.get("AuthorizationType")).as(route).isEqualTo("JWT");
            assertThat(integrationTarget(p)).as(route).contains(aliasOf(claims));
        }
    }

    @Test
    @DisplayName("S9.8 the forecast schedule: daily cron(0 2 * * ? *) in the terms' zone, input {}, retries, ForecastFailed")
    void schedule() {
        List<String> fanOut = functions(FORECAST, MONTH_END);
        assertThat(fanOut).hasSize(1);
        Map<String, Object> schedule = DataStackTest.properties(only(app.findResources("AWS::Scheduler::Schedule",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of(
                        "ScheduleExpression", "cron(0 2 * * ? *)")))))));
        assertThat(schedule.get("ScheduleExpressionTimezone")).isEqualTo("Asia/Shanghai");
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) schedule.get("Target");
        assertThat(target.get("Input")).isEqualTo("{}");
        assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 20,
                "MaximumEventAgeInSeconds", 21600));
        assertThat(target.get("Arn").toString()).contains(aliasOf(fanOut.get(0)));
    }

    @Test
    @DisplayName("S9.8 fanned out like the month-end: the fan-out (month-end package) sends to its own queue, the worker (statement worker's package) takes it with partial batch responses")
    void fanOut() {
        String fanOut = functions(FORECAST, MONTH_END).get(0);
        String worker = functions(FORECAST_WORKER, WORKER).get(0);
        assertThat(code(fanOut)).isEqualTo(code(onlyFunction(MONTH_END)));
        assertThat(code(worker)).isEqualTo(code(onlyFunction(WORKER)));
        @SuppressWarnings("unchecked")
        Map<String, Object> fanOutEnv = (Map<String, Object>) ((Map<String, Object>) DataStackTest.properties(
                resource(fanOut)).get("Environment")).get("Variables");
        assertThat(fanOutEnv).containsKeys("WORK_QUEUE_URL", "ACCOUNTS_TABLE", "LEDGER_TABLE", "WORK_BATCH_SIZE");
        assertThat(fanOutEnv.get("WORK_QUEUE_URL").toString()).contains("ForecastWork");
        String alias = aliasOf(worker);
        List<Map<String, Object>> mappings = app.findResources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(DataStackTest::properties).filter(p -> p.get("FunctionName").toString().contains(alias)).toList();
        assertThat(mappings).hasSize(1);
        Map<String, Object> mapping = mappings.get(0);
        assertThat(mapping.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(mapping.get("EventSourceArn").toString()).contains("ForecastWork");
        List<Map<String, Object>> queues = app.findResources("AWS::SQS::Queue").entrySet().stream()
                .filter(e -> e.getKey().startsWith("ForecastWork") && !e.getKey().startsWith("ForecastWorkDlq"))
                .map(e -> DataStackTest.properties(e.getValue())).toList();
        assertThat(queues).hasSize(1);
        assertThat(queues.get(0).get("VisibilityTimeout")).isEqualTo(720);
        assertThat(queues.get(0).get("RedrivePolicy").toString()).contains("maxReceiveCount=5", "ForecastWorkDlq");
    }

    @Test
    @DisplayName("S9.8 least privilege on the Ledger: the worker only its forecasts and what it reads, by partition key")
    @SuppressWarnings("unchecked")
    void leastPrivilege() {
        String worker = functions(FORECAST_WORKER, WORKER).get(0);
        List<Map<String, Object>> ledger = statementsWithCondition(worker).stream()
                .filter(st -> st.get("Condition").toString().contains("FC#*")).toList();
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).get("Condition").toString()).contains("FC#*", "FCRISK#*", "TERMS", "NOTICE#*", "MW");
        assertThat((List<Object>) ledger.get(0).get("Action")).containsExactlyInAnyOrder("dynamodb:GetItem",
                "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query");
        List<Map<String, Object>> api = statementsWithCondition(onlyFunction(FORECAST_API));
        assertThat(api).hasSize(1);
        assertThat((List<Object>) api.get(0).get("Action")).containsExactlyInAnyOrder("dynamodb:GetItem",
                "dynamodb:Query");
        assertThat(api.get(0).get("Condition").toString()).contains("FCRISK#*").doesNotContain("FC#*,");
        assertThat(actionsOf(worker)).contains("events:PutEvents").doesNotContain("sqs:SendMessage");
    }

    @Test
    @DisplayName("S9.8 GET /admin/forecast: IAM, on the DynamoDB-only package")
    void adminRoute() {
        Map<String, Object> route = DataStackTest.properties(only(app.findResources("AWS::ApiGatewayV2::Route",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("RouteKey", "GET /admin/forecast")))))));
        assertThat(route.get("AuthorizationType")).isEqualTo("AWS_IAM");
        String fn = onlyFunction(FORECAST_API);
        assertThat(integrationTarget(route)).contains(aliasOf(fn));
        assertThat(code(fn)).isEqualTo(code(onlyFunction(MAINTENANCE)));
    }

    @Test
    @DisplayName("S9.8 alarms: accounts compensable, accounts at risk, forecast failures (the worker's metrics), notifying the topic")
    void alarms() {
        for (String metric : List.of("AccountsCompensable", "AccountsAtRisk", "ForecastFailures")) {
            app.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "SlaLedger/Forecast", "MetricName", metric, "Statistic", "Sum",
                    "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                    "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("MonitoringAlarms.*"))))));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private List<String> functions(String handler, String sameCodeAs) {
        Object code = code(onlyFunction(sameCodeAs));
        return app.findResources("AWS::Lambda::Function", Match.objectLike(Map.of("Properties",
                Match.objectLike(Map.of("Handler", handler))))).keySet().stream()
                .filter(id -> code(id).equals(code)).toList();
    }

    private String onlyFunction(String handler) {
        Map<String, Map<String, Object>> found = app.findResources("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Handler", handler)))));
        assertThat(found).as(handler).hasSize(1);
        return found.keySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    private Object code(String functionId) {
        return ((Map<String, Object>) DataStackTest.properties(resource(functionId)).get("Code")).get("S3Key");
    }

    private String aliasOf(String functionId) {
        return app.findResources("AWS::Lambda::Alias", Match.objectLike(Map.of("Properties", Match.objectLike(
                Map.of("FunctionName", Map.of("Ref", functionId)))))).keySet().iterator().next();
    }

    /** The integration URI of an HTTP API route: it names the alias (live) of the function it invokes. */
    private String integrationTarget(Map<String, Object> route) {
        String integration = route.get("Target").toString().replaceAll(".*Ref=([A-Za-z0-9]+).*", "$1");
        return DataStackTest.properties(resource(integration)).get("IntegrationUri").toString();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> statementsWithCondition(String functionId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : RoleStatements.of(app, functionId)) {
            if (s.containsKey("Condition")) {
                out.add(s);
            }
        }
        return out;
    }

    private List<String> actionsOf(String functionId) {
        List<String> actions = new ArrayList<>();
        for (Map<String, Object> s : RoleStatements.of(app, functionId)) {
            Object a = s.get("Action");
            if (a instanceof List<?> list) {
                list.forEach(x -> actions.add(x.toString()));
            } else {
                actions.add(a.toString());
            }
        }
        return actions;
    }

    private Map<String, Object> resource(String logicalId) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) app.toJSON().get("Resources");
        return resources.get(logicalId);
    }

    private static Map<String, Object> only(Map<String, ?> found) {
        assertThat(found).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) found.values().iterator().next();
        return value;
    }
}
