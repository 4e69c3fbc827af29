package dev.slaledger.infrastructure;

import dev.slaledger.lambda.EnvNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.events.Archive;
import software.amazon.awscdk.services.events.BaseArchiveProps;
import software.amazon.awscdk.services.events.CfnArchive;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.IDestination;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The application stack: the functions and everything that invokes them or that they talk to,
 * none of it holding data that a redeploy could lose. One method per function (docs/architecture.md, "Where a new piece goes");
 * adding a function is one more such method.
 *
 * <p>Memory sizes are provisional: no function has been measured on Lambda yet (issue 11 tunes
 * them). They start at 1024 MB (about 0.6 vCPU) where a batch is CPU-bound on JSON and
 * arithmetic (ingest, statement worker) and 512 MB where a call is one or two DynamoDB requests.
 */
public final class AppStack extends Stack {
    /**
     * The statement work queue and its mapping (deployment.json, FunctionSettings): work messages the
     * worker takes per invocation, accounts per message, the worker's timeout.
     */
    static final FunctionSettings.Queue WORK_QUEUE = FunctionSettings.queue("statement-work");
    static final int WORKER_BATCH = WORK_QUEUE.batchSize();
    static final int WORK_BATCH_SIZE = WORK_QUEUE.accountsPerMessage().orElseThrow();
    static final Duration WORKER_TIMEOUT = FunctionSettings.function("statement-worker").timeout();
    /**
     * The key the functions' SnapStart priming reads and never finds (lambda-support
     * {@code MissingItemRead.KEY}); the ingest role may read it on the Ledger.
     */
    static final String PRIMING_PROBE_KEY = "#sla-ledger#priming#no-such-item#";
    /**
     * The outbox sweep (S7.6): every 5 minutes (its schedule: OutboxSweepSchedule in the shared
     * schedules.json), and a minute more than its budget (MonthEndWiring.SWEEP_BUDGET) to run.
     */
    static final Duration OUTBOX_SWEEP_TIMEOUT = FunctionSettings.function("outbox-sweep").timeout();
    /** How long StatementCompensable and VoucherIssued wait in the billing queue for billing to read them. */
    static final Duration BILLING_OUTBOUND_RETENTION = Duration.days(14);
    /** SES events per invocation from the feedback queue (deployment.json). */
    static final int SES_EVENTS_BATCH = FunctionSettings.queue("mail-feedback").batchSize();
    /** The forecast worker's timeout (its queue's visibility is 6 x this). */
    static final Duration FORECAST_WORKER_TIMEOUT = Duration.minutes(2);
    /**
     * The notice queue and its worker (docs/notices.md; deployment.json, FunctionSettings): work
     * messages per invocation (of 25 accounts each, the dispatcher's unit), the worker's timeout (it
     * stops starting accounts one minute before it, so one send with the SES client's retries fits),
     * a malformed message's receives before its DLQ, and at most this many workers at once. The send
     * rate does not depend on the concurrency (every send takes a slot of the shared schedule in the
     * Ledger, docs/notices.md "The send rate"); it bounds what an eligibility opening day takes from
     * the account's concurrency (issue 27: sized with the rehearsal, docs/benchmarks.md).
     */
    static final FunctionSettings.Queue NOTICE_QUEUE = FunctionSettings.queue("notice-work");
    static final int NOTICE_WORKER_BATCH = NOTICE_QUEUE.batchSize();
    static final Duration NOTICE_WORKER_TIMEOUT = FunctionSettings.function("notice-worker").timeout();
    static final int NOTICE_MAX_RECEIVES = NOTICE_QUEUE.maxReceiveCount();
    static final int NOTICE_WORKER_MAX_CONCURRENCY = NOTICE_QUEUE.maxConcurrency();
    /** The dispatcher pages for at most this long (it stops 30 s before; the next hourly run continues). */
    static final Duration NOTIFIER_TIMEOUT = FunctionSettings.function("notifier").timeout();

    /** What the application stack is built from. */
    public record Props(StackProps stack, Parameters parameters, DataStack data, FunctionPackages packages) {
    }

    private final Parameters parameters;
    private final DataStack data;
    private final FunctionPackages packages;
    private final Monitoring monitoring;
    private final EventBus bus;
    private final SlaLedgerApi api;
    private final Mail mail;
    private final Queue workQueue;
    private final Map<String, ScheduledTarget> scheduledTargets = new LinkedHashMap<>();
    /** Every function by id, in creation order (the dashboard reads some). */
    private final Map<String, JavaFunction> functions = new LinkedHashMap<>();
    private final Queue noticeQueue;

    public AppStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        this.parameters = props.parameters();
        this.data = props.data();
        this.packages = props.packages();

        monitoring = new Monitoring(this, "Monitoring");
        bus = EventBus.Builder.create(this, "Events")
                .description("Billing events in (source billing); the events SLA Ledger emits (source sla-ledger)")
                .build();
        Archive archive = bus.archive("BillingArchive", BaseArchiveProps.builder()
                .description("Billing events, kept for replay (the accounts function is idempotent)")
                .eventPattern(EventDefinitions.rule("BillingEvents").eventPattern())
                .retention(Duration.days(90))
                .build());
        // aws-cdk-lib 2.263.0 writes "KmsKeyIdentifier": "" on an archive without a key (a CDK defect
        // with an open fix), which a deploy can fail on: the property goes; the archive then uses an
        // AWS-owned key, as intended (issue 31 item 8)
        ((CfnArchive) archive.getNode().getDefaultChild()).addPropertyDeletionOverride("KmsKeyIdentifier");
        api = new SlaLedgerApi(this, "Api", parameters);
        mail = new Mail(this, "Mail", parameters, monitoring);
        // visibility >= 6 x the worker timeout (AWS guidance for SQS event sources), so a message is
        // not redelivered while a slow batch is still running, even with retries of throttled invokes;
        // after maxReceiveCount receives a message (a malformed one, or one whose account keeps failing)
        // goes to the alarmed dead-letter queue (deployment.json)
        workQueue = monitoring.workQueue(this, "StatementWork", WORK_QUEUE.visibilityTimeout(),
                WORK_QUEUE.maxReceiveCount(), "Month-end work messages the statement worker failed "
                        + WORK_QUEUE.maxReceiveCount() + " times");
        noticeQueue = monitoring.workQueue(this, "NoticeWork", NOTICE_QUEUE.visibilityTimeout(), NOTICE_MAX_RECEIVES,
                "Notice work messages the notice worker could not take " + NOTICE_MAX_RECEIVES
                        + " times (malformed, or their writes kept failing)");

        ingest();
        accounts();
        monthEnd();
        restatement();
        outboxSweep();
        statementWorker();
        maintenanceWindows();
        forecast();
        forecastApi();
        claims();
        publishTerms();
        notifier();
        noticeWorker();
        noticeEvents();
        sesEvents();
        schedules();
        quarantineAlarms();
        Queue billingOutbound = billingOutbound();

        dashboard();

        output("ApiUrl", api.url(), "Base URL of the HTTP API");
        output("EventBusName", bus.getEventBusName(), "Bus the billing system puts events on (source billing)");
        output("EventBusArn", bus.getEventBusArn(), null);
        output("MailConfigurationSet", mail.configurationSetName(), "SES configuration set of notice mail");
        output("MailFeedbackQueueUrl", mail.feedbackQueue().getQueueUrl(), "Bounces and complaints of notices");
        output("BillingOutboundQueueUrl", billingOutbound.getQueueUrl(),
                "Queue of StatementCompensable and VoucherIssued events for the billing system");
        output("AlarmTopicArn", monitoring.alarmTopic().getTopicArn(), "Subscribe to receive the alarms");
        output("NoticeQueueUrl", noticeQueue.getQueueUrl(), "Notice work (dispatcher, workers, events)");
    }

    /** Kinesis D1 records to exactly-once aggregates (docs/ingest.md). */
    private void ingest() {
        Queue failed = monitoring.deadLetterQueue(this, "IngestFailed",
                "Kinesis batches ingest gave up on (shard and sequence range; re-ingest them with ReingestCommand"
                        + " while the stream holds them, docs/ingest.md)");
        JavaFunction fn = function("Ingest", "D1 request records to five-minute aggregates",
                "dev.slaledger.ingest.WindowedIngestHandler::handleRequest", "ingest", "sla-ingest", 1024,
                // a window's final invocation writes every key of the shard's window, one after the other
                // (thousands at 100k accounts): 5 minutes, not 2 (docs/ingest.md, "Tumbling windows")
                Duration.minutes(5), Map.of(
                        EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName(),
                        EnvNames.QUARANTINE_TABLE, data.quarantine().getTableName(),
                        EnvNames.LEDGER_TABLE, data.ledger().getTableName(),
                        // issue 21: where an API Gateway access-log line holds the account id
                        EnvNames.ACCESS_LOG_ACCOUNT_SOURCE, AccessLogParameters.fromContext(getNode()).accountSource()), null);
        // Least privilege (issue 15 item 7): the aggregates it adds to (conditional UpdateItem, and the
        // GetItem of a redelivered key's marks), the quarantine it writes, and of the Ledger only the
        // stale marks (ST#...), the published terms (TERMS) and the priming probe key.
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:UpdateItem", "dynamodb:GetItem"))
                .resources(List.of(data.aggregates().getTableArn()))
                .build());
        TableGrants.items(fn.role(), data.quarantine(), List.of("PutItem", "BatchWriteItem"), List.of());
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query"))
                .resources(List.of(data.ledger().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                        List.of("ST#*", "TERMS", "SHARDEND#*", PRIMING_PROBE_KEY))))
                .build());
        // issue 26: every setting from kinesis-mapping.json (functions/ingest), the definition KinesisEsm
        // runs the handler under in the local runtime, the tests and the harnesses; why each value:
        // docs/ingest.md, "Event source mapping settings". Batches given up on (after MaximumRecordAge,
        // a day before the stream drops them) go to IngestFailed as shard and sequence range, whose
        // alarm fires on the first message; ReingestCommand re-ingests them exactly once.
        fn.alias().addEventSource(IngestMapping.read().eventSource(data.requestRecords(), new SqsDlq(failed)));
    }

    /** Billing events to the account registry (docs/accounts.md). */
    private void accounts() {
        Queue failed = monitoring.deadLetterQueue(this, "AccountsFailed",
                "Billing events not applied: refused, failed after retries, or undeliverable");
        JavaFunction fn = function("Accounts", "Billing events to the account registry",
                "dev.slaledger.accounts.AccountsHandler::handleRequest", "accounts", "sla-accounts", 512,
                Duration.seconds(30), Map.of(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName(),
                        EnvNames.LEDGER_TABLE, data.ledger().getTableName()),
                new SqsDestination(failed));
        // issue 31 item 1 (IamEvidenceIT): its account's items, the month and term-end indexes, the probe
        // (DeleteItem: a changed term's month and term-end index items go in the same transaction)
        TableGrants.items(fn.role(), data.accounts(), List.of("GetItem", "PutItem", "DeleteItem"),
                List.of("ACCOUNT#*", "MONTH#*", "TERMEND", PRIMING_PROBE_KEY));
        // S7.1: marks the account-months an applied event changes (UpdateItem on the stale marks)
        // and reads the published terms (which months' claim windows may be open).
        TableGrants.items(fn.role(), data.ledger(), List.of("UpdateItem", "Query"), List.of("ST#*", "TERMS"));
        EventDefinitions.RuleDefinition billing = EventDefinitions.rule("BillingEvents");
        Rule.Builder.create(this, billing.name())
                .description(billing.description())
                .eventBus(bus)
                .eventPattern(billing.eventPattern())
                .targets(List.of(LambdaFunction.Builder.create(fn.alias())
                        .deadLetterQueue(failed)
                        .retryAttempts(185)
                        .maxEventAge(Duration.hours(24))
                        .build()))
                .build();
    }

    /** Month-end fan-out, invoked by EventBridge Scheduler in the terms' time zone. */
    private void monthEnd() {
        Queue failed = monitoring.deadLetterQueue(this, "MonthEndFailed",
                "Month-end runs not started or failed after retries: run it again with {\"month\":\"YYYY-MM\"}");
        JavaFunction fn = function("MonthEnd", "Month-end: lists the month's accounts onto the work queue",
                "dev.slaledger.monthend.MonthEndHandler::handleRequest", "monthend", "sla-monthend", "month-end",
                settings("month-end"), monthEndEnvironment(), new SqsDestination(failed));
        // the month's accounts (MONTH#), the terms, the priming probe
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("MONTH#*"));
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "Query"), List.of("TERMS", PRIMING_PROBE_KEY));
        // its progress per month (JOB#, issue 27): read at the start, checkpointed, completed
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "UpdateItem"), List.of("JOB#*"));
        // SendMessage only: grantSendMessages adds GetQueueAttributes and GetQueueUrl, which the code
        // never calls (it is given the queue's URL) (issue 31 item 1, IamEvidenceIT)
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(workQueue.getQueueArn())).build());
        scheduled("month-end", fn, failed);
    }

    /**
     * The restatement run (S7.2), daily at 03:00 in the terms' time zone: lists the stale
     * account-months (the Ledger's sparse stale index) onto the month-end's work queue as
     * restatement work; the statement worker recomputes what is still stale. It runs from the
     * month-end's package: the same clients (DynamoDB and SQS), so the same classes.
     */
    private void restatement() {
        Queue failed = monitoring.deadLetterQueue(this, "RestatementFailed",
                "Restatement runs not started or failed after retries (the next daily run restates what is stale)");
        JavaFunction fn = function("Restatement", "Restatement: stale account-months onto the work queue (S7.2)",
                "dev.slaledger.monthend.RestatementHandler::handleRequest", "monthend", "sla-monthend", "month-end",
                settings("restatement"), monthEndEnvironment(), new SqsDestination(failed));
        // the month's accounts of a month-wide mark (MONTH#); Query on the stale index; UpdateItem
        // clearing a handed-out month-wide mark (STMONTH#); the progress of a month-wide mark's
        // restatement (JOB#, issue 27: GetItem, UpdateItem); the priming probe
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("MONTH#*"));
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "UpdateItem"),
                List.of("STMONTH#*", "JOB#*", PRIMING_PROBE_KEY));
        TableGrants.queryIndexes(fn.role(), data.ledger(), List.of("stale"));
        // SendMessage only: grantSendMessages adds GetQueueAttributes and GetQueueUrl, which the code
        // never calls (it is given the queue's URL) (issue 31 item 1, IamEvidenceIT)
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(workQueue.getQueueArn())).build());
        scheduled("restatement", fn, failed);
    }

    /**
     * The outbox sweep (S7.6), every 5 minutes: sends the VoucherIssued and StatementCompensable
     * events still owed (the Ledger's sparse outbox index) and marks them sent. Its own package
     * (DynamoDB and EventBridge). A run that did not start is not worth retrying for long: the next
     * one starts 5 minutes later, so Scheduler gives up after 2 retries within 5 minutes (its entry in
     * schedules.json); a failed
     * run (an entry not sent) is retried by Lambda twice and then lands in OutboxSweepFailed, and
     * what it could not send stays owed for the next sweep.
     */
    private void outboxSweep() {
        Queue failed = monitoring.deadLetterQueue(this, "OutboxSweepFailed",
                "Outbox sweeps not started or failed after retries (what they could not send stays owed: the next"
                        + " sweep sends it)");
        JavaFunction fn = function("OutboxSweep", "Outbox sweep: owed VoucherIssued and StatementCompensable events (S7.6)",
                "dev.slaledger.monthend.OutboxSweepHandler::handleRequest", "monthend", "sla-monthend", "outbox-sweep",
                settings("outbox-sweep"), monthEndEnvironment(), new SqsDestination(failed));
        // Query on the outbox index; GetItem of claims and revisions; UpdateItem for the lease and the mark.
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "UpdateItem"),
                List.of("ST#*", "CLAIM#*", PRIMING_PROBE_KEY));
        // an owed StatementCompensable goes out only for the account-month's latest revision (issue 27 item 7):
        // the sweep reads the account-month's revisions (Query on its ST# partition)
        TableGrants.items(fn.role(), data.ledger(), List.of("Query"), List.of("ST#*"));
        TableGrants.queryIndexes(fn.role(), data.ledger(), List.of("outbox"));
        bus.grantPutEventsTo(fn.role());
        scheduled("outbox-sweep", fn, failed);
    }

    /** A function a schedule of schedules.json invokes, and where what Scheduler gives up on goes. */
    private record ScheduledTarget(JavaFunction fn, Queue failed) {
    }

    /** Registers {@code fn} as the job {@code target} of schedules.json; {@link #schedules()} deploys its schedules. */
    private void scheduled(String target, JavaFunction fn, Queue failed) {
        if (scheduledTargets.put(target, new ScheduledTarget(fn, failed)) != null) {
            throw new IllegalStateException("two functions registered as the scheduled job " + target);
        }
    }

    /**
     * Every schedule of the shared schedules.json, picked up from the definition: invokes the alias of
     * the function registered as its target with input {@code {}}, its expression evaluated in the
     * terms' time zone; Scheduler retries delivery as the entry says (retryAttempts,
     * maximumEventAgeSeconds), then puts the event in the target's {@code failed} queue, where the
     * alias's asynchronous retries of a failed run end too. A schedule naming no registered job, or a
     * registered job without a schedule, fails the synth.
     */
    private void schedules() {
        java.util.Set<String> unscheduled = new java.util.TreeSet<>(scheduledTargets.keySet());
        for (EventDefinitions.ScheduleDefinition definition : EventDefinitions.schedules()) {
            ScheduledTarget target = scheduledTargets.get(definition.target());
            if (target == null) {
                throw new IllegalStateException("schedule " + definition.name() + " targets " + definition.target()
                        + ", which no function of AppStack registers (scheduled(\"" + definition.target() + "\", ...))");
            }
            unscheduled.remove(definition.target());
            Schedule.Builder.create(this, definition.name())
                    .description(definition.description())
                    .schedule(definition.scheduleExpression(timeZone()))
                    .target(LambdaInvoke.Builder.create(target.fn().alias())
                            .input(ScheduleTargetInput.fromObject(Map.of()))
                            .retryAttempts(definition.retryAttempts())
                            .maxEventAge(Duration.seconds(definition.maximumEventAgeSeconds()))
                            .deadLetterQueue(target.failed())
                            .build())
                    .build();
        }
        if (!unscheduled.isEmpty()) {
            throw new IllegalStateException("scheduled jobs without a schedule in schedules.json: " + unscheduled);
        }
    }

    /** Statement worker on the month-end work queue. */
    private void statementWorker() {
        JavaFunction fn = function("StatementWorker", "Computes the statements of one work message's accounts",
                "dev.slaledger.monthend.StatementWorkerHandler::handleRequest", "monthend", "sla-monthend", "statement-worker",
                settings("statement-worker"), monthEndEnvironment(), null);
        TableGrants.items(fn.role(), data.aggregates(), List.of("Query"), List.of());
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("ACCOUNT#*"));
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "UpdateItem", "Query"),
                List.of("ST#*", "STMONTH#*", "MW", "TERMS", "NOTICE#*", PRIMING_PROBE_KEY));
        bus.grantPutEventsTo(fn.role());
        fn.alias().addEventSource(SqsEventSource.Builder.create(workQueue)
                .batchSize(WORKER_BATCH)
                // issue 27: the month-end's read rate on the aggregates table stays under its on-demand
                // quota, and claims and ingest keep their share (docs/benchmarks.md, "Provider-scale rehearsal")
                .maxConcurrency(WORK_QUEUE.maxConcurrency())
                .reportBatchItemFailures(true)
                .build());
    }

    /** Admin routes PUT /admin/maintenance-windows (D4) and DELETE /admin/maintenance-windows/{id}; both mark (S7.1). */
    private void maintenanceWindows() {
        JavaFunction fn = function("MaintenanceWindows", "Admin: records a maintenance window (D4)",
                "dev.slaledger.monthend.MaintenanceWindowsHandler::handleRequest", "monthend", "sla-monthend",
                "maintenance-windows", settings("maintenance-windows"), monthEndEnvironment(), null);
        // a withdrawal writes a tombstone keeping the withdrawn version (PutItem): no DeleteItem (issue 27 item 7)
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "UpdateItem", "Query"),
                List.of("MW", "ST#*", "STMONTH#*", "TERMS", PRIMING_PROBE_KEY));
        api.addAdminRoute("MaintenanceWindows", HttpMethod.PUT, "/admin/maintenance-windows", fn.alias());
        api.addAdminRoute("WithdrawMaintenanceWindow", HttpMethod.DELETE, "/admin/maintenance-windows/{id}",
                fn.alias());
    }

    /**
     * The liability forecast (S9.8), daily at 02:00 in the terms' time zone (ForecastSchedule in
     * schedules.json), fanned out like the month-end: the schedule invokes the forecast handler in the
     * month-end's package (DynamoDB, SQS), which lists the month's accounts onto its own queue; the
     * forecast worker in the statement worker's package (DynamoDB, EventBridge) takes the messages, reads
     * each account's aggregates since the last run, stores the forecast, sends SlaAtRisk on a status
     * change and writes the metrics the three alarms below watch. Provider-only: no rule takes
     * SlaAtRisk to billing, no route shows it to a customer.
     */
    private void forecast() {
        Queue failed = monitoring.deadLetterQueue(this, "ForecastFailed",
                "Forecast runs not started or failed after retries (the next daily run forecasts again)");
        Queue work = monitoring.workQueue(this, "ForecastWork",
                Duration.seconds(6 * FORECAST_WORKER_TIMEOUT.toSeconds().intValue()), 5,
                "Forecast work messages the forecast worker failed 5 times");

        Map<String, String> fanOutEnv = new LinkedHashMap<>();
        fanOutEnv.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        fanOutEnv.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        fanOutEnv.put(EnvNames.WORK_QUEUE_URL, work.getQueueUrl());
        fanOutEnv.put(EnvNames.WORK_BATCH_SIZE, Integer.toString(WORK_BATCH_SIZE));
        JavaFunction fanOut = function("Forecast", "Liability forecast (S9.8): the month's accounts onto its queue",
                "dev.slaledger.monthend.ForecastHandler::handleRequest", "monthend", "sla-monthend", "month-end", 512,
                Duration.minutes(15), fanOutEnv,
                new SqsDestination(failed));
        // the month's accounts (MONTH#), the terms, the priming probe; SendMessage only (it is given the URL)
        TableGrants.items(fanOut.role(), data.accounts(), List.of("Query"), List.of("MONTH#*"));
        TableGrants.items(fanOut.role(), data.ledger(), List.of("GetItem", "Query"), List.of("TERMS", PRIMING_PROBE_KEY));
        // its progress per day (JOB#, S9.2): read at the start, checkpointed, completed
        TableGrants.items(fanOut.role(), data.ledger(), List.of("GetItem", "UpdateItem"), List.of("JOB#*"));
        fanOut.role().addToPrincipalPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(work.getQueueArn())).build());
        scheduled("forecast", fanOut, failed);

        Map<String, String> workerEnv = new LinkedHashMap<>();
        workerEnv.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        workerEnv.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        workerEnv.put(EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName());
        workerEnv.put(EnvNames.EVENT_BUS_NAME, bus.getEventBusName());
        JavaFunction worker = function("ForecastWorker", "Forecasts the accounts of one forecast work message (S9.8)",
                "dev.slaledger.monthend.ForecastWorkerHandler::handleRequest", "monthend", "sla-monthend",
                "statement-worker", 1024, FORECAST_WORKER_TIMEOUT, workerEnv, null);
        TableGrants.items(worker.role(), data.aggregates(), List.of("Query"), List.of());
        TableGrants.items(worker.role(), data.accounts(), List.of("Query"), List.of("ACCOUNT#*"));
        // its forecasts and the at-risk list; the terms, the notices sent (S6.3) and the windows it reads
        // (DeleteItem: an account ok again leaves the at-risk list); the priming probe
        TableGrants.items(worker.role(), data.ledger(), List.of("GetItem", "PutItem", "DeleteItem", "Query"),
                List.of("FC#*", "FCRISK#*", "TERMS", "NOTICE#*", "MW", PRIMING_PROBE_KEY));
        bus.grantPutEventsTo(worker.role());
        worker.alias().addEventSource(SqsEventSource.Builder.create(work)
                .batchSize(WORKER_BATCH)
                .reportBatchItemFailures(true)
                .build());
        monitoring.countAboveZero(this, "ForecastAccountsCompensable", "SlaLedger/Forecast", "AccountsCompensable",
                "The forecast finds accounts whose month already missed its commitment: vouchers are owed "
                        + "(GET /admin/forecast?status=compensable)");
        monitoring.countAboveZero(this, "ForecastAccountsAtRisk", "SlaLedger/Forecast", "AccountsAtRisk",
                "The forecast projects accounts past their error budget by the month's end "
                        + "(GET /admin/forecast?status=at-risk)");
        monitoring.countAboveZero(this, "ForecastFailures", "SlaLedger/Forecast", "ForecastFailures",
                "Forecasts of some accounts failed (their ids are in the forecast worker's log)");
    }

    /** Admin route GET /admin/forecast (S9.8, IAM): the at-risk list and its totals. DynamoDB only. */
    private void forecastApi() {
        JavaFunction fn = function("ForecastApi", "Admin: the accounts at risk or compensable this month (S9.8)",
                "dev.slaledger.monthend.ForecastApiHandler::handleRequest", "monthend", "sla-monthend",
                "maintenance-windows", 512, Duration.seconds(25), Map.of(
                        EnvNames.LEDGER_TABLE, data.ledger().getTableName(),
                        EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName()), null);
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "Query"), List.of("FCRISK#*", "TERMS",
                PRIMING_PROBE_KEY));
        api.addAdminRoute("GetForecast", HttpMethod.GET, "/admin/forecast", fn.alias());
    }

    /**
     * The claims API (docs/claims.md): the customer routes, behind the JWT authorizer. It
     * recomputes stale or missing statements like the month-end worker (so it reads aggregates and
     * accounts and announces StatementCompensable) and announces VoucherIssued on the bus.
     * 25 s: under the HTTP API's 30 s integration limit, so a slow call ends in the function's log.
     */
    private void claims() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        env.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        env.put(EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName());
        env.put(EnvNames.EVENT_BUS_NAME, bus.getEventBusName());
        env.put(EnvNames.ACCOUNT_CLAIM, parameters.jwtAccountClaim());
        JavaFunction fn = function("Claims", "Claims API: claims, statements and vouchers of the caller's account",
                "dev.slaledger.claims.ClaimsHandler::handleRequest", "claims", "sla-claims", 1024,
                Duration.seconds(25), env, null);
        // the internet-facing function: its account's statements, claims, idempotency keys and rate
        // counters, the windows, terms and notices a statement reads, never a Scan or a BatchWriteItem
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "UpdateItem", "Query"),
                List.of("ST#*", "STMONTH#*", "MW", "TERMS", "NOTICE#*", "CLAIM#*", "IDEM#*", "RATE#*", PRIMING_PROBE_KEY));
        // an Idempotency-Key record is deleted only to release it after a 5xx (docs/claims.md)
        TableGrants.items(fn.role(), data.ledger(), List.of("DeleteItem"), List.of("IDEM#*"));
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("ACCOUNT#*"));
        TableGrants.items(fn.role(), data.aggregates(), List.of("Query"), List.of());
        bus.grantPutEventsTo(fn.role());
        api.addCustomerRoute("PostClaims", HttpMethod.POST, "/claims", fn.alias());
        api.addCustomerRoute("GetClaim", HttpMethod.GET, "/claims/{claimId}", fn.alias());
        api.addCustomerRoute("GetStatement", HttpMethod.GET, "/statements/{month}", fn.alias());
        // S9.6, S9.7: read-only, the caller's own account (the same function and grants)
        api.addCustomerRoute("GetStatementIntervals", HttpMethod.GET, "/statements/{month}/intervals", fn.alias());
        api.addCustomerRoute("GetStatementRevisions", HttpMethod.GET, "/statements/{month}/revisions", fn.alias());
        api.addCustomerRoute("GetVouchers", HttpMethod.GET, "/vouchers", fn.alias());
    }

    /**
     * Admin route PUT /admin/terms (S6.1, S9.4, D5): stores a terms version and announces
     * TermsPublished. S9.4 reads the SES quota (GetAccount), the send schedule and the kept count of
     * accounts to notify (Ledger); it counts the registry itself only when no count is kept yet.
     */
    private void publishTerms() {
        JavaFunction fn = function("PublishTerms", "Admin: publishes a terms version (D5, S6.1, S9.4)",
                "dev.slaledger.notifier.PublishTermsHandler::handleRequest", "notifier", "sla-notifier", "publish-terms", 512,
                Duration.seconds(15), Map.of(
                        EnvNames.LEDGER_TABLE, data.ledger().getTableName(),
                        EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName(),
                        EnvNames.EVENT_BUS_NAME, bus.getEventBusName()), null);
        // terms; S9.4: the kept count of accounts to notify and the send schedule
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "Query"),
                List.of("TERMS", "TERMSID#*", "NOTICECURSOR", "NOTICEAUDIENCE", "NOTICESEND", PRIMING_PROBE_KEY));
        // a registry never counted is counted at publication (S9.4)
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("ACCOUNT#*", "MONTH#*", "TERMEND"));
        bus.grantPutEventsTo(fn.role());
        mail.grantReadQuota(fn.role());
        api.addAdminRoute("PutTerms", HttpMethod.PUT, "/admin/terms", fn.alias());
    }

    /**
     * The notice dispatcher (S6.2, S8, S9.1-S9.3): hourly in the terms' time zone and right after
     * each publication (TermsPublished on the bus). It reads the SES quota (GetAccount) and sets the
     * shared send schedule (Ledger), then pages the notices owed, from a cursor per version and per
     * month, onto the notice queue; it sends nothing itself. 15 minutes: it stops paging 30 s before
     * its end and the next hourly run continues from the cursors.
     */
    private void notifier() {
        Queue failed = monitoring.deadLetterQueue(this, "NotifierFailed",
                "Notifier runs not started or failed after retries (the next hourly run lists what is owed)");
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        env.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        env.put(EnvNames.NOTICE_QUEUE_URL, noticeQueue.getQueueUrl());
        JavaFunction fn = function("Notifier", "Pages the notices owed (S6.2, S8) onto the notice queue at the SES quota (S9.3)",
                "dev.slaledger.notifier.NotifierHandler::handleRequest", "notifier", "sla-notifier", "notifier",
                settings("notifier"), env, new SqsDestination(failed));
        // terms; the cursors and the kept count; the backlog (parked and given-up work); the send schedule
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"),
                List.of("TERMS", "NOTICECURSOR", "NOTICEAUDIENCE", "NOTICEPARK", "NOTICEGAVEUP#*", "NOTICESEND",
                        PRIMING_PROBE_KEY));
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("ACCOUNT#*", "MONTH#*", "TERMEND"));
        // SendMessage only (grantSendMessages adds GetQueueAttributes and GetQueueUrl, never called)
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(noticeQueue.getQueueArn())).build());
        mail.grantReadQuota(fn.role());
        scheduled("notifier", fn, failed);
        EventDefinitions.RuleDefinition published = EventDefinitions.rule("TermsPublishedRule");
        Rule.Builder.create(this, published.name())
                .description(published.description())
                .eventBus(bus)
                .eventPattern(published.eventPattern())
                .targets(List.of(LambdaFunction.Builder.create(fn.alias())
                        .deadLetterQueue(failed)
                        .retryAttempts(20)
                        .maxEventAge(Duration.hours(6))
                        .build()))
                .build();
    }

    /**
     * The notice workers (S6.2-S6.4, S8, S9.2, S9.3) on the notice queue: they decide each account,
     * send through SES taking a slot of the shared send schedule per mail, file automatic claims
     * through the claims API's path (S8.3: reads the aggregates, announces on the bus), park what may
     * not go out yet in the Ledger and hand on what they did not reach. A malformed message is
     * reported as a batch item failure and lands in NoticeWorkDlq (alarmed) after
     * {@value #NOTICE_MAX_RECEIVES} receives; an account given up on is alarmed by its metric.
     */
    private void noticeWorker() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        env.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        env.put(EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName());
        env.put(EnvNames.EVENT_BUS_NAME, bus.getEventBusName());
        env.put(EnvNames.NOTICE_QUEUE_URL, noticeQueue.getQueueUrl());
        env.put(EnvNames.SES_FROM_ADDRESS, mail.sender());
        env.put(EnvNames.SES_CONFIGURATION_SET, mail.configurationSetName());
        parameters.noticeServiceName().ifPresent(name -> env.put(EnvNames.NOTICE_SERVICE_NAME, name));
        parameters.claimUrlTemplate().ifPresent(url -> env.put(EnvNames.NOTICE_CLAIM_URL_TEMPLATE, url));
        JavaFunction fn = function("NoticeWorker", "Sends the notices of a work message at the SES quota (S6.2, S8, S9.3)",
                "dev.slaledger.notifier.NoticeWorkerHandler::handleRequest", "notifier", "sla-notifier", "notice-worker",
                settings("notice-worker"), env, null);
        // the notices and their attempts, contacts, the claim path of eligibility (S8: statements recomputed,
        // claims filed), the send schedule and the backlog
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "UpdateItem", "Query"),
                List.of("TERMS", "NOTICE#*", "NOTICEATTEMPT#*", "CONTACT#*", "CLAIM#*", "ST#*", "STMONTH#*", "MW",
                        "NOTICESEND", "NOTICEPARK", "NOTICEGAVEUP#*", PRIMING_PROBE_KEY));
        // S9.2: a unit's rescue record (written on its last receive) goes once the unit is done
        TableGrants.items(fn.role(), data.ledger(), List.of("DeleteItem"), List.of("NOTICEPARK"));
        TableGrants.items(fn.role(), data.accounts(), List.of("Query"), List.of("ACCOUNT#*", "MONTH#*", "TERMEND"));
        TableGrants.items(fn.role(), data.aggregates(), List.of("Query"), List.of());
        bus.grantPutEventsTo(fn.role());
        mail.grantSend(fn.role());
        mail.alarmOnRefusedSends(this, monitoring, fn.logGroup());
        // SendMessage only (grantSendMessages adds GetQueueAttributes and GetQueueUrl, never called)
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(noticeQueue.getQueueArn())).build());
        fn.alias().addEventSource(SqsEventSource.Builder.create(noticeQueue)
                .batchSize(NOTICE_WORKER_BATCH)
                .maxConcurrency(NOTICE_WORKER_MAX_CONCURRENCY)
                .reportBatchItemFailures(true)
                .build());
        monitoring.countAboveZero(this, "NoticeAccountsGaveUp", "SlaLedger/Notices", "NoticeAccountsGaveUp",
                "Notices given up on after bounded retries (S9.2): see the worker's log and the Ledger's NOTICEGAVEUP# items");
        monitoring.countAboveZero(this, "MalformedNoticeWork", "SlaLedger/Notices", "MalformedNoticeWork",
                "Malformed messages on the notice queue: they go to NoticeWorkDlq");
        monitoring.countAboveZero(this, "NoticeWorkRescued", "SlaLedger/Notices", "NoticeWorkRescued",
                "Notice work units whose last receive failed, listed again by the dispatcher from their rescue records"
                        + " (S9.2): their messages are in NoticeWorkDlq; see the dispatcher's and the worker's logs");
    }

    /**
     * What becomes owed after a sweep passed comes by events, to the notice queue: a statement that
     * became compensable (S8.2, NoticeStatementEvents) and a new term or contact (S6.2,
     * NoticeBillingEvents). An event the bus could not deliver lands in NoticeEventsUndelivered.
     */
    private void noticeEvents() {
        Queue undelivered = monitoring.deadLetterQueue(this, "NoticeEventsUndelivered",
                "StatementCompensable or billing events the bus could not put in the notice queue");
        for (String name : List.of("NoticeStatementEvents", "NoticeBillingEvents")) {
            EventDefinitions.RuleDefinition rule = EventDefinitions.rule(name);
            Rule.Builder.create(this, rule.name())
                    .description(rule.description())
                    .eventBus(bus)
                    .eventPattern(rule.eventPattern())
                    .targets(List.of(SqsQueue.Builder.create(noticeQueue)
                            .deadLetterQueue(undelivered)
                            .retryAttempts(185)
                            .maxEventAge(Duration.hours(24))
                            .build()))
                    .build();
        }
    }

    /**
     * StatementCompensable and VoucherIssued (source sla-ledger) to a queue the billing system reads
     * (output BillingOutboundQueueUrl): billing takes them at its own pace and deduplicates
     * (statement: accountId, month, revision; voucher: claimId). Kept 14 days; an event the rule
     * could not deliver goes to BillingOutboundFailed after EventBridge's retries.
     */
    private Queue billingOutbound() {
        Queue failed = monitoring.deadLetterQueue(this, "BillingOutboundFailed",
                "StatementCompensable or VoucherIssued events the bus could not deliver to the billing queue");
        Queue queue = Queue.Builder.create(this, "BillingOutbound")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(BILLING_OUTBOUND_RETENTION)
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(monitoring.deadLetterQueue(this, "BillingOutboundDlq",
                                "Messages of the billing queue billing failed to take 5 times"))
                        .maxReceiveCount(5)
                        .build())
                .build();
        EventDefinitions.RuleDefinition outbound = EventDefinitions.rule("BillingOutbound");
        Rule.Builder.create(this, outbound.name() + "Rule")
                .description(outbound.description())
                .eventBus(bus)
                .eventPattern(outbound.eventPattern())
                .targets(List.of(SqsQueue.Builder.create(queue)
                        .deadLetterQueue(failed)
                        .retryAttempts(185)
                        .maxEventAge(Duration.hours(24))
                        .build()))
                .build();
        return queue;
    }

    private TimeZone timeZone() {
        return TimeZone.of(parameters.timeZone().getId());
    }

    /**
     * SES sends, bounces and complaints of the notices (S6.4), from the feedback queue the mail
     * construct fills; a message whose storage failed comes back, the others do not.
     * 1 minute: the queue's visibility timeout is 6 x this.
     */
    private void sesEvents() {
        JavaFunction fn = function("SesEvents", "Records SES sends, bounces and complaints of notices (S6.4)",
                "dev.slaledger.notifier.SesEventsHandler::handleRequest", "notifier", "sla-notifier", "ses-events",
                settings("ses-events"), Map.of(EnvNames.LEDGER_TABLE, data.ledger().getTableName()), null);
        TableGrants.items(fn.role(), data.ledger(), List.of("GetItem", "PutItem", "UpdateItem"),
                List.of("NOTICEATTEMPT#*", "NOTICE#*", "CONTACT#*", PRIMING_PROBE_KEY));
        fn.alias().addEventSource(SqsEventSource.Builder.create(mail.feedbackQueue())
                .batchSize(SES_EVENTS_BATCH)
                .maxConcurrency(FunctionSettings.queue("mail-feedback").maxConcurrency())
                .reportBatchItemFailures(true)
                .build());
    }

    /** Records quarantined or not stored by ingest (its EMF metric line, docs/ingest.md "Metrics"). */
    private void quarantineAlarms() {
        monitoring.countAboveZero(this, "IngestQuarantineGrowing", "SlaLedger/Ingest", "Quarantined",
                "Request records were quarantined (D1): see the quarantine table");
        monitoring.countAboveZero(this, "IngestRecordsFailed", "SlaLedger/Ingest", "Failed",
                "Request records could not be stored and are being retried");
        monitoring.countAboveZero(this, "StatementFailures", "SlaLedger/Statements", "StatementFailures",
                "Statements of some accounts could not be computed (their ids are in the worker's log)");
    }

    /** The month-end module's handlers share one wiring, so all three get the same environment. */
    private Map<String, String> monthEndEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        env.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        env.put(EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName());
        env.put(EnvNames.WORK_QUEUE_URL, workQueue.getQueueUrl());
        env.put(EnvNames.EVENT_BUS_NAME, bus.getEventBusName());
        env.put(EnvNames.WORK_BATCH_SIZE, Integer.toString(WORK_BATCH_SIZE));
        return env;
    }

    /**
     * A function of a module with several whose memory, timeout and reserved concurrency are the
     * deployed settings of {@code settingsName} in deployment.json (FunctionSettings).
     */
    private JavaFunction function(String id, String description, String handler, String module, String artifactId,
            String packageName, FunctionSettings.Function settings, Map<String, String> environment,
            IDestination onFailure) {
        JavaFunction fn = function(id, description, handler, module, artifactId, packageName, settings.memoryMb(),
                settings.timeout(), environment, onFailure);
        if (FunctionSettings.reserveConcurrency(getNode())) {
            settings.reservedConcurrency().ifPresent(fn::reserveConcurrency);
        }
        return fn;
    }

    private static FunctionSettings.Function settings(String name) {
        return FunctionSettings.function(name);
    }

    /** A function of a module with one function: its package {@code <artifactId>-<version>-lambda.jar}. */
    private JavaFunction function(String id, String description, String handler, String module, String artifactId,
            int memoryMb, Duration timeout, Map<String, String> environment,
            IDestination onFailure) {
        return function(id, description, handler, packages.jar(module, artifactId), memoryMb, timeout, environment,
                onFailure);
    }

    /**
     * A function of a module with several (monthend, notifier): its own package
     * {@code <artifactId>-<version>-<packageName>-lambda.jar}, holding only the SDK services it calls.
     */
    private JavaFunction function(String id, String description, String handler, String module, String artifactId,
            String packageName, int memoryMb, Duration timeout, Map<String, String> environment,
            IDestination onFailure) {
        return function(id, description, handler, packages.jar(module, artifactId, packageName), memoryMb, timeout,
                environment, onFailure);
    }

    private JavaFunction function(String id, String description, String handler, Path jar,
            int memoryMb, Duration timeout, Map<String, String> environment,
            IDestination onFailure) {
        JavaFunction fn = new JavaFunction(this, id, new JavaFunction.Spec(description, handler,
                jar, memoryMb, timeout, environment, onFailure));
        monitoring.functionAlarms(this, id, fn.function());
        functions.put(id, fn);
        return fn;
    }

    /** The stage's dashboard (issue 31 item 4, docs/operations.md). */
    private void dashboard() {
        new OperationsDashboard(this, "Operations", new OperationsDashboard.Sources(parameters.stage(),
                data.requestRecords(), functions.get("Ingest").function(), workQueue,
                workQueue.getDeadLetterQueue().getQueue(),
                functions.get("MonthEnd").function(), functions.get("StatementWorker").function(), WORK_BATCH_SIZE,
                api.httpApi(), functions.get("Claims").function(), functions.get("Notifier").function(),
                functions.get("NoticeWorker").function(), noticeQueue, functions.get("OutboxSweep").function(),
                List.of(data.aggregates(), data.quarantine(), data.ledger(), data.accounts())));
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder b = CfnOutput.Builder.create(this, id).value(value);
        if (description != null) {
            b.description(description);
        }
        b.build();
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public SlaLedgerApi api() {
        return api;
    }

    public Mail mail() {
        return mail;
    }

    public EventBus bus() {
        return bus;
    }
}
