package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.emulators.LambdaContext;
import dev.slaledger.emulators.SesEmulator;
import dev.slaledger.emulators.SqsEsm;
import dev.slaledger.notifier.notice.NoticeReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The real handlers of every function, each composed by its function's own wiring ({@link LocalFunctions})
 * on local engines ({@link LocalEngines}): on the emulators engine moto (DynamoDB, Kinesis, EventBridge
 * with the deployed rules, the deployed Scheduler schedules; server mode, single-threaded, a child
 * process on a loopback port) and ElasticMQ (SQS, loopback port), on the memory engine all of it in
 * this process, SQS included ({@link dev.slaledger.emulators.MemorySqs}). On both, the SES v2 emulator
 * when Node.js and {@code npm ci} are there (else a file
 * outbox of {@code .eml} files, {@link LocalMail}), and the claims API on a loopback HTTP port. The
 * schedules fire on the simulated clock ({@link #runSchedulesUntil}). One {@link SettableClock} drives
 * every handler.
 */
public final class LocalRuntime implements AutoCloseable {
    static final int KINESIS_BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How notices leave: the SES emulator, or files. */
    public enum MailMode { SES_EMULATOR, FILE_OUTBOX }

    /**
     * Where the state lives. {@code EMULATORS}: every table, the stream, the bus and the schedules on
     * moto (the real path, one HTTP round trip per item). {@code MEMORY}: all of it in this process
     * ({@link MemoryEngines}: the same ports with the tables' semantics), for replays at provider
     * scale; the handlers and their wirings are the same.
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
    private final LocalEngines engines;
    private final LocalQueues queues;
    private final LocalMail mail;
    private final EventRecorder events;
    private final LocalEventBus bus;
    private final LocalScheduler scheduler;
    private final LocalIngest ingest;
    private final LocalFunctions functions;
    private final ClaimsHttpServer claimsServer;
    private final List<NoticeReport> noticeReports = new ArrayList<>();
    private final List<Map<String, Object>> notifierRuns = new ArrayList<>();
    private Instant scheduledUntil;

    public LocalRuntime(Settings settings, SettableClock clock, PrintStream out) {
        this.out = out;
        this.settings = settings;
        this.clock = clock;
        engines = settings.engine() == Engine.MEMORY ? new MemoryEngines(settings.originalTerms(), clock, out)
                : EmulatorEngines.start(settings.originalTerms(), clock, out);
        bus = engines.bus();
        scheduler = engines.scheduler();
        scheduledUntil = clock.instant().minusMillis(1); // Scheduler starts a rate schedule at once
        queues = settings.engine() == Engine.MEMORY ? LocalQueues.inMemory(out) : LocalQueues.start(out);
        mail = LocalMail.start(settings, clock, out);
        events = new EventRecorder(out::println);
        ingest = new LocalIngest(engines.ingestHandler(), engines.stream().orElse(null), clock, out, this::context);
        functions = new LocalFunctions(new LocalFunctions.On(engines.ledger(), engines.aggregates(), bus,
                new BusEvents(bus, events), queues, mail, clock, out), noticeReports::add, this::termsPublished);
        // the schedule's notifier target: the dispatcher, then the workers draining the notice queue
        functions.jobs.put("notifier", (input, ctx) -> notifierRun(input));
        claimsServer = new ClaimsHttpServer(functions.claims, clock);
        out.println("  Claims API (ClaimsHandler behind a local HTTP API) on " + claimsServer.endpoint()
                + (settings.engine() == Engine.MEMORY ? " (replay's own claims: handed to it in this process)" : ""));
    }

    /** Each TermsPublished the TermsPublishedRule delivered runs the notifier handler now. */
    private void termsPublished(TermsVersion version) {
        for (String delivered : bus.drain(EventRules.TERMS_PUBLISHED)) {
            out.println("  [event bus, " + EventRules.TERMS_PUBLISHED + "] TermsPublished "
                    + version.version() + " -> notifier handler runs now");
            @SuppressWarnings("unchecked")
            Map<String, Object> event = JSON.convertValue(LocalEventBus.parse(delivered), Map.class);
            notifierRuns.add(notifierRun(event));
        }
    }

    private LambdaContext context(String function) {
        HandlerLog log = HandlerLog.current();
        return new LambdaContext(function, line -> log.line(function, line));
    }

    public SettableClock clock() {
        return clock;
    }

    public MailMode mailMode() {
        return mail.mode();
    }

    public Optional<FileOutbox> outbox() {
        return Optional.ofNullable(mail.outbox());
    }

    public Optional<SesEmulator> sesEmulator() {
        return Optional.ofNullable(mail.sesEmulator());
    }

    public EventRecorder events() {
        return events;
    }

    public URI claimsEndpoint() {
        return claimsServer.endpoint();
    }

    /**
     * A customer of the claims API: over the loopback port on the emulators engine; on the memory
     * engine the same requests answered in this thread (the same HTTP API events and handler, no
     * socket): a replay claims for every account, three round trips each (25 s of a 10,000-account
     * replay over the port).
     */
    public ClaimsClient claimsClient() {
        return settings.engine() == Engine.MEMORY ? ClaimsClient.inProcess(claimsServer)
                : new ClaimsClient(claimsServer.endpoint());
    }

    public List<TermsVersion> publishedTerms() {
        return engines.ledger().terms().published();
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
                functions.accounts.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                        context("sla-accounts"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            answer = out.toString(StandardCharsets.UTF_8);
        }
        return answer;
    }

    /** What {@link #importAccounts} did. */
    public record AccountsImport(int events, int items, int requests, int marks, int notices) {
    }

    /** Whether this engine loads an accounts file with batch writes ({@link #importAccounts}): the emulators. */
    public boolean importsAccounts() {
        return engines.accountsTable().isPresent();
    }

    /**
     * The emulators engine's load of billing events into its fresh accounts table, instead of
     * {@link #applyBillingEvent} for each: what the accounts handler would have done for each event
     * in this order, without the round trips. The registry's items with BatchWriteItem
     * ({@code DynamoDbAccountRepository.importIntoEmptyTable}: the adapter's own item images, folded
     * by billing version; the table must be empty); then, per event and in order, the handler's
     * stale marks (S7.1: the {@code StaleMarks} policy its wiring builds, with the answer apply would
     * have given, on the published terms read once);
     * then the events the {@code NoticeBillingEvents} rule would have delivered (new terms and
     * contacts) onto the notice queue, where the notifier's next run would have forwarded them. The events'
     * ids are the envelopes' own (on the bus, EventBridge gives each a new one). An event the
     * registry refuses (a billing version reused with other content) is thrown before anything is
     * written.
     *
     * @param events    the events, parsed by the accounts function's parser
     * @param envelopes their EventBridge envelopes, in the same order
     */
    public AccountsImport importAccounts(List<BillingEvent> events, List<String> envelopes,
            java.util.function.IntConsumer progress) {
        if (events.size() != envelopes.size()) {
            throw new IllegalArgumentException(events.size() + " events but " + envelopes.size() + " envelopes");
        }
        DynamoDbAccountRepository table = engines.accountsTable().orElseThrow(() -> new IllegalStateException(
                "the " + settings.engine() + " engine applies billing events through the handler"));
        DynamoDbAccountRepository.Imported imported = table.importIntoEmptyTable(events);
        // the handler's policy (AccountsWiring.staleMarks: the Ledger's marks, its terms, this clock) on the
        // terms read once: nothing publishes during the load, and the handler reads them for every event
        List<TermsVersion> published = List.copyOf(engines.ledger().terms().published());
        StaleMarks marking = new StaleMarks(engines.ledger().statements(), new TermsRepository() {
            @Override
            public List<TermsVersion> published() {
                return published;
            }

            @Override
            public boolean publish(TermsVersion version) {
                throw new UnsupportedOperationException("no terms are published while the accounts load");
            }
        }, clock);
        int marks = 0;
        for (int i = 0; i < events.size(); i++) {
            marks += marking.billingEventApplied(events.get(i), imported.results().get(i)).size();
            progress.accept(1);
        }
        // The bus's other rules: NoticeBillingEvents delivers new terms and contacts to a queue whose
        // messages the notifier's next run forwards to the notice queue (notifierRun); they go there
        // now. A rule this load does not know that would take billing events stops it.
        List<String> notices = List.of();
        for (Map.Entry<String, List<String>> rule : LocalEventBus.matchingByRule(envelopes).entrySet()) {
            if (rule.getKey().equals(EventRules.NOTICE_BILLING_EVENTS)) {
                notices = rule.getValue();
            } else if (!rule.getKey().equals(EventRules.BILLING_EVENTS) && !rule.getValue().isEmpty()) {
                throw new IllegalStateException("the rule " + rule.getKey() + " would deliver " + rule.getValue().size()
                        + " of the accounts' billing events, which the batch load does not deliver");
            }
        }
        queues.sendNotices(notices);
        return new AccountsImport(events.size(), imported.items(), imported.requests(), marks, notices.size());
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
            RequestHandler<Map<String, Object>, Map<String, Object>> job = functions.jobs.get(f.target());
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
        return ingest.ingest(records, labels, progress);
    }

    /**
     * One Kinesis event of at most 500 records (increasing sequence numbers on one shard) through the
     * deployed mapping and ingest handler ({@link LocalIngest}).
     */
    public IngestSummary ingestBatch(List<byte[]> records, IntFunction<String> label) {
        return ingest.batch(records, label);
    }

    /** Every quarantined record, read back from the quarantine, in input order. */
    public List<Quarantined> quarantined() {
        return engines.quarantined(ingest.labelsBySequence());
    }

    /** {@code PUT /admin/maintenance-windows} with a D4 window, through the maintenance-window handler. */
    public APIGatewayV2HTTPResponse putMaintenanceWindow(String windowJson) {
        return functions.maintenanceWindows.handleRequest(adminEvent("PUT", "/admin/maintenance-windows", windowJson),
                context("sla-maintenance-windows"));
    }

    /** {@code PUT /admin/terms} with a D5 version, through the publication handler (which runs the notifier). */
    public APIGatewayV2HTTPResponse publishTerms(String termsJson) {
        return functions.publishTerms.handleRequest(adminEvent("PUT", "/admin/terms", termsJson), context("sla-publish-terms"));
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
            queues.sendNotices(bus.drain(rule));
        }
        Map<String, Object> dispatch = functions.notifier.handleRequest(input, context("sla-notifier"));
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
        new SqsEsm(LocalQueues.NOTICE_MAPPING, queues.sqs(), queues.noticeQueueUrl(), event -> {
            SQSBatchResponse response = functions.noticeWorker.handleRequest(event, context("sla-notice-worker"));
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
        Map<String, Object> summary = new LinkedHashMap<>(functions.jobs.get("month-end").handleRequest(Map.of("month", month.toString()),
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
        return functions.jobs.get("forecast").handleRequest(Map.of(), context("sla-forecast"));
    }

    /**
     * A customer's {@code GET} on the claims API ({@code pathAndQuery}, e.g. {@code /statements/2026-10/intervals?limit=288})
     * as the local HTTP API hands it to {@code ClaimsHandler}, the caller being {@code accountId} (the JWT's
     * {@code sub}); in process, so any account id can be the caller (an HTTP header holds ASCII only).
     */
    public APIGatewayV2HTTPResponse customerGet(String accountId, String pathAndQuery) {
        return functions.claims.handleRequest(claimsServer.toEvent("GET", java.net.URI.create(pathAndQuery),
                Map.of(ClaimsHttpServer.ACCOUNT_HEADER, List.of(accountId)), new byte[0], "127.0.0.1"),
                context("sla-claims"));
    }

    /** {@code GET /admin/forecast?<query>} (IAM-authorized, provider only) through {@code ForecastApiHandler}. */
    public APIGatewayV2HTTPResponse adminForecast(Map<String, String> query) {
        APIGatewayV2HTTPEvent event = adminEvent("GET", "/admin/forecast", null);
        event.setQueryStringParameters(query);
        return new dev.slaledger.monthend.ForecastApiHandler(engines.ledger().forecasts(), engines.ledger().terms(),
                clock).handleRequest(event, context("sla-forecast-api"));
    }

    /**
     * The daily restatement run (S7.2): the scheduler's invocation of the restatement handler, then
     * the worker drains the queue (the same worker and queue as the month-end).
     */
    public Map<String, Object> runRestatement(Consumer<Integer> progress) {
        Map<String, Object> summary = new LinkedHashMap<>(functions.jobs.get("restatement").handleRequest(Map.of(),
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
        SqsEsm esm = new SqsEsm(LocalQueues.WORKER_MAPPING, queues.sqs(), queues.workQueue(), event -> {
            SQSBatchResponse response = functions.worker.handleRequest(event, context("sla-statement-worker"));
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
        return engines.ledger().statements().latest(accountId, month);
    }

    /** The stored aggregates of a statement's service period (what the statement was computed on), for the report. */
    public AccountMonthTraffic traffic(Statement s) {
        return traffic(s, governing(s));
    }

    /** The published version a statement names (the original terms when it names none published). */
    public TermsVersion governing(Statement s) {
        List<TermsVersion> published = engines.ledger().terms().published();
        return published.stream().filter(v -> v.version().equals(s.termsVersion())).findFirst()
                .orElse(settings.originalTerms());
    }

    public AccountMonthTraffic traffic(Statement s, TermsVersion governing) {
        ServicePeriod period = new ServicePeriod(s.month(), s.periodDays());
        long[] bounds = period.epochSecondBounds(governing.timeZone());
        return engines.aggregates().load(s.accountId(), Instant.ofEpochSecond(bounds[0]),
                Instant.ofEpochSecond(bounds[bounds.length - 1]));
    }

    /**
     * Runs a bulk ingest during which nothing recomputes a statement: on the in-process engine each
     * late account-month is marked stale once in the Ledger, not once per batch ({@link BulkMarks});
     * on the emulators every mark goes to moto, as in AWS.
     */
    public void bulkIngest(Runnable phase) {
        engines.bulkIngest(phase);
    }

    /** The (account, interval) keys the in-process engine holds; empty on the emulators. */
    public Optional<Long> aggregateKeysInMemory() {
        return engines.aggregateKeysInMemory();
    }

    public List<MaintenanceWindow> maintenanceWindows(Instant from, Instant to) {
        return engines.ledger().maintenanceWindows().overlapping(from, to);
    }

    @Override
    public void close() {
        claimsServer.close();
        mail.close();
        queues.close();
        engines.close();
    }
}
