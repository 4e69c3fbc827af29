package dev.slaledger.infrastructure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Queues and alarms. Every queue is encrypted (SQS-managed keys: the services that write to
 * them, EventBridge and Scheduler included, need no key policy) and refuses plain HTTP. Every
 * dead-letter queue gets an alarm as soon as one message is in it; every function an alarm on
 * errors and one on throttles. All alarms notify one SNS topic (subscribe to it after deploying).
 */
public final class Monitoring extends Construct {
    private static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    private final Topic alarmTopic;
    private final List<Queue> deadLetterQueues = new ArrayList<>();
    private final List<Alarm> alarms = new ArrayList<>();

    public Monitoring(Construct scope, String id) {
        super(scope, id);
        alarmTopic = Topic.Builder.create(this, "Alarms")
                .displayName("SLA Ledger alarms")
                .enforceSsl(true)
                .build();
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    /** The dead-letter queues made so far, in creation order (each one alarmed). */
    public List<Queue> deadLetterQueues() {
        return List.copyOf(deadLetterQueues);
    }

    /**
     * A dead-letter queue (or on-failure destination): kept 14 days (the SQS maximum), alarmed
     * as soon as a message is visible in it.
     */
    public Queue deadLetterQueue(Construct scope, String id, String whatLandsHere) {
        Queue queue = Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(DEAD_LETTER_RETENTION)
                .build();
        deadLetterQueues.add(queue);
        Nag.acknowledge(queue, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue or on-failure"
                + " destination of " + whatLandsHere.toLowerCase(Locale.ROOT) + "; a queue behind it would only"
                + " move the problem. It keeps messages 14 days and alarms as soon as one arrives.");
        alarm(scope, id + "NotEmpty", queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .statistic("Maximum").period(Duration.minutes(1)).build()),
                whatLandsHere + " (" + id + ") holds messages: inspect and redrive them");
        return queue;
    }

    /** A work queue whose messages go to a new alarmed dead-letter queue after {@code maxReceiveCount} receives. */
    public Queue workQueue(Construct scope, String id, Duration visibilityTimeout, int maxReceiveCount,
            String whatLandsInItsDeadLetterQueue) {
        Queue dlq = deadLetterQueue(scope, id + "Dlq", whatLandsInItsDeadLetterQueue);
        return Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(maxReceiveCount).build())
                .build();
    }

    /** Alarms on any error and any throttle of the function (all its versions and aliases). */
    public void functionAlarms(Construct scope, String id, IFunction function) {
        MetricOptions sum5 = MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build();
        alarm(scope, id + "Errors", function.metricErrors(sum5), id + " function invocations failed");
        alarm(scope, id + "Throttles", function.metricThrottles(sum5), id + " function invocations were throttled");
    }

    /** Alarms when the sum of a count metric over 5 minutes is above zero. */
    public Alarm countAboveZero(Construct scope, String id, String namespace, String metricName, String description) {
        Metric metric = Metric.Builder.create().namespace(namespace).metricName(metricName)
                .statistic("Sum").period(Duration.minutes(5)).build();
        return alarm(scope, id, metric, description);
    }

    /** Alarms when the sum of a count metric over {@code period} reaches {@code threshold}. */
    public Alarm countAtLeast(Construct scope, String id, String namespace, String metricName, int threshold,
            Duration period, String description) {
        Metric metric = Metric.Builder.create().namespace(namespace).metricName(metricName)
                .statistic("Sum").period(period).build();
        return alarm(scope, id, metric, threshold - 1, description);
    }

    /** The alarms made so far (each one's description ends with its runbook section). */
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /**
     * Where an alarm's runbook is: its section of docs/operations.md, whose heading is the alarm's id
     * ({@code OperationsRunbookTest} fails for an alarm without one).
     */
    public static String runbook(String alarmId) {
        return "Runbook: " + RUNBOOK + "#" + alarmId.toLowerCase(Locale.ROOT);
    }

    static final String RUNBOOK = "docs/operations.md";

    private Alarm alarm(Construct scope, String id, IMetric metric, String description) {
        return alarm(scope, id, metric, 0, description);
    }

    private Alarm alarm(Construct scope, String id, IMetric metric, double above, String description) {
        String runbook = runbook(id);
        Alarm alarm = Alarm.Builder.create(scope, id)
                .metric(metric)
                .threshold(above)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description.contains(runbook) ? description : description + ". " + runbook)
                .build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarms.add(alarm);
        return alarm;
    }
}
