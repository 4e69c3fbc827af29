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
import software.amazon.awscdk.services.events.BaseArchiveProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.IDestination;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
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
    /** Work messages the statement worker takes per invocation, and accounts per message. */
    static final int WORKER_BATCH = 5;
    static final int WORK_BATCH_SIZE = 25;
    static final Duration WORKER_TIMEOUT = Duration.minutes(2);
    /** How long the Kinesis mapping retries a record: a day less than the stream keeps it (7 days). */
    static final Duration INGEST_MAX_RECORD_AGE = Duration.days(6);
    /**
     * The key the functions' SnapStart priming reads and never finds (lambda-support
     * {@code MissingItemRead.KEY}); the ingest role may read it on the Ledger.
     */
    static final String PRIMING_PROBE_KEY = "#sla-ledger#priming#no-such-item#";
    /**
     * The outbox sweep (S7.6): every 5 minutes (its schedule: OutboxSweepSchedule in the shared
     * schedules.json), and a minute more than its budget (MonthEndWiring.SWEEP_BUDGET) to run.
     */
    static final Duration OUTBOX_SWEEP_TIMEOUT = Duration.minutes(5);
    /** How long StatementCompensable and VoucherIssued wait in the billing queue for billing to read them. */
    static final Duration BILLING_OUTBOUND_RETENTION = Duration.days(14);
    /** SES events per invocation from the feedback queue. */
    static final int SES_EVENTS_BATCH = 10;
    /** The forecast worker's timeout (its queue's visibility is 6 x this). */
    static final Duration FORECAST_WORKER_TIMEOUT = Duration.minutes(2);

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

    public AppStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        this.parameters = props.parameters();
        this.data = props.data();
        this.packages = props.packages();

        monitoring = new Monitoring(this, "Monitoring");
        bus = EventBus.Builder.create(this, "Events")
                .description("Billing events in (source billing); the events SLA Ledger emits (source sla-ledger)")
                .build();
        bus.archive("BillingArchive", BaseArchiveProps.builder()
                .description("Billing events, kept for replay (the accounts function is idempotent)")
                .eventPattern(EventDefinitions.rule("BillingEvents").eventPattern())
                .retention(Duration.days(90))
                .build());
        api = new SlaLedgerApi(this, "Api", parameters);
        mail = new Mail(this, "Mail", parameters, monitoring);
        // visibility = 6 x the worker timeout (AWS guidance for SQS event sources), so a message is
        // not redelivered while a slow batch is still running, even with retries of throttled invokes
        workQueue = monitoring.workQueue(this, "StatementWork", Duration.seconds(6 * WORKER_TIMEOUT.toSeconds().intValue()), 5,
                "Month-end work messages the statement worker failed 5 times");

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
        sesEvents();
        schedules();
        quarantineAlarms();
        Queue billingOutbound = billingOutbound();
        Nag.acknowledgeInStack(this, "AwsSolutions-IAM5", "Table grants cover the Ledger's indexes by"
                + " <table>/index/*; its indexes are the sparse stale-mark index (S7.2), which holds keys and"
                + " mark counters, and the sparse outbox index (S7.6), which holds keys only, nothing else",
                "/^Resource::.*Ledger[0-9A-F]+.*\\/index\\/\\*$/");

        output("ApiUrl", api.url(), "Base URL of the HTTP API");
        output("EventBusName", bus.getEventBusName(), "Bus the billing system puts events on (source billing)");
        output("EventBusArn", bus.getEventBusArn(), null);
        output("MailConfigurationSet", mail.configurationSetName(), "SES configuration set of notice mail");
        output("MailFeedbackQueueUrl", mail.feedbackQueue().getQueueUrl(), "Bounces and complaints of notices");
        output("BillingOutboundQueueUrl", billingOutbound.getQueueUrl(),
                "Queue of StatementCompensable and VoucherIssued events for the billing system");
        output("AlarmTopicArn", monitoring.alarmTopic().getTopicArn(), "Subscribe to receive the alarms");
    }

    /** The ingest mapping's tumbling window (issue 18, docs/ingest.md): the longest Lambda allows. */
    static final int INGEST_TUMBLING_WINDOW_SECONDS = 900;

    /** Kinesis D1 records to exactly-once aggregates (docs/ingest.md). */
    private void ingest() {
        Queue failed = monitoring.deadLetterQueue(this, "IngestFailed",
                "Kinesis batches ingest gave up on (shard and sequence range; replay them from the stream)");
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
        data.quarantine().grantWriteData(fn.role());
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query"))
                .resources(List.of(data.ledger().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                        List.of("ST#*", "TERMS", PRIMING_PROBE_KEY))))
                .build());
        fn.alias().addEventSource(KinesisEventSource.Builder.create(data.requestRecords())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(2000)
                .maxBatchingWindow(Duration.seconds(5))
                // Issue 18: a shard's window of 900 s (the longest) is folded in the carried state and
                // written once per (account, interval) at its end: 1.17 writes per key instead of 188
                // for 1,000 accounts at 10 req/s on 8 shards (docs/benchmarks.md, docs/ingest.md)
                .tumblingWindow(Duration.seconds(INGEST_TUMBLING_WINDOW_SECONDS))
                .bisectBatchOnError(true)
                // kept: the windowed handler never reports items (it throws), but the per-batch handler
                // of the same jar does, should the mapping ever go back to it
                .reportBatchItemFailures(true)
                .parallelizationFactor(1)
                // Retried while the stream still holds the records with a day to spare (retention
                // 7 days): a batch given up on goes to the DLQ as shard and sequence range while
                // its records can still be read back and re-ingested exactly once (docs/ingest.md).
                .retryAttempts(-1)
                .maxRecordAge(INGEST_MAX_RECORD_AGE)
                .onFailure(new SqsDlq(failed))
                .build());
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
        data.accounts().grantReadWriteData(fn.role());
        // S7.1: marks the account-months an applied event changes (UpdateItem on the stale marks)
        // and reads the published terms (which months' claim windows may be open).
        data.ledger().grantReadWriteData(fn.role());
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
                "dev.slaledger.monthend.MonthEndHandler::handleRequest", "monthend", "sla-monthend", "month-end", 512,
                Duration.minutes(15), monthEndEnvironment(), new SqsDestination(failed));
        data.accounts().grantReadData(fn.role());
        data.ledger().grantReadData(fn.role());
        workQueue.grantSendMessages(fn.role());
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
                512, Duration.minutes(15), monthEndEnvironment(), new SqsDestination(failed));
        data.accounts().grantReadData(fn.role());
        // Query on the stale index; UpdateItem clearing a handed-out month-wide mark.
        data.ledger().grantReadWriteData(fn.role());
        workQueue.grantSendMessages(fn.role());
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
                512, OUTBOX_SWEEP_TIMEOUT, monthEndEnvironment(), new SqsDestination(failed));
        // Query on the outbox index; GetItem of claims and revisions; UpdateItem for the lease and the mark.
        data.ledger().grantReadWriteData(fn.role());
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
                1024,
                WORKER_TIMEOUT, monthEndEnvironment(), null);
        data.aggregates().grantReadData(fn.role());
        data.accounts().grantReadData(fn.role());
        data.ledger().grantReadWriteData(fn.role());
        bus.grantPutEventsTo(fn.role());
        fn.alias().addEventSource(SqsEventSource.Builder.create(workQueue)
                .batchSize(WORKER_BATCH)
                .reportBatchItemFailures(true)
                .build());
    }

    /** Admin routes PUT /admin/maintenance-windows (D4) and DELETE /admin/maintenance-windows/{id}; both mark (S7.1). */
    private void maintenanceWindows() {
        JavaFunction fn = function("MaintenanceWindows", "Admin: records a maintenance window (D4)",
                "dev.slaledger.monthend.MaintenanceWindowsHandler::handleRequest", "monthend", "sla-monthend",
                "maintenance-windows", 512,
                Duration.seconds(10), monthEndEnvironment(), null);
        data.ledger().grantReadWriteData(fn.role());
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
        data.accounts().grantReadData(fanOut.role());
        ledgerAccess(fanOut, List.of("dynamodb:Query"), List.of("TERMS"));
        work.grantSendMessages(fanOut.role());
        scheduled("forecast", fanOut, failed);

        Map<String, String> workerEnv = new LinkedHashMap<>();
        workerEnv.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        workerEnv.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        workerEnv.put(EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName());
        workerEnv.put(EnvNames.EVENT_BUS_NAME, bus.getEventBusName());
        JavaFunction worker = function("ForecastWorker", "Forecasts the accounts of one forecast work message (S9.8)",
                "dev.slaledger.monthend.ForecastWorkerHandler::handleRequest", "monthend", "sla-monthend",
                "statement-worker", 1024, FORECAST_WORKER_TIMEOUT, workerEnv, null);
        data.aggregates().grantReadData(worker.role());
        data.accounts().grantReadData(worker.role());
        // its forecasts and the at-risk list; the terms, the notices sent (S6.3) and the windows it reads
        ledgerAccess(worker, List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"),
                List.of("FC#*", "FCRISK#*", "TERMS", "NOTICE#*", "MW"));
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
        ledgerAccess(fn, List.of("dynamodb:Query"), List.of("FCRISK#*", "TERMS"));
        api.addAdminRoute("GetForecast", HttpMethod.GET, "/admin/forecast", fn.alias());
    }

    /** Least privilege on the Ledger: {@code actions} on the items whose partition keys match {@code keys}. */
    private void ledgerAccess(JavaFunction fn, List<String> actions, List<String> keys) {
        fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(data.ledger().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", keys)))
                .build());
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
        data.ledger().grantReadWriteData(fn.role());
        data.accounts().grantReadData(fn.role());
        data.aggregates().grantReadData(fn.role());
        bus.grantPutEventsTo(fn.role());
        api.addCustomerRoute("PostClaims", HttpMethod.POST, "/claims", fn.alias());
        api.addCustomerRoute("GetClaim", HttpMethod.GET, "/claims/{claimId}", fn.alias());
        api.addCustomerRoute("GetStatement", HttpMethod.GET, "/statements/{month}", fn.alias());
        // S9.6, S9.7: read-only, the caller's own account (the same function and grants)
        api.addCustomerRoute("GetStatementIntervals", HttpMethod.GET, "/statements/{month}/intervals", fn.alias());
        api.addCustomerRoute("GetStatementRevisions", HttpMethod.GET, "/statements/{month}/revisions", fn.alias());
        api.addCustomerRoute("GetVouchers", HttpMethod.GET, "/vouchers", fn.alias());
    }

    /** Admin route PUT /admin/terms (S6.1, D5): stores a terms version and announces TermsPublished. */
    private void publishTerms() {
        JavaFunction fn = function("PublishTerms", "Admin: publishes a terms version (D5, S6.1)",
                "dev.slaledger.notifier.PublishTermsHandler::handleRequest", "notifier", "sla-notifier", "publish-terms", 512,
                Duration.seconds(15), Map.of(
                        EnvNames.LEDGER_TABLE, data.ledger().getTableName(),
                        EnvNames.EVENT_BUS_NAME, bus.getEventBusName()), null);
        data.ledger().grantReadWriteData(fn.role());
        bus.grantPutEventsTo(fn.role());
        api.addAdminRoute("PutTerms", HttpMethod.PUT, "/admin/terms", fn.alias());
    }

    /**
     * The notifier (S6.2): daily in the terms' time zone and right after each publication
     * (TermsPublished on the bus). Both triggers run the same campaign, which sends only what is
     * still owed; reservations are conditional writes, so two runs at once send nothing twice.
     * The daily run also sends the eligibility notices and files automatic claims (S8.2, S8.3)
     * through the claims API's path: so, like the claims function, it reads the aggregates (a
     * stale statement is recomputed first) and puts VoucherIssued and StatementCompensable on the bus.
     * 10 minutes: it stops starting sends one minute before its end and the next run continues.
     */
    private void notifier() {
        Queue failed = monitoring.deadLetterQueue(this, "NotifierFailed",
                "Notifier runs not started or failed after retries (the next daily run sends what is owed)");
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvNames.LEDGER_TABLE, data.ledger().getTableName());
        env.put(EnvNames.ACCOUNTS_TABLE, data.accounts().getTableName());
        env.put(EnvNames.SES_FROM_ADDRESS, mail.sender());
        env.put(EnvNames.SES_CONFIGURATION_SET, mail.configurationSetName());
        parameters.noticeServiceName().ifPresent(name -> env.put(EnvNames.NOTICE_SERVICE_NAME, name));
        env.put(EnvNames.AGGREGATES_TABLE, data.aggregates().getTableName());
        env.put(EnvNames.EVENT_BUS_NAME, bus.getEventBusName());
        parameters.claimUrlTemplate().ifPresent(url -> env.put(EnvNames.NOTICE_CLAIM_URL_TEMPLATE, url));
        JavaFunction fn = function("Notifier", "Emails terms-change notices (S6.2) and eligibility notices, files automatic claims (S8)",
                "dev.slaledger.notifier.NotifierHandler::handleRequest", "notifier", "sla-notifier", "notifier", 512,
                Duration.minutes(10), env, new SqsDestination(failed));
        data.ledger().grantReadWriteData(fn.role());
        data.accounts().grantReadData(fn.role());
        data.aggregates().grantReadData(fn.role());
        bus.grantPutEventsTo(fn.role());
        mail.grantSend(fn.role());
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
        Duration timeout = Duration.seconds(Mail.FEEDBACK_VISIBILITY.toSeconds().intValue() / 6);
        JavaFunction fn = function("SesEvents", "Records SES sends, bounces and complaints of notices (S6.4)",
                "dev.slaledger.notifier.SesEventsHandler::handleRequest", "notifier", "sla-notifier", "ses-events", 512,
                timeout, Map.of(EnvNames.LEDGER_TABLE, data.ledger().getTableName()), null);
        data.ledger().grantReadWriteData(fn.role());
        fn.alias().addEventSource(SqsEventSource.Builder.create(mail.feedbackQueue())
                .batchSize(SES_EVENTS_BATCH)
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
        return fn;
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
