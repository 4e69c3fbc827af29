package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeForecastEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.adapter.sqs.WorkMessage;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.ForecastEvents;
import dev.slaledger.core.port.ForecastRepository;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.core.usecase.OutboxSweep;
import dev.slaledger.core.usecase.Restatement;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import dev.slaledger.priming.SampleEvents;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the month-end's use cases, once per execution environment, from the variables the
 * infrastructure sets: {@code LEDGER_TABLE}, {@code ACCOUNTS_TABLE}, {@code AGGREGATES_TABLE},
 * {@code WORK_QUEUE_URL} (fan-out), {@code EVENT_BUS_NAME} (worker, outbox sweep), {@code WORK_BATCH_SIZE}
 * (accounts per work message, default 20), and {@code AWS_REGION}. Credentials come from the
 * default chain (under SnapStart Lambda serves them from a container endpoint, not the
 * environment). Each handler builds only the clients it uses.
 */
public final class MonthEndWiring {
    static final int DEFAULT_BATCH_SIZE = 20;
    /**
     * How long one outbox sweep starts sending: a minute under its function's 5-minute timeout
     * (infrastructure AppStack), so a backlog drains over several sweeps that never overlap.
     */
    public static final Duration SWEEP_BUDGET = Duration.ofMinutes(4);

    private final Env env;
    /** The real client (Lambda, priming); null when the wiring is on a given ledger. */
    private final DynamoDbClient dynamo;
    private final Ledger given;
    private final Clock clock;
    private final TermsVersion originalTerms;

    MonthEndWiring(Map<String, String> env, DynamoDbClient dynamo, Clock clock) {
        this(env, dynamo, clock, DefaultTerms.version());
    }

    /**
     * For other runtimes (the local runtime): the same wiring on a given client, clock and
     * original terms (the version in force before any publication; Lambda uses the default terms).
     */
    public MonthEndWiring(Map<String, String> env, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this(new Env(env), dynamo, clock, originalTerms);
    }

    /**
     * For other runtimes (the local runtime's memory engine): the same wiring on a given ledger graph;
     * {@code env} gives the settings (batch size), not the tables.
     */
    public MonthEndWiring(Map<String, String> env, Ledger ledger) {
        this.env = new Env(env);
        this.dynamo = null;
        this.clock = ledger.clock();
        this.originalTerms = ledger.terms().published().get(0);
        this.given = ledger;
    }

    private MonthEndWiring(Env env, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this.given = null;
        this.env = env;
        this.dynamo = dynamo;
        this.clock = clock;
        this.originalTerms = originalTerms;
    }

    static MonthEndWiring fromEnvironment() {
        return new MonthEndWiring(System.getenv(), AwsClients.build(DynamoDbClient.builder(), Env.system().region()),
                Clock.systemUTC());
    }


    /** The ledger graph: the one given, or this wiring's tables ({@link DynamoDbLedger}). */
    public Ledger ledger() {
        return given != null ? given : new DynamoDbLedger(dynamo, env.required(EnvNames.LEDGER_TABLE), env.required(EnvNames.ACCOUNTS_TABLE),
                env.optional(EnvNames.AGGREGATES_TABLE).orElse(null), originalTerms, clock);
    }

    public MonthEndFanOut fanOut(StatementWorkQueue queue) {
        Ledger ledger = ledger();
        return new MonthEndFanOut(ledger.accounts(), queue, ledger.jobProgress(), clock, batchSize());
    }

    MonthEndFanOut fanOut() {
        SqsClient sqs = AwsClients.build(SqsClient.builder(), env.region());
        return fanOut(new SqsStatementWorkQueue(sqs, env.required(EnvNames.WORK_QUEUE_URL)));
    }

    /** The restatement run (S7.2) on the given queue. */
    public Restatement restatement(StatementWorkQueue queue) {
        Ledger ledger = ledger();
        return new Restatement(ledger.statements(), ledger.accounts(), queue, ledger.jobProgress(), clock, batchSize());
    }

    Restatement restatement() {
        SqsClient sqs = AwsClients.build(SqsClient.builder(), env.region());
        return restatement(new SqsStatementWorkQueue(sqs, env.required(EnvNames.WORK_QUEUE_URL)));
    }

    /**
     * The outbox sweep (S7.6) on the given senders: owed VoucherIssued and StatementCompensable
     * events older than {@link OutboxSweep#DEFAULT_MIN_AGE}, under the claims API's announcement
     * lease.
     */
    public OutboxSweep outboxSweep(StatementEvents statementEvents, VoucherEvents voucherEvents) {
        Ledger ledger = ledger();
        return new OutboxSweep(ledger.statements(), statementEvents, ledger.claims(), voucherEvents, clock,
                OutboxSweep.DEFAULT_MIN_AGE, OutboxSweep.DEFAULT_LEASE, SWEEP_BUDGET);
    }

    OutboxSweep outboxSweep() {
        Supplier<EventBridgeClient> eventBridge = lazyEventBridge();
        String bus = env.required(EnvNames.EVENT_BUS_NAME);
        return outboxSweep(new EventBridgeStatementEvents(eventBridge, bus), new EventBridgeVoucherEvents(eventBridge, bus));
    }

    /**
     * The month-end package's scheduled jobs by their name in schedules.json ({@code target}), wired on
     * the given queue and senders: what the local runtime fires on its simulated clock. A new job of
     * this package is one more entry here (and its schedule, handler and CDK function).
     *
     * @param forecastEvents where the forecast's status changes go (S9.8, {@code SlaAtRisk})
     * @param aggregates     the aggregates the forecast reads (the local runtime's engine)
     */
    public Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> scheduledJobs(
            StatementWorkQueue queue, StatementEvents statementEvents, VoucherEvents voucherEvents,
            ForecastEvents forecastEvents, AggregateRepository aggregates) {
        Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> jobs = new LinkedHashMap<>();
        jobs.put("month-end", new MonthEndHandler(fanOut(queue), terms()));
        jobs.put("restatement", new RestatementHandler(restatement(queue)));
        jobs.put("outbox-sweep", new OutboxSweepHandler(outboxSweep(statementEvents, voucherEvents)));
        jobs.put("forecast", forecastJob(forecastEvents, aggregates));
        return jobs;
    }

    // ---------------------------------------------------------------- the liability forecast (S9.8)

    /** How many accounts one forecast work message holds: the month-end's setting. */
    public MonthEndFanOut forecastFanOut(StatementWorkQueue queue) {
        Ledger ledger = ledger();
        return new MonthEndFanOut(ledger.accounts(), queue, ledger.jobProgress(), clock, batchSize());
    }

    /** Lambda's fan-out: the forecast's own queue, WORK_QUEUE_URL of its fan-out function. */
    MonthEndFanOut forecastFanOut() {
        SqsClient sqs = AwsClients.build(SqsClient.builder(), env.region());
        return forecastFanOut(new SqsStatementWorkQueue(sqs, env.required(EnvNames.WORK_QUEUE_URL)));
    }

    /** The forecast on {@code aggregates}, announcing status changes to {@code events}. */
    public LiabilityForecast liabilityForecast(ForecastEvents events, AggregateRepository aggregates) {
        return ledger().liabilityForecast(events, aggregates, LiabilityForecast.DEFAULT_SETTLE);
    }

    /** Lambda's worker: the aggregates table, SlaAtRisk on EVENT_BUS_NAME. */
    LiabilityForecast liabilityForecast() {
        Supplier<EventBridgeClient> eventBridge = lazyEventBridge();
        return liabilityForecast(new EventBridgeForecastEvents(eventBridge, env.required(EnvNames.EVENT_BUS_NAME)),
                ledger().aggregates());
    }

    public ForecastRepository forecasts() {
        return ledger().forecasts();
    }

    /**
     * The forecast job outside Lambda: the schedule's invocation of {@link ForecastHandler} fans out to
     * a queue in this process, then each message is handed to {@link ForecastWorkerHandler} as the SQS
     * event Lambda's mapping would give it (the deployed path through SQS is ForecastJobIT's).
     */
    RequestHandler<Map<String, Object>, Map<String, Object>> forecastJob(ForecastEvents events,
            AggregateRepository aggregates) {
        List<WorkMessage> queued = new ArrayList<>();
        ForecastHandler fanOut = new ForecastHandler(forecastFanOut((month, ids, kind) -> queued.add(
                new WorkMessage(month, ids, kind))), terms(), clock);
        ForecastWorkerHandler worker = new ForecastWorkerHandler(liabilityForecast(events, aggregates));
        return (input, context) -> {
            Map<String, Object> out = new LinkedHashMap<>(fanOut.handleRequest(input, context));
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < queued.size(); i++) {
                records.add(Map.of("messageId", "in-process-" + (i + 1), "body", queued.get(i).toJson()));
            }
            queued.clear();
            if (!records.isEmpty()) {
                out.put("batchItemFailures", worker.handleRequest(Map.of("Records", records), context)
                        .get("batchItemFailures"));
            }
            return out;
        };
    }

    public Clock clock() {
        return clock;
    }

    /** The S7.1 marking policy of the maintenance-window route. */
    public StaleMarks staleMarks() {
        return new StaleMarks(ledger().statements(), terms(), clock);
    }

    public StatementService statementService(StatementEvents events) {
        env.required(EnvNames.AGGREGATES_TABLE);
        return ledger().statementService(events);
    }

    /** The same service reading the aggregates from a given repository (the local runtime's in-process engine). */
    public StatementService statementService(StatementEvents events, AggregateRepository aggregates) {
        return ledger().statementService(events, aggregates);
    }

    StatementService statementService() {
        Supplier<EventBridgeClient> eventBridge = lazyEventBridge();
        return statementService(new EventBridgeStatementEvents(eventBridge, env.required(EnvNames.EVENT_BUS_NAME)));
    }

    /**
     * The EventBridge client of a Lambda wiring, built on the first event put rather than by the handler's
     * constructor: the statement worker announces only compensable statements, the outbox sweep only owed
     * events, the forecast worker only status changes ({@link AwsClients#lazy}).
     */
    private Supplier<EventBridgeClient> lazyEventBridge() {
        return AwsClients.lazy("EventBridge", () -> AwsClients.build(EventBridgeClient.builder(), env.region()));
    }

    public TermsRepository terms() {
        return ledger().terms();
    }

    public MaintenanceWindowRepository maintenanceWindows() {
        return ledger().maintenanceWindows();
    }

    /**
     * SnapStart priming (issue 11 item 3) of the three month-end handlers. Each runs its bundled
     * sample event (copies of events/monthend, see pom.xml) through a handler wired exactly as in
     * production but on SDK clients that answer from memory ({@link CannedClients}: marshalling,
     * signing and unmarshalling run, nothing leaves the process, so no message is queued, no event
     * published, no item written), then reads a ledger key that cannot exist through the real
     * DynamoDB client (HTTP client, credentials and endpoint warmed by a read of nothing).
     */
    Priming.Step[] fanOutPriming() {
        return new Priming.Step[] {
            Priming.step("sample schedule on canned DynamoDB and SQS", () -> {
                MonthEndWiring canned = canned();
                MonthEndFanOut fanOut = canned.fanOut(new SqsStatementWorkQueue(
                        CannedClients.build(SqsClient.builder(), env.region()), "https://sqs.invalid/000000000000/priming"));
                new MonthEndHandler(fanOut, canned.terms()).handleRequest(
                        SampleEvents.map(MonthEndWiring.class, SAMPLES + "scheduler-month-end-recompute.json"), null);
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] restatementPriming() {
        return new Priming.Step[] {
            Priming.step("restatement run on canned DynamoDB and SQS", () -> {
                MonthEndWiring canned = canned();
                new RestatementHandler(canned.restatement(new SqsStatementWorkQueue(
                        CannedClients.build(SqsClient.builder(), env.region()), "https://sqs.invalid/000000000000/priming")))
                        .handleRequest(Map.of(), null);
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] workerPriming() {
        return new Priming.Step[] {
            Priming.step("sample work message on canned DynamoDB and EventBridge", () -> {
                StatementService service = canned().statementService(new EventBridgeStatementEvents(
                        CannedClients.build(EventBridgeClient.builder(), env.region()), "priming"));
                new StatementWorkerHandler(service).handleRequest(
                        SampleEvents.sqs(MonthEndWiring.class, SAMPLES + "sqs-statement-work.json"), null);
            }),
            missingLedgerItem()
        };
    }

    /**
     * The sweep on canned clients (its Query requests answer nothing owed), then one sample of each
     * event it sends, through the same senders on a canned EventBridge client: the JSON and
     * PutEvents paths a sweep with work takes.
     */
    Priming.Step[] outboxSweepPriming() {
        return new Priming.Step[] {
            Priming.step("outbox sweep on canned DynamoDB and EventBridge", () -> {
                EventBridgeClient eventBridge = CannedClients.build(EventBridgeClient.builder(), env.region());
                new OutboxSweepHandler(canned().outboxSweep(new EventBridgeStatementEvents(eventBridge, "priming"),
                        new EventBridgeVoucherEvents(eventBridge, "priming"))).handleRequest(Map.of(), null);
            }),
            Priming.step("sample StatementCompensable and VoucherIssued on canned EventBridge", () -> {
                EventBridgeClient eventBridge = CannedClients.build(EventBridgeClient.builder(), env.region());
                Statement statement = primingStatement();
                new EventBridgeStatementEvents(eventBridge, "priming").compensableStatement(statement);
                new EventBridgeVoucherEvents(eventBridge, "priming").voucherIssued(new Claim("priming", "priming",
                        statement.month(), statement.computedAt(), ClaimDecision.accept(statement)));
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] forecastPriming() {
        return new Priming.Step[] {
            Priming.step("sample forecast schedule on canned DynamoDB and SQS", () -> {
                MonthEndWiring canned = canned();
                new ForecastHandler(canned.forecastFanOut(new SqsStatementWorkQueue(
                        CannedClients.build(SqsClient.builder(), env.region()), "https://sqs.invalid/000000000000/priming")),
                        canned.terms(), clock).handleRequest(
                                SampleEvents.map(MonthEndWiring.class, SAMPLES + "scheduler-month-end-recompute.json"), null);
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] forecastWorkerPriming() {
        return new Priming.Step[] {
            Priming.step("sample forecast work message on canned DynamoDB and EventBridge", () -> {
                MonthEndWiring canned = canned();
                LiabilityForecast forecast = canned.liabilityForecast(new EventBridgeForecastEvents(
                        CannedClients.build(EventBridgeClient.builder(), env.region()), "priming"),
                        canned.ledger().aggregates());
                new ForecastWorkerHandler(forecast).handleRequest(
                        SampleEvents.map(MonthEndWiring.class, SAMPLES + "sqs-statement-work.json"), null);
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] forecastApiPriming() {
        return new Priming.Step[] {
            Priming.step("sample GET /admin/forecast on canned DynamoDB", () -> new ForecastApiHandler(
                    canned().forecasts(), canned().terms(), clock).handleRequest(
                            SampleEvents.httpApi(MonthEndWiring.class, SAMPLES + "admin-get-forecast.json"), null)),
            missingLedgerItem()
        };
    }

    /** A compensable statement (10%, 100.00 EUR voucher) of an account that cannot exist. */
    private static Statement primingStatement() {
        Money fee = Money.of("1000.00", "EUR");
        return Statement.builder().accountId("priming").month(YearMonth.of(2026, 10))
                .periodDays(List.of(new DateRange(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 31))))
                .days(31).intervals(8928).errorRateSum(new BigDecimal("50")).availability(new BigDecimal("99.4400"))
                .termsVersion("priming").compensationPercent(BigDecimal.TEN).fee(Optional.of(fee))
                .voucherPaid(Optional.of(Money.of("0.00", "EUR"))).base(Optional.of(fee))
                .voucherAmount(Optional.of(Money.of("100.00", "EUR"))).currency(Optional.of(Currency.getInstance("EUR")))
                .claimOpensAt(OffsetDateTime.parse("2026-11-09T00:00Z"))
                .claimClosesAt(OffsetDateTime.parse("2027-01-01T00:00Z"))
                .revision(1).computedAt(Instant.parse("2026-11-01T00:30:00Z")).build();
    }

    Priming.Step[] maintenanceWindowsPriming() {
        return new Priming.Step[] {
            Priming.step("sample admin request on canned DynamoDB", () -> new MaintenanceWindowsHandler(
                    canned().maintenanceWindows(), canned().staleMarks()).handleRequest(
                            SampleEvents.httpApi(MonthEndWiring.class, SAMPLES + "admin-put-maintenance-window.json"),
                            null)),
            missingLedgerItem()
        };
    }

    private static final String SAMPLES = "/dev/slaledger/monthend/priming/";

    private MonthEndWiring canned() {
        return new MonthEndWiring(env, CannedClients.build(DynamoDbClient.builder(), env.region()), clock, originalTerms);
    }

    private Priming.Step missingLedgerItem() {
        return MissingItemRead.step(dynamo, env.required(EnvNames.LEDGER_TABLE), LedgerTable.PK, LedgerTable.SK);
    }

    private int batchSize() {
        return env.integer(EnvNames.WORK_BATCH_SIZE, DEFAULT_BATCH_SIZE);
    }

}
