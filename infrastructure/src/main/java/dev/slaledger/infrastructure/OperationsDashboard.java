package dev.slaledger.infrastructure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The stage's CloudWatch dashboard {@code SlaLedger-<stage>} (issue 31 item 4; docs/operations.md
 * says where each alarm looks on it): ingest, month-end progress, claims, notices, the outbox, and
 * the cost drivers (DynamoDB read and write units per table). One row per concern, each graph on
 * metrics the deployment emits today; what has no metric yet is said in a text widget, not drawn
 * as an empty graph.
 */
public final class OperationsDashboard extends Construct {
    /** The rows' titles, in order (docs/operations.md names them). */
    static final List<String> ROWS = List.of("Ingest", "Month-end progress", "Claims API", "Notices", "Outbox",
            "Cost drivers");

    /** What the dashboard draws from. */
    public record Sources(String stage, Stream requestStream, IFunction ingest, Queue workQueue, IQueue workDlq,
            IFunction monthEnd, IFunction statementWorker, int accountsPerWorkMessage, HttpApi api, IFunction claims,
            IFunction notifier, IFunction outboxSweep, List<Table> tables) {
    }

    private final Dashboard dashboard;

    public OperationsDashboard(Construct scope, String id, Sources s) {
        super(scope, id);
        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("SlaLedger-" + s.stage())
                .defaultInterval(Duration.hours(24))
                .build();
        Duration minute = Duration.minutes(1);
        Duration five = Duration.minutes(5);

        // --- ingest
        dashboard.addWidgets(header("Ingest", "Records in and quarantined per minute, the mapping's iterator age (per"
                + " shard when the stream's shard-level IteratorAgeMilliseconds metric is enabled: docs/operations.md"
                + " \"Iterator age per shard\"), and DynamoDB writes per aggregate key of a window (1.0 is the floor)."));
        dashboard.addWidgets(
                graph("Records per minute", List.of(
                        ingestMetric("RecordsIn", minute), ingestMetric("Quarantined", minute),
                        ingestMetric("Failed", minute), ingestMetric("Duplicates", minute))),
                graph("Iterator age (ms)", List.of(
                        s.ingest().metric("IteratorAge", MetricOptions.builder().statistic("Maximum").period(minute)
                                .label("ingest mapping, oldest shard").build()),
                        MathExpression.Builder.create()
                                .expression("SEARCH('{AWS/Kinesis,StreamName,ShardId} MetricName=\"IteratorAgeMilliseconds\" "
                                        + "StreamName=\"" + s.requestStream().getStreamName() + "\"', 'Maximum', 60)")
                                .label("per shard")
                                .period(minute)
                                .build())),
                graph("Writes per aggregate key", List.of(MathExpression.Builder.create()
                        .expression("writes / IF(keys > 0, keys, 1)")
                        .usingMetrics(Map.of("writes", ingestMetric("AggregateWrites", five),
                                "keys", ingestMetric("Keys", five)))
                        .label("AggregateWrites / Keys")
                        .period(five)
                        .build())));

        // --- month-end
        dashboard.addWidgets(header("Month-end progress", "Accounts fanned out = work messages sent x "
                + s.accountsPerWorkMessage() + "; accounts computed = work messages the worker finished x the same;"
                + " the backlog and the dead-letter depth; the worker's invocations, errors and throttles."));
        dashboard.addWidgets(
                graph("Accounts fanned out / computed", List.of(
                        accounts("sent", s.workQueue().metricNumberOfMessagesSent(sum(five)), s.accountsPerWorkMessage(),
                                "accounts fanned out"),
                        accounts("done", s.workQueue().metricNumberOfMessagesDeleted(sum(five)), s.accountsPerWorkMessage(),
                                "accounts computed"))),
                graph("Work backlog and dead letters", List.of(
                        s.workQueue().metricApproximateNumberOfMessagesVisible(max(minute)),
                        s.workQueue().metricApproximateNumberOfMessagesNotVisible(max(minute)),
                        s.workQueue().metricApproximateAgeOfOldestMessage(max(minute)),
                        s.workDlq().metricApproximateNumberOfMessagesVisible(MetricOptions.builder().statistic("Maximum")
                                .period(minute).label("StatementWorkDlq depth").build()))),
                graph("Month-end and worker", List.of(
                        s.monthEnd().metricInvocations(sum(five)), s.monthEnd().metricErrors(sum(five)),
                        s.statementWorker().metricInvocations(sum(five)), s.statementWorker().metricErrors(sum(five)),
                        s.statementWorker().metricThrottles(sum(five)),
                        statementMetric("StatementFailures", five))));

        // --- claims
        Map<String, String> stage = Map.of("ApiId", s.api().getApiId(), "Stage", "$default");
        dashboard.addWidgets(header("Claims API", "The HTTP API's $default stage: 4xx and 5xx per 5 minutes,"
                + " p99 latency; the claims function's errors and throttles."));
        dashboard.addWidgets(
                graph("4xx / 5xx", List.of(api("4xx", stage, "Sum", five), api("5xx", stage, "Sum", five),
                        api("Count", stage, "Sum", five))),
                graph("Latency p99 (ms)", List.of(api("Latency", stage, "p99", five),
                        api("IntegrationLatency", stage, "p99", five))),
                graph("Claims function", List.of(s.claims().metricErrors(sum(five)), s.claims().metricThrottles(sum(five)),
                        s.claims().metricDuration(MetricOptions.builder().statistic("p99").period(five).build()))));

        // --- notices
        dashboard.addWidgets(header("Notices", "SES sends, bounces and complaints of the account (AWS/SES); sends the"
                + " notifier's role was refused (SesSendRefused); the notifier's errors and throttles. The SES quota:"
                + " `aws sesv2 get-account` (Max24HourSend, MaxSendRate); sent per 24 h must stay under it."
                + " Deferred and throttled notices are in the notifier's run line (docs/operations.md \"Notices\")."));
        dashboard.addWidgets(
                graph("SES (account)", List.of(ses("Send"), ses("Delivery"), ses("Bounce"), ses("Complaint"))),
                graph("Refused sends, notifier", List.of(
                        Metric.Builder.create().namespace(Mail.REFUSED_NAMESPACE).metricName(Mail.REFUSED_METRIC)
                                .statistic("Sum").period(Duration.hours(1)).build(),
                        s.notifier().metricErrors(sum(Duration.hours(1))),
                        s.notifier().metricThrottles(sum(Duration.hours(1))))));

        // --- outbox
        dashboard.addWidgets(header("Outbox", "The outbox sweep (every 5 minutes) sends what is owed; its errors mean"
                + " owed events are not reaching the bus. Pending age: docs/operations.md \"OutboxSweepErrors\" (the"
                + " Ledger's outbox index, oldest pendingSince)."));
        dashboard.addWidgets(graph("Outbox sweep", List.of(s.outboxSweep().metricInvocations(sum(five)),
                s.outboxSweep().metricErrors(sum(five)),
                s.outboxSweep().metricDuration(MetricOptions.builder().statistic("Maximum").period(five).build()))));

        // --- cost
        dashboard.addWidgets(header("Cost drivers", "DynamoDB read and write request units per table (on-demand: the"
                + " bill), per 5 minutes."));
        List<IMetric> reads = new ArrayList<>();
        List<IMetric> writes = new ArrayList<>();
        for (Table t : s.tables()) {
            reads.add(t.metricConsumedReadCapacityUnits(MetricOptions.builder().statistic("Sum").period(five)
                    .label(t.getNode().getId()).build()));
            writes.add(t.metricConsumedWriteCapacityUnits(MetricOptions.builder().statistic("Sum").period(five)
                    .label(t.getNode().getId()).build()));
        }
        dashboard.addWidgets(graph("Read units", reads), graph("Write units", writes));
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    private static IWidget header(String title, String text) {
        return TextWidget.Builder.create().markdown("## " + title + "\n" + text).width(24).height(2).build();
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(new ArrayList<>(metrics)).width(8).height(6).build();
    }

    @SuppressWarnings("unused")
    private static GraphWidget graph(String title, List<? extends IMetric> metrics, double annotation, String label) {
        return GraphWidget.Builder.create().title(title).left(new ArrayList<>(metrics)).width(8).height(6)
                .leftAnnotations(List.of(HorizontalAnnotation.builder().value(annotation).label(label).build())).build();
    }

    private static MetricOptions sum(Duration period) {
        return MetricOptions.builder().statistic("Sum").period(period).build();
    }

    private static MetricOptions max(Duration period) {
        return MetricOptions.builder().statistic("Maximum").period(period).build();
    }

    private static Metric ingestMetric(String name, Duration period) {
        return Metric.Builder.create().namespace("SlaLedger/Ingest").metricName(name).statistic("Sum").period(period)
                .build();
    }

    private static Metric statementMetric(String name, Duration period) {
        return Metric.Builder.create().namespace("SlaLedger/Statements").metricName(name).statistic("Sum")
                .period(period).build();
    }

    private static IMetric accounts(String id, IMetric messages, int perMessage, String label) {
        return MathExpression.Builder.create().expression(id + " * " + perMessage).usingMetrics(Map.of(id, messages))
                .label(label).period(Duration.minutes(5)).build();
    }

    private static Metric api(String name, Map<String, String> dimensions, String statistic, Duration period) {
        return Metric.Builder.create().namespace("AWS/ApiGateway").metricName(name).dimensionsMap(dimensions)
                .statistic(statistic).period(period).build();
    }

    private static Metric ses(String name) {
        return Metric.Builder.create().namespace("AWS/SES").metricName(name).statistic("Sum")
                .period(Duration.hours(1)).build();
    }
}
