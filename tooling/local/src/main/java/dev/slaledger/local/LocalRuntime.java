package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.accounts.AccountsHandler;
import dev.slaledger.accounts.AccountsWiring;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.memory.InMemoryAggregates;
import dev.slaledger.adapter.memory.InMemoryQuarantine;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbMaintenanceWindowRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbUndeliverableContacts;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeForecastEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeNotifierTrigger;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.claims.ClaimsConfig;
import dev.slaledger.claims.ClaimsHandler;
import dev.slaledger.claims.ClaimsWiring;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.SendingQuota;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.emulators.ElasticMq;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.KinesisStreamSource;
import dev.slaledger.emulators.LambdaContext;
import dev.slaledger.emulators.LocalAws;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.emulators.SesEmulator;
import dev.slaledger.emulators.SqsEsm;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.WindowedIngestHandler;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.monthend.MaintenanceWindowsHandler;
import dev.slaledger.monthend.MonthEndWiring;
import dev.slaledger.monthend.StatementWorkerHandler;
import dev.slaledger.notifier.NoticeWorkerHandler;
import dev.slaledger.notifier.NotifierHandler;
import dev.slaledger.notifier.NotifierWiring;
import dev.slaledger.notifier.PublishTermsHandler;
import dev.slaledger.notifier.notice.NoticeRenderer;
import dev.slaledger.notifier.notice.NoticeReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real handlers of every function, wired to local engines beside this process:
 * moto (DynamoDB; server mode, single-threaded, a child process on a loopback port), ElasticMQ (SQS, loopback port), the SES v2 emulator when Node.js
 * and {@code npm ci} are there (else a file outbox of {@code .eml} files), the claims API on a
 * loopback HTTP port, EventBridge on moto (the deployed rules, each delivering to a moto queue the
 * runtime hands to the rule's target) and the deployed Scheduler schedules created on moto and
 * fired on the simulated clock ({@link #runSchedulesUntil}). One {@link SettableClock} drives every handler.
 */
public final class LocalRuntime implements AutoCloseable {
    static final String AGGREGATES = "sla-local-aggregates";
    static final String QUARANTINE = "sla-local-quarantine";
    static final String LEDGER = "sla-local-ledger";
    static final String ACCOUNTS = "sla-local-accounts";
    static final String FROM = "sla-notices@provider.example";
    static final int KINESIS_BATCH = 500;
    /** The request stream on moto (emulators engine). */
    static final String STREAM = "sla-local-requests";
    /**
     * The partition key of every record put: the records are D1 bytes the runtime does not parse
     * (raw records and access-log payloads alike), and the stream has one shard, so a stable key.
     */
    static final String PARTITION_KEY = "local";
    /**
     * The mapping the CDK app deploys (kinesis-mapping.json: tumbling windows of 900 s, batches of up to
     * 2,000, bisection, retries until the records expire), on the deployed handler: each call hands its
     * records (events of up to 500) through it and ends the windows they opened.
     */
    /**
     * The statement worker's mapping: the deployed batch of work messages, one invocation at a time, the
     * deployed queue (visibility 12 minutes, the dead-letter queue after 5 receives); a failed message
     * stops the run here ({@link #drainWorkQueue}) instead of coming back.
     */
    /** The notice worker's mapping: the deployed batch of 5, one invocation at a time here. */
    static final SqsEsm.Settings NOTICE_MAPPING = new SqsEsm.Settings(5, Duration.ZERO, 1, Duration.ofMinutes(30),
            true, 3);
    static final SqsEsm.Settings WORKER_MAPPING = new SqsEsm.Settings(5, Duration.ZERO, 1, Duration.ofMinutes(12),
            true, 5);
    static final KinesisEsm.Settings MAPPING = KinesisEsm.Settings.deployed();
    /**
     * Sequence numbers: a fixed 38-digit prefix and an 18-digit counter (always 18 digits up to 10^17
     * records), so one is a string concatenation, not a BigInteger, per record.
     */
    private static final String SEQUENCE_PREFIX = "49590338271490256608559692538361571095";
    private static final long SEQUENCE_FIRST = 921575989136588898L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How notices leave: the SES emulator, or files. */
    public enum MailMode { SES_EMULATOR, FILE_OUTBOX }

    /**
     * Where the aggregates and the quarantine live. {@code EMULATORS}: tables on moto, as every other
     * table (the real path, one HTTP round trip per aggregate). {@code MEMORY}: in this process
     * ({@link InMemoryAggregates}, {@link InMemoryQuarantine}: the same ports with the tables'
     * semantics), for replays at provider scale; the handlers, the services and every other table
     * are the same.
     */
    public enum Engine { EMULATORS, MEMORY }

    public record Settings(Path workDirectory, Path repoRoot, TermsVersion originalTerms, boolean useSesEmulator,
            boolean verbose, Engine engine) {
        public Settings(Path workDirectory, Path repoRoot, TermsVersion originalTerms, boolean useSesEmulator,
                boolean verbose) {
            this(workDirectory, repoRoot, originalTerms, useSesEmulator, verbose, Engine.EMULATORS);
        }
    }

    /** What feeding records through the ingest handler did, summed over its Kinesis batches. */
    public record IngestSummary(long recordsIn, long aggregated, long quarantined, long failed, long batches) {
        IngestSummary plus(IngestSummary o) {
            return new IngestSummary(recordsIn + o.recordsIn, aggregated + o.aggregated, quarantined + o.quarantined,
                    failed + o.failed, batches + o.batches);
        }
    }

    /** One quarantined record, by the label its caller gave it (a line number). */
    public record Quarantined(String label, String reason, String detail) {
    }

    private final PrintStream out;
    private final Settings settings;
    private final SettableClock clock;
    private final MotoServer moto;
    private final DynamoDbClient dynamo;
    /** The request stream's client; null on the in-process engine (records go straight to the handler). */
    private final KinesisClient kinesis;
    /** Per shard, the last sequence number the mapping checkpointed. */
    private final Map<String, String> checkpoints = new HashMap<>();
    private final ElasticMq sqsServer;
    private final SqsClient sqs;
    private final String queueUrl;
    private final SqsEsm.Queue workQueue;
    private final MailMode mailMode;
    private final SesEmulator sesEmulator;
    private final FileOutbox outbox;
    private final EventRecorder events;
    private final LocalEventBus bus;
    private final BusEvents busEvents;
    private final LocalScheduler scheduler;
    /** The scheduled jobs of every function wiring, by their name in schedules.json ({@code target}). */
    private final Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> jobs = new HashMap<>();
    private Instant scheduledUntil;
    private final TermsRepository terms;
    private final WindowedIngestHandler ingest;
    private final AccountsHandler accounts;
    private final RequestHandler<Map<String, Object>, Map<String, Object>> monthEnd;
    private final RequestHandler<Map<String, Object>, Map<String, Object>> restatement;
    private final StatementWorkerHandler worker;
    private final MaintenanceWindowsHandler maintenanceWindows;
    private final ClaimsHandler claims;
    /** The notice dispatcher (hourly schedule, TermsPublished) and the worker draining its queue. */
    private final NotifierHandler notifier;
    private final NoticeWorkerHandler noticeWorker;
    private final String noticeQueueUrl;
    private final List<NoticeReport> noticeReports = new ArrayList<>();
    private final PublishTermsHandler publishTerms;
    private final ClaimsHttpServer claimsServer;
    private final List<Map<String, Object>> notifierRuns = new ArrayList<>();
    private final Map<String, String> labelsBySequence = new HashMap<>();
    /** The aggregates and quarantine of the in-process engine; null on the emulators. */
    private final InMemoryAggregates memoryAggregates;
    private final InMemoryQuarantine memoryQuarantine;
    private final BulkMarks bulkMarks;
    private long nextSequence;

    public LocalRuntime(Settings settings, SettableClock clock, PrintStream out) {
        this.out = out;
        this.settings = settings;
        this.clock = clock;
        long t0 = System.nanoTime();
        moto = MotoServer.start();
        dynamo = LocalAws.on(DynamoDbClient.builder(), moto.endpoint()).build();
        DynamoDbAggregateStore.createTable(dynamo, AGGREGATES);
        DynamoDbQuarantineStore.createTable(dynamo, QUARANTINE);
        LedgerTable.create(dynamo, LEDGER);
        AccountsTable.create(dynamo, ACCOUNTS);
        out.printf("  DynamoDB: moto %s (%s) on %s, 4 tables, ready in %.1f s%n", moto.version(), moto.python(),
                moto.endpoint().getAuthority(), (System.nanoTime() - t0) / 1e9);

        sqsServer = ElasticMq.start();
        sqs = LocalAws.on(SqsClient.builder(), sqsServer.endpoint()).build();
        workQueue = SqsEsm.createQueue(sqs, "sla-local-statement-work", WORKER_MAPPING);
        queueUrl = workQueue.url();
        noticeQueueUrl = sqs.createQueue(b -> b.queueName("sla-local-notice-work")).queueUrl();
        out.println("  ElasticMQ (SQS) on " + sqsServer.endpoint().getAuthority()
                + ", queues sla-local-statement-work, sla-local-notice-work");

        bus = new LocalEventBus(moto.endpoint());
        events = new EventRecorder(out::println);
        busEvents = new BusEvents(bus, events);
        out.println("  EventBridge: moto, bus " + LocalEventBus.BUS + " with the deployed rules ("
                + String.join(", ", EventRules.all().stream().map(EventRules.Rule::name).toList())
                + "), each delivering to a moto queue handed to its target");
        scheduler = new LocalScheduler(moto.endpoint(), settings.originalTerms().timeZone(), clock.instant());
        scheduledUntil = clock.instant().minusMillis(1); // Scheduler starts a rate schedule at once
        out.println("  Scheduler: moto holds the deployed schedules (" + String.join(", ",
                scheduler.stored().stream().map(LocalScheduler.Stored::name).toList())
                + "); they fire on the simulated clock, in " + settings.originalTerms().timeZone());

        NoticeMailer mailer;
        SendingQuota quota;
        Optional<Path> emulatorBin = settings.useSesEmulator() ? SesEmulator.find(settings.repoRoot())
                : Optional.empty();
        if (emulatorBin.isPresent()) {
            sesEmulator = SesEmulator.start(emulatorBin.get(), settings.workDirectory());
            outbox = null;
            mailMode = MailMode.SES_EMULATOR;
            SesV2Client ses = LocalAws.on(SesV2Client.builder(), sesEmulator.endpoint())
                    .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)))
                    .overrideConfiguration(c -> c.retryStrategy(SesMailSender.retryStrategy())
                            .apiCallAttemptTimeout(Duration.ofSeconds(5)))
                    .build();
            mailer = new SesMailSender(ses, FROM, Optional.empty());
            quota = new SesSendingQuota(ses); // the emulator's GetAccount: 14/s, 50,000 a day
            out.println("  SES: the aws-ses-v2-local emulator at " + sesEmulator.endpoint()
                    + " (its mail is also saved as " + settings.workDirectory().resolve("ses-store.json") + ")");
        } else {
            sesEmulator = null;
            outbox = new FileOutbox(settings.workDirectory().resolve("outbox"), FROM, clock);
            mailMode = MailMode.FILE_OUTBOX;
            mailer = outbox;
            // no SES: the quota SES gives a production account by default
            quota = () -> new SendingQuota.Quota(java.math.BigDecimal.valueOf(14), 50_000, 0);
            out.println("  SES: " + (settings.useSesEmulator()
                    ? "emulator not available (needs node on the PATH and `npm ci` at the repository root); "
                    : "")
                    + "notices are written as .eml files to " + outbox.directory() + " (a file outbox, nothing is sent)");
        }

        IngestWiring ingestWiring = new IngestWiring(IngestConfig.of(AGGREGATES, QUARANTINE, LEDGER), dynamo, clock,
                settings.originalTerms());
        if (settings.engine() == Engine.MEMORY) {
            memoryAggregates = new InMemoryAggregates();
            memoryQuarantine = new InMemoryQuarantine();
            bulkMarks = new BulkMarks(new DynamoDbStatementRepository(dynamo, LEDGER));
            ingest = ingestWiring.handler(memoryAggregates, memoryQuarantine, bulkMarks);
            out.println("  Aggregates and quarantine: in this process (--engine memory: the same ports with the "
                    + "tables' semantics; the other tables stay on moto)");
        } else {
            memoryAggregates = null;
            memoryQuarantine = null;
            bulkMarks = null;
            ingest = ingestWiring.handler(null, null, null);
        }
        if (settings.engine() == Engine.EMULATORS) {
            long k0 = System.nanoTime();
            kinesis = LocalAws.kinesis(moto.endpoint()).build(); // JSON, not CBOR: moto answers CBOR with HTTP 500
            kinesis.createStream(b -> b.streamName(STREAM).shardCount(1));
            for (int i = 0; kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                    .streamStatus() != StreamStatus.ACTIVE; i++) {
                if (i == 100) {
                    throw new IllegalStateException("stream " + STREAM + " on moto did not become active");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the stream was created", e);
                }
            }
            out.printf("  Kinesis: moto, stream %s (1 shard), read back by the event source mapping poller "
                    + "(the deployed mapping and windowed ingest handler, events of up to %d records), ready in %.1f s%n", STREAM,
                    KINESIS_BATCH, (System.nanoTime() - k0) / 1e9);
        } else {
            kinesis = null;
            out.println("  Kinesis: none (--engine memory: records handed to the deployed mapping and windowed ingest handler"
                    + " in this process)");
        }
        nextSequence = SEQUENCE_FIRST;
        MonthEndWiring wiring = new MonthEndWiring(Map.of(EnvNames.LEDGER_TABLE, LEDGER, EnvNames.ACCOUNTS_TABLE,
                ACCOUNTS, EnvNames.AGGREGATES_TABLE, AGGREGATES), dynamo, clock, settings.originalTerms());
        accounts = new AccountsWiring(new Env(Map.of(EnvNames.ACCOUNTS_TABLE, ACCOUNTS, EnvNames.LEDGER_TABLE, LEDGER)),
                dynamo, clock, settings.originalTerms()).handler();
        terms = wiring.terms();
        // the daily forecast (S9.8): its SlaAtRisk goes on the bus on moto (no rule delivers it)
        jobs.putAll(wiring.scheduledJobs(new SqsStatementWorkQueue(sqs, queueUrl), busEvents, busEvents,
                new EventBridgeForecastEvents(bus.client(), LocalEventBus.BUS), aggregates()));
        monthEnd = jobs.get("month-end");
        restatement = jobs.get("restatement");
        worker = new StatementWorkerHandler(memoryAggregates != null
                ? wiring.statementService(busEvents, memoryAggregates) : wiring.statementService(busEvents));
        maintenanceWindows = new MaintenanceWindowsHandler(wiring.maintenanceWindows(), wiring.staleMarks());
        claims = new ClaimsHandler(ClaimsWiring.create(new ClaimsConfig("local", LEDGER, ACCOUNTS, AGGREGATES,
                LocalEventBus.BUS, ClaimsConfig.DEFAULT_ACCOUNT_CLAIM), dynamo, settings.originalTerms(), aggregates(),
                busEvents, busEvents, clock, () -> UUID.randomUUID().toString()).api());
        NotifierWiring notices = new NotifierWiring(new Env(Map.of(EnvNames.LEDGER_TABLE, LEDGER,
                EnvNames.ACCOUNTS_TABLE, ACCOUNTS, EnvNames.AGGREGATES_TABLE, AGGREGATES)), dynamo, clock,
                settings.originalTerms());
        // the daily run also sends the eligibility notices and files automatic claims (S8); its
        // VoucherIssued goes through the bus on moto like the claims API's
        // The notices fan out through the notice queue (ElasticMQ) as deployed: the dispatcher pages
        // them onto it, the worker drains it (runNotifier). SQS delays run on the wall clock, so the
        // local queue sends every unit at once; a worker waiting for its send slot moves the
        // simulated clock, which the run then puts back (the timeline's instants stay its own).
        SqsNoticeWorkQueue noticeQueue = new SqsNoticeWorkQueue(sqs, noticeQueueUrl, false);
        notifier = new NotifierHandler(notices.dispatcher(noticeQueue, quota, true), clock);
        noticeWorker = new NoticeWorkerHandler(notices.worker(mailer, noticeQueue, when -> {
            if (when.isAfter(clock.instant())) {
                clock.set(when);
            }
        }, busEvents, busEvents, aggregates()), noticeQueue, clock, noticeReports::add);
        // the schedule's notifier target: the dispatcher, then the workers draining the notice queue
        jobs.put("notifier", (input, ctx) -> notifierRun(input));
        // The TermsPublished event goes on the bus on moto; the TermsPublishedRule delivers it to its
        // queue, and each delivered event runs the notifier handler at once, as the rule's Lambda
        // target would.
        EventBridgeNotifierTrigger trigger = new EventBridgeNotifierTrigger(bus.client(), LocalEventBus.BUS);
        publishTerms = new PublishTermsHandler(notices.publication(version -> {
            trigger.termsPublished(version);
            for (String delivered : bus.drain(EventRules.TERMS_PUBLISHED)) {
                out.println("  [event bus on moto, " + EventRules.TERMS_PUBLISHED + "] TermsPublished "
                        + version.version() + " -> notifier handler runs now");
                @SuppressWarnings("unchecked")
                Map<String, Object> event = JSON.convertValue(LocalEventBus.parse(delivered), Map.class);
                notifierRuns.add(notifierRun(event));
            }
        }, (version, e) -> out.println("  notifier failed after publishing " + version.version() + ": " + e), quota));
        claimsServer = new ClaimsHttpServer(claims, clock);
        out.println("  Claims API (ClaimsHandler behind a local HTTP API) on " + claimsServer.endpoint());
    }

    private LambdaContext context(String function) {
        HandlerLog log = HandlerLog.current();
        return new LambdaContext(function, line -> log.line(function, line));
    }

    public SettableClock clock() {
        return clock;
    }

    public MailMode mailMode() {
        return mailMode;
    }

    public Optional<FileOutbox> outbox() {
        return Optional.ofNullable(outbox);
    }

    public Optional<SesEmulator> sesEmulator() {
        return Optional.ofNullable(sesEmulator);
    }

    public EventRecorder events() {
        return events;
    }

    public URI claimsEndpoint() {
        return claimsServer.endpoint();
    }

    public List<TermsVersion> publishedTerms() {
        return terms.published();
    }

    /**
     * One EventBridge billing event (D2 turned into billing's events, as its envelope) put on the bus
     * on moto as billing would; the BillingEvents rule delivers it, and the accounts handler gets
     * the delivered envelope. Its answer.
     */
    public String applyBillingEvent(String eventJson) {
        bus.putBillingEvent(eventJson);
        List<String> delivered = bus.drain(EventRules.BILLING_EVENTS);
        if (delivered.isEmpty()) {
            throw new InvalidBillingEventException(null, "source", "the " + EventRules.BILLING_EVENTS
                    + " rule did not deliver it to the accounts handler (its source must be billing)");
        }
        String answer = null;
        for (String event : delivered) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                accounts.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                        context("sla-accounts"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            answer = out.toString(StandardCharsets.UTF_8);
        }
        return answer;
    }

    /** The schedules as moto holds them (what {@link #runSchedulesUntil} fires). */
    public List<LocalScheduler.Stored> schedules() {
        return scheduler.stored();
    }

    /**
     * Fires every schedule due after the last call (or since the runtime started) up to
     * {@code until}, in time order: the clock is set to each firing's instant and the schedule's
     * target runs with input {@code {}} (month-end and restatement then drain the work queue
     * through the worker); the clock is left at {@code until}. The firings, in order.
     */
    public List<LocalScheduler.Firing> runSchedulesUntil(Instant until) {
        if (until.isBefore(scheduledUntil)) {
            throw new IllegalArgumentException("the schedules already ran up to " + scheduledUntil
                    + "; the simulated clock does not go back to " + until);
        }
        List<LocalScheduler.Firing> due = scheduler.due(scheduledUntil, until);
        for (LocalScheduler.Firing f : due) {
            clock.set(f.at());
            RequestHandler<Map<String, Object>, Map<String, Object>> job = jobs.get(f.target());
            if (job == null) {
                throw new IllegalStateException("schedule " + f.schedule() + " targets " + f.target()
                        + ", which no function wiring's scheduledJobs() names");
            }
            Map<String, Object> run = job.handleRequest(Map.of(), context("sla-" + f.target()));
            if ("notifier".equals(f.target())) {
                notifierRuns.add(run);
            }
            drainWorkQueue(n -> { }); // what a job queued (month-end, restatement), the worker handles now
        }
        scheduledUntil = until;
        clock.set(until);
        return due;
    }

    /**
     * Feeds records, each one D1 record as a Kinesis record's data, through the ingest handler in
     * Kinesis events of up to 500 records on one shard ({@link #ingestBatch}).
     *
     * @param labels one label per record (e.g. "line 12"), used to name quarantined records
     */
    public IngestSummary ingest(List<byte[]> records, List<String> labels, Consumer<Integer> progress) {
        IngestSummary total = new IngestSummary(0, 0, 0, 0, 0);
        for (int from = 0; from < records.size(); from += KINESIS_BATCH) {
            int to = Math.min(records.size(), from + KINESIS_BATCH);
            int offset = from;
            total = total.plus(ingestBatch(records.subList(from, to), i -> labels.get(offset + i)));
            progress.accept(to - from);
        }
        return total;
    }

    /**
     * One Kinesis event of at most 500 records (increasing sequence numbers on one shard) through the
     * ingest handler, redelivering from the position the handler reports (as Lambda does) up to
     * three times. The labels of a batch are kept only when it quarantined something (to name those
     * records afterwards), so a stream of any length holds no per-record state.
     */
    public IngestSummary ingestBatch(List<byte[]> records, IntFunction<String> label) {
        if (records.size() > KINESIS_BATCH) {
            throw new IllegalArgumentException("a Kinesis event holds at most " + KINESIS_BATCH + " records");
        }
        if (kinesis == null) {
            return ingestDirect(records, label);
        }
        return records.isEmpty() ? new IngestSummary(0, 0, 0, 0, 0) : ingestThroughStream(records, label);
    }

    /**
     * The emulators engine: PutRecords on the stream on moto, then the event source mapping poller
     * ({@link KinesisEsm} over {@link KinesisStreamSource}, settings {@link #MAPPING}) reads them back
     * from the last checkpoint and invokes the ingest handler until every record is checkpointed.
     * The arrival the handler sees is the simulated clock's (moto stamps its wall clock).
     */
    private IngestSummary ingestThroughStream(List<byte[]> records, IntFunction<String> label) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (byte[] r : records) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(PARTITION_KEY)
                    .data(SdkBytes.fromByteArray(r)).build());
        }
        PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(STREAM).records(entries));
        if (put.failedRecordCount() != null && put.failedRecordCount() > 0) {
            throw new IllegalStateException("moto refused " + put.failedRecordCount() + " of " + records.size()
                    + " records: " + put.records().stream().filter(e -> e.errorCode() != null)
                            .map(PutRecordsResultEntry::errorMessage).findFirst().orElse(""));
        }
        KinesisStreamSource stream = new KinesisStreamSource(kinesis, STREAM);
        KinesisEsm.RecordSource fromCheckpoint = new KinesisEsm.RecordSource() {
            @Override
            public List<String> shards() {
                return stream.shards();
            }

            @Override
            public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
                return stream.read(shardId, afterSequence == null ? checkpoints.get(shardId) : afterSequence, max);
            }
        };
        long[] counts = drain(fromCheckpoint);
        for (PutRecordsResultEntry e : put.records()) {
            checkpoints.merge(e.shardId(), e.sequenceNumber(),
                    (a, b) -> new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b);
        }
        if (counts[1] > 0) {
            for (int i = 0; i < records.size(); i++) {
                labelsBySequence.put(put.records().get(i).sequenceNumber(), label.apply(i));
            }
        }
        return new IngestSummary(records.size(), counts[0], counts[1], counts[2], counts[3]);
    }

    /**
     * The deployed mapping ({@link #MAPPING}, {@link KinesisEsm}) over the records, invoking the windowed
     * handler until every record is checkpointed and the windows they opened are ended; the arrival the
     * handler sees is the simulated clock's. Returns aggregated, quarantined, failed (given up on) and
     * batches (invocations with records), from the handler's metric lines.
     */
    private long[] drain(KinesisEsm.RecordSource source) {
        long[] counts = new long[4];
        Date arrival = Date.from(clock.instant());
        KinesisEsm.Function function = KinesisEsm.windowed(event -> {
            event.getRecords().forEach(r -> r.getKinesis().setApproximateArrivalTimestamp(arrival));
            LambdaContext ctx = context("sla-ingest");
            var response = ingest.handleRequest(event, ctx);
            Map<String, Long> metrics = metricLine(ctx);
            counts[0] += metrics.getOrDefault("Aggregated", 0L);
            counts[1] += metrics.getOrDefault("Quarantined", 0L);
            counts[3] += event.getRecords().isEmpty() ? 0 : 1;
            return response;
        });
        KinesisEsm.Stats stats;
        try {
            stats = new KinesisEsm(MAPPING, source, function, KinesisEsm.Chaos.NONE).drain();
        } catch (KinesisEsm.Stuck stuck) {
            throw new IllegalStateException("ingest failed on the same batch " + KinesisEsm.STUCK_AFTER + " times: "
                    + stuck.getCause(), stuck);
        }
        if (stats.discardedRecords > 0) {
            out.println("  ingest failed on " + stats.discardedRecords + " records: the mapping gave up on them");
        }
        counts[2] = stats.discardedRecords;
        return counts;
    }

    /** The in-process engine: the records as a stream in memory, through the same mapping and handler. */
    private IngestSummary ingestDirect(List<byte[]> records, IntFunction<String> label) {
        String[] sequences = new String[records.size()];
        Instant arrival = clock.instant();
        dev.slaledger.emulators.InMemoryRecordSource source = new dev.slaledger.emulators.InMemoryRecordSource();
        for (int i = 0; i < records.size(); i++) {
            sequences[i] = SEQUENCE_PREFIX + nextSequence++;
            source.add(new KinesisEsm.SourceRecord("shardId-000000000000", sequences[i], PARTITION_KEY, arrival,
                    records.get(i)));
        }
        long[] counts = records.isEmpty() ? new long[4] : drain(source);
        if (counts[1] > 0) {
            for (int i = 0; i < sequences.length; i++) {
                labelsBySequence.put(sequences[i], label.apply(i));
            }
        }
        return new IngestSummary(records.size(), counts[0], counts[1], counts[2], counts[3]);
    }

    /** The counts of the ingest handler's CloudWatch EMF line. */
    private static Map<String, Long> metricLine(LambdaContext ctx) {
        for (String line : ctx.lines()) {
            if (line.startsWith("{\"_aws\"")) {
                try {
                    JsonNode n = JSON.readTree(line);
                    Map<String, Long> out = new HashMap<>();
                    n.fields().forEachRemaining(e -> {
                        if (e.getValue().isNumber()) {
                            out.put(e.getKey(), e.getValue().asLong());
                        }
                    });
                    return out;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("the ingest handler logged no metric line");
    }

    /** Every quarantined record, read back from the quarantine table, in input order. */
    public List<Quarantined> quarantined() {
        if (memoryQuarantine != null) {
            return memoryQuarantine.entries().stream().map(q -> new Quarantined(
                    labelsBySequence.getOrDefault(q.sequenceNumber(), q.sequenceNumber()), q.reason().name(),
                    q.detail() == null ? "" : q.detail())).toList();
        }
        Map<BigInteger, Quarantined> bySequence = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(QUARANTINE)).items().forEach(item -> {
            String sequence = item.get("sq").s();
            bySequence.put(new BigInteger(sequence), new Quarantined(
                    labelsBySequence.getOrDefault(sequence, sequence), item.get("r").s(),
                    Optional.ofNullable(item.get("d")).map(AttributeValue::s).orElse("")));
        });
        return List.copyOf(bySequence.values());
    }

    /** {@code PUT /admin/maintenance-windows} with a D4 window, through the maintenance-window handler. */
    public APIGatewayV2HTTPResponse putMaintenanceWindow(String windowJson) {
        return maintenanceWindows.handleRequest(adminEvent("PUT", "/admin/maintenance-windows", windowJson),
                context("sla-maintenance-windows"));
    }

    /** {@code PUT /admin/terms} with a D5 version, through the publication handler (which runs the notifier). */
    public APIGatewayV2HTTPResponse publishTerms(String termsJson) {
        return publishTerms.handleRequest(adminEvent("PUT", "/admin/terms", termsJson), context("sla-publish-terms"));
    }

    /** The notifier's scheduled run ({@code {}} from the scheduler): the dispatcher, then the workers. */
    public Map<String, Object> runNotifier() {
        Map<String, Object> run = notifierRun(Map.of());
        notifierRuns.add(run);
        return run;
    }

    /**
     * One dispatcher invocation with {@code input} and the worker draining the notice queue, as the
     * deployed event source does; first, the events the notice rules delivered (StatementCompensable,
     * billing events) go onto the queue, as their SQS targets would have put them. The answer has the
     * dispatcher's output under {@code dispatch}, and the workers' change notices ({@code counts},
     * {@code SENT}, the outcomes an operator looks at) and eligibility notices ({@code eligibility}),
     * the shape the demo and the replay print.
     */
    private Map<String, Object> notifierRun(Map<String, Object> input) {
        Instant started = clock.instant();
        for (String rule : List.of(EventRules.NOTICE_STATEMENT_EVENTS, EventRules.NOTICE_BILLING_EVENTS)) {
            for (String event : bus.drain(rule)) {
                sqs.sendMessage(b -> b.queueUrl(noticeQueueUrl).messageBody(event));
            }
        }
        Map<String, Object> dispatch = notifier.handleRequest(input, context("sla-notifier"));
        noticeReports.clear();
        drainNoticeQueue();
        NoticeReport total = new NoticeReport();
        noticeReports.forEach(total::addAll);
        clock.set(started); // the workers' waits for send slots moved it
        Map<String, Object> out = new LinkedHashMap<>();
        Object trigger = input.get("detail-type");
        out.put("trigger", trigger == null ? "schedule" : trigger.toString());
        out.putAll(outcomes(total, false));
        out.put("eligibility", outcomes(total, true));
        out.put("dispatch", dispatch);
        return out;
    }

    /** The change notices' or the eligibility notices' part of a report, in the handler's old shape. */
    private static Map<String, Object> outcomes(NoticeReport report, boolean eligibility) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (NoticeReport.Outcome o : NoticeReport.Outcome.values()) {
            counts.put(o.name(), eligibility ? report.eligibilityCount(o)
                    : report.count(o) - report.eligibilityCount(o));
        }
        out.put("counts", counts);
        for (NoticeReport.Outcome o : NoticeReport.Outcome.values()) {
            List<Map<String, String>> entries = report.entries(o).stream()
                    .filter(e -> NoticeReport.isEligibility(e.key()) == eligibility)
                    .map(e -> Map.of("accountId", e.accountId(), "version", e.key(),
                            o == NoticeReport.Outcome.SENT ? "messageId" : "detail", e.detail()))
                    .toList();
            if (!entries.isEmpty() && o != NoticeReport.Outcome.ALREADY_SENT && o != NoticeReport.Outcome.NOTHING_OWED) {
                out.put(o.name(), entries);
            }
        }
        return out;
    }

    /**
     * Hands the notice queue's messages to the worker handler through the SQS event source mapping
     * ({@link SqsEsm}, the deployed batch of 5) until none is visible. A message the worker fails is
     * reported and dropped (in AWS it would be retried, then go to the dead-letter queue).
     */
    private void drainNoticeQueue() {
        new SqsEsm(NOTICE_MAPPING, sqs, noticeQueueUrl, event -> {
            SQSBatchResponse response = noticeWorker.handleRequest(event, context("sla-notice-worker"));
            response.getBatchItemFailures().forEach(f -> out.println("  the notice worker failed message "
                    + f.getItemIdentifier() + " (run with --verbose to see its log); in AWS it would go to the"
                    + " dead-letter queue"));
            return new SQSBatchResponse(List.of());
        }).drain();
    }

    public List<Map<String, Object>> notifierRuns() {
        return List.copyOf(notifierRuns);
    }

    /** The HTTP API 2.0 event of an IAM-authorized admin route, as API Gateway hands it to the function. */
    static APIGatewayV2HTTPEvent adminEvent(String method, String path, String body) {
        APIGatewayV2HTTPEvent.RequestContext ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withStage("$default").withRouteKey(method + " " + path).withRequestId(UUID.randomUUID().toString())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                        .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                .build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(method + " " + path)
                .withRawPath(path).withHeaders(Map.of("content-type", "application/json"))
                .withBody(body).withIsBase64Encoded(false).withRequestContext(ctx).build();
    }

    /** Month-end: the scheduler's invocation for the month, then the worker drains the queue. */
    public Map<String, Object> runMonthEnd(YearMonth month, Consumer<Integer> progress) {
        Map<String, Object> summary = new LinkedHashMap<>(monthEnd.handleRequest(Map.of("month", month.toString()),
                context("sla-month-end")));
        summary.put("workMessagesHandled", drainWorkQueue(progress));
        return summary;
    }

    /**
     * The daily liability forecast (S9.8) as its schedule fires it, with the clock at {@code at}: the
     * Lambda code ({@code ForecastHandler}'s fan-out of the month under way, then
     * {@code ForecastWorkerHandler} on each work message), on this runtime's aggregates. The clock is left at {@code at}.
     */
    public Map<String, Object> runForecast(Instant at) {
        clock.set(at);
        return jobs.get("forecast").handleRequest(Map.of(), context("sla-forecast"));
    }

    /**
     * A customer's {@code GET} on the claims API ({@code pathAndQuery}, e.g. {@code /statements/2026-10/intervals?limit=288})
     * as the local HTTP API hands it to {@code ClaimsHandler}, the caller being {@code accountId} (the JWT's
     * {@code sub}); in process, so any account id can be the caller (an HTTP header holds ASCII only).
     */
    public APIGatewayV2HTTPResponse customerGet(String accountId, String pathAndQuery) {
        return claims.handleRequest(claimsServer.toEvent("GET", java.net.URI.create(pathAndQuery),
                Map.of(ClaimsHttpServer.ACCOUNT_HEADER, List.of(accountId)), new byte[0], "127.0.0.1"),
                context("sla-claims"));
    }

    /** {@code GET /admin/forecast?<query>} (IAM-authorized, provider only) through {@code ForecastApiHandler}. */
    public APIGatewayV2HTTPResponse adminForecast(Map<String, String> query) {
        APIGatewayV2HTTPEvent event = adminEvent("GET", "/admin/forecast", null);
        event.setQueryStringParameters(query);
        return new dev.slaledger.monthend.ForecastApiHandler(
                new dev.slaledger.adapter.dynamodb.DynamoDbForecastRepository(dynamo, LEDGER), terms, clock)
                .handleRequest(event, context("sla-forecast-api"));
    }

    /**
     * The daily restatement run (S7.2): the scheduler's invocation of the restatement handler, then
     * the worker drains the queue (the same worker and queue as the month-end).
     */
    public Map<String, Object> runRestatement(Consumer<Integer> progress) {
        Map<String, Object> summary = new LinkedHashMap<>(restatement.handleRequest(Map.of(),
                context("sla-restatement")));
        summary.put("workMessagesHandled", drainWorkQueue(progress));
        return summary;
    }

    /**
     * The statement worker under the work queue's event source mapping ({@link #WORKER_MAPPING}) until the
     * queue is empty; the messages handled.
     */
    private int drainWorkQueue(Consumer<Integer> progress) {
        int[] failed = {0};
        SqsEsm esm = new SqsEsm(WORKER_MAPPING, sqs, workQueue, event -> {
            SQSBatchResponse response = worker.handleRequest(event, context("sla-statement-worker"));
            failed[0] += response.getBatchItemFailures().size();
            progress.accept(event.getRecords().size() - response.getBatchItemFailures().size());
            return response;
        }).stuckAfter(2); // a work message failed once stops the run (never redelivered here)
        try {
            return (int) esm.drain().deleted;
        } catch (SqsEsm.Stuck e) {
            throw new IllegalStateException("the statement worker failed " + failed[0]
                    + " work messages (run with --verbose to see its log)", e);
        }
    }

    public Optional<Statement> statement(String accountId, YearMonth month) {
        return new DynamoDbStatementRepository(dynamo, LEDGER).latest(accountId, month);
    }

    /** The stored aggregates of a statement's service period (what the statement was computed on), for the report. */
    public AccountMonthTraffic traffic(Statement s) {
        return traffic(s, governing(s));
    }

    /** The published version a statement names (the original terms when it names none published). */
    public TermsVersion governing(Statement s) {
        List<TermsVersion> published = terms.published();
        return published.stream().filter(v -> v.version().equals(s.termsVersion())).findFirst()
                .orElse(settings.originalTerms());
    }

    public AccountMonthTraffic traffic(Statement s, TermsVersion governing) {
        ServicePeriod period = new ServicePeriod(s.month(), s.periodDays());
        long[] bounds = period.epochSecondBounds(governing.timeZone());
        return aggregates().load(s.accountId(), Instant.ofEpochSecond(bounds[0]),
                Instant.ofEpochSecond(bounds[bounds.length - 1]));
    }

    /**
     * Runs a bulk ingest during which nothing recomputes a statement: on the in-process engine each
     * late account-month is marked stale once in the Ledger, not once per batch ({@link BulkMarks});
     * on the emulators every mark goes to moto, as in AWS.
     */
    public void bulkIngest(Runnable phase) {
        if (bulkMarks != null) {
            bulkMarks.bulk(phase);
        } else {
            phase.run();
        }
    }

    /** The aggregates' read role on the chosen engine. */
    private AggregateRepository aggregates() {
        return memoryAggregates != null ? memoryAggregates : new DynamoDbAggregateRepository(dynamo, AGGREGATES);
    }

    /** The (account, interval) keys the in-process engine holds; empty on the emulators. */
    public Optional<Long> aggregateKeysInMemory() {
        return Optional.ofNullable(memoryAggregates).map(InMemoryAggregates::keys);
    }

    public List<MaintenanceWindow> maintenanceWindows(Instant from, Instant to) {
        return new DynamoDbMaintenanceWindowRepository(dynamo, LEDGER).overlapping(from, to);
    }

    @Override
    public void close() {
        claimsServer.close();
        if (sesEmulator != null) {
            sesEmulator.close();
        }
        sqs.close();
        sqsServer.close();
        bus.close();
        scheduler.close();
        dynamo.close();
        if (kinesis != null) {
            kinesis.close();
        }
        moto.close();
    }
}
