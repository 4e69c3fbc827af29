package dev.slaledger.benchmarks.harness;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.benchmarks.rehearsal.Rehearsal;
import dev.slaledger.benchmarks.rehearsal.Suites;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.IngestService;
import dev.slaledger.lambda.Env;
import dev.slaledger.monthend.MaintenanceWindowsHandler;
import dev.slaledger.monthend.MonthEndHandler;
import dev.slaledger.monthend.MonthEndWiring;
import dev.slaledger.monthend.OutboxSweepHandler;
import dev.slaledger.monthend.RestatementHandler;
import dev.slaledger.monthend.StatementWorkerHandler;
import dev.slaledger.emulators.SqsEsm;
import dev.slaledger.notifier.NoticeWorkerHandler;
import dev.slaledger.notifier.NotifierHandler;
import dev.slaledger.notifier.NotifierWiring;
import dev.slaledger.priming.SampleEvents;
import dev.slaledger.testkit.Engines;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 27 item 6: keeps the rehearsal's model honest. The same jobs run twice at the same size
 * (default 2,000 accounts): on the engines (moto for DynamoDB and EventBridge, ElasticMQ for SQS, the
 * SES emulator) with the real adapters and composition roots, every request counted by an SDK
 * interceptor; and in the rehearsal, on the twins metered by its DynamoDB model. For each job and
 * operation it prints the requests per account of both and their ratio; they must agree within 10%.
 *
 * <p>Arguments: {@code [accounts=2000]}. Needs moto (SLA_MOTO_PYTHON) and {@code npm ci} (the SES
 * emulator), like the integration tests.
 */
public final class ModelAgreementHarness {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final int COMPENSABLE_EVERY = 20;

    private ModelAgreementHarness() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        boolean agree = agreement(accounts).values().stream().allMatch(ModelAgreementHarness::within10Percent);
        System.exit(agree ? 0 : 1);
    }

    /**
     * Runs every job at {@code accounts} accounts on the engines and in the rehearsal, prints the table and
     * returns, per job, the rehearsal's requests per account over the engines' ({@code ModelAgreementIT}
     * runs it at a small size in every build).
     */
    public static Map<String, Double> agreement(int accounts) throws Exception {
        Map<String, Map<String, Double>> model = inRehearsal(accounts);
        // each job's rows as soon as it has run on the engines, so a run stopped later keeps them
        Map<String, Map<String, Double>> engines = onEngines(accounts,
                (job, figures) -> report(accounts, Map.of(job, figures), model));
        return report(accounts, engines, model);
    }

    /** Item 6's bar: the model's requests per account within 10% of the engines'. */
    public static boolean within10Percent(double ratio) {
        return Math.abs(ratio - 1) <= 0.10;
    }

    /** Per job: operation -> requests per account, on the engines. */
    private static Map<String, Map<String, Double>> onEngines(int n,
            java.util.function.BiConsumer<String, Map<String, Double>> done) throws Exception {
        Engines e = Engines.get();
        RequestTally tally = new RequestTally();
        DynamoDbClient setup = e.dynamoDbClient();
        DynamoDbClient dynamo = e.dynamoDb().overrideConfiguration(c -> c.addExecutionInterceptor(tally)).build();
        SqsClient sqs = e.sqs().overrideConfiguration(c -> c.addExecutionInterceptor(tally)).build();
        SqsClient poller = e.sqs().build();
        SesV2Client ses = e.sesV2().overrideConfiguration(c -> c.addExecutionInterceptor(tally)).build();
        EventBridgeClient events = EventBridgeClient.builder().endpointOverride(e.dynamoDbEndpoint())
                .region(e.region()).credentialsProvider(e.credentials())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(tally)).build();
        String suffix = "-agree-" + n;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LEDGER_TABLE", "ledger" + suffix);
        env.put("ACCOUNTS_TABLE", "accounts" + suffix);
        env.put("AGGREGATES_TABLE", "aggregates" + suffix);
        env.put("EVENT_BUS_NAME", "bus" + suffix);
        env.put("WORK_BATCH_SIZE", "25");
        env.put("AWS_REGION", "eu-west-1");
        env.put("SES_FROM_ADDRESS", "sla-notices@provider.example");
        LedgerTable.create(setup, env.get("LEDGER_TABLE"));
        AccountsTable.create(setup, env.get("ACCOUNTS_TABLE"));
        DynamoDbAggregateStore.createTable(setup, env.get("AGGREGATES_TABLE"));
        DynamoDbQuarantineStore.createTable(setup, "quarantine" + suffix);
        events.createEventBus(b -> b.name(env.get("EVENT_BUS_NAME")));
        e.mailbox().allowSender("sla-notices@provider.example", null);
        String queueUrl = poller.createQueue(b -> b.queueName("statement-work" + suffix)).queueUrl();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(String.format("acct-%07d", i));
        }
        long t0 = System.nanoTime();
        // a term of October to December 2026 (each month a term touches is one more item in the account's
        // transaction, and moto copies its tables for every transaction: the rehearsal world's term to
        // December 2027 made registration grow moto past 20 GB at 2,000 accounts) and a contact address;
        // the change notices' version is effective within that term (below), so it applies to every account
        RestatementHarness.registerAccounts(setup, env.get("ACCOUNTS_TABLE"), ids, true);
        // moved by hand to each job's instant; a send waiting for its slot moves it instead of sleeping
        SettableClock clock = new SettableClock("2026-10-31T23:00:00Z");
        IngestService ingest = new IngestWiring(IngestConfig.of(env.get("AGGREGATES_TABLE"), "quarantine" + suffix,
                env.get("LEDGER_TABLE")), setup, clock).service();
        traffic(ingest, ids, 0);
        System.out.printf("engines: %s; %,d accounts registered, traffic ingested in %.0f s%n", e.kind(), n,
                (System.nanoTime() - t0) / 1e9);

        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        MonthEndWiring wiring = new MonthEndWiring(env, dynamo, clock, DefaultTerms.version());
        StatementWorkerHandler worker = new StatementWorkerHandler(wiring.statementService(
                new EventBridgeStatementEvents(events, env.get("EVENT_BUS_NAME"))));

        clock.set("2026-11-01T00:30:00Z");
        tally.reset();
        new MonthEndHandler(wiring.fanOut(new SqsStatementWorkQueue(sqs, queueUrl)), wiring.terms())
                .handleRequest(Map.of(), null);
        RestatementHarness.drain(poller, queueUrl, worker);
        out.put("month-end", perAccount(tally, n));
        done.accept("month-end", out.get("month-end"));

        clock.set("2026-11-01T01:00:00Z");
        tally.reset();
        new OutboxSweepHandler(wiring.outboxSweep(new EventBridgeStatementEvents(events, env.get("EVENT_BUS_NAME")),
                new EventBridgeVoucherEvents(events, env.get("EVENT_BUS_NAME")))).handleRequest(Map.of(), null);
        out.put("outbox sweep, nothing pending", perAccount(tally, 1));
        done.accept("outbox sweep, nothing pending", out.get("outbox sweep, nothing pending"));

        clock.set("2026-11-01T12:00:00Z");
        List<String> stale = new ArrayList<>();
        for (int i = 50; i < n; i += 100) {
            stale.add(ids.get(i));
        }
        traffic(ingest, stale, 30); // late traffic: ingest stores it and marks the account-month
        clock.set("2026-11-02T03:00:00Z");
        tally.reset();
        new RestatementHandler(wiring.restatement(new SqsStatementWorkQueue(sqs, queueUrl))).handleRequest(Map.of(), null);
        RestatementHarness.drain(poller, queueUrl, worker);
        out.put("daily restatement, 1% stale", perAccount(tally, stale.size()));
        done.accept("daily restatement, 1% stale", out.get("daily restatement, 1% stale"));

        clock.set("2026-11-02T12:00:00Z");
        tally.reset();
        MaintenanceWindowsHandler admin = new MaintenanceWindowsHandler(wiring.maintenanceWindows(),
                wiring.staleMarks());
        // as the rehearsal's job: recorded, changed, withdrawn and the withdrawal retried, another recorded
        window(admin, "PUT", "{\"id\":\"mw-all-2026-10-10\",\"start\":\"2026-10-10T00:00:00Z\","
                + "\"end\":\"2026-10-10T02:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}", null);
        window(admin, "PUT", "{\"id\":\"mw-all-2026-10-10\",\"start\":\"2026-10-10T00:00:00Z\","
                + "\"end\":\"2026-10-10T04:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}", null);
        window(admin, "DELETE", null, "mw-all-2026-10-10");
        window(admin, "DELETE", null, "mw-all-2026-10-10");
        window(admin, "PUT", "{\"id\":\"mw-all-2026-10-11\",\"start\":\"2026-10-10T00:00:00Z\","
                + "\"end\":\"2026-10-10T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}", null);
        clock.set("2026-11-03T03:00:00Z");
        new RestatementHandler(wiring.restatement(new SqsStatementWorkQueue(sqs, queueUrl))).handleRequest(Map.of(), null);
        RestatementHarness.drain(poller, queueUrl, worker);
        out.put("maintenance window for all accounts", perAccount(tally, n));
        done.accept("maintenance window for all accounts", out.get("maintenance window for all accounts"));

        clock.set("2026-11-02T09:00:00Z");
        new DynamoDbTermsRepository(setup, env.get("LEDGER_TABLE"), DefaultTerms.version()).publish(
                TermsParser.parse(TermsParser.toJson(DefaultTerms.version())
                        .replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\":\"2026-12\"")
                        .replace("2026-01-01", "2026-12-15"))); // 30 days' notice from 2026-11-02 fits
        tally.reset();
        // the notice flow as deployed: the dispatcher pages this hour's share onto the notice queue, the
        // workers (the queue's mapping) decide and send at the shared send schedule
        NotifierWiring notifier = new NotifierWiring(new Env(env), dynamo, clock, DefaultTerms.version());
        String noticeUrl = poller.createQueue(b -> b.queueName("notice-work" + suffix)).queueUrl();
        SqsNoticeWorkQueue noticeQueue = new SqsNoticeWorkQueue(sqs, noticeUrl, false);
        new NotifierHandler(notifier.dispatcher(noticeQueue, new SesSendingQuota(ses), true), clock)
                .handleRequest(Map.of(), null);
        NoticeWorkerHandler noticeWorker = new NoticeWorkerHandler(notifier.worker(
                new SesMailSender(ses, "sla-notices@provider.example", Optional.empty()), noticeQueue,
                clock::advanceTo, new EventBridgeVoucherEvents(events, env.get("EVENT_BUS_NAME")),
                new EventBridgeStatementEvents(events, env.get("EVENT_BUS_NAME"))), noticeQueue, clock, r -> { });
        new SqsEsm(new SqsEsm.Settings(5, Duration.ZERO, 1, Duration.ofSeconds(1800), true, 0), poller, noticeUrl,
                ev -> noticeWorker.handleRequest(ev, null)).stuckAfter(2).drain();
        out.put("change notices", perAccount(tally, n));
        done.accept("change notices", out.get("change notices"));
        return out;
    }

    private static void window(MaintenanceWindowsHandler admin, String method, String body, String id) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi(MonthEndWiring.class,
                "/dev/slaledger/monthend/priming/admin-put-maintenance-window.json");
        event.getRequestContext().getHttp().setMethod(method);
        event.setBody(body);
        if (id != null) {
            event.setPathParameters(Map.of("id", id));
        }
        int status = admin.handleRequest(event, null).getStatusCode();
        if (status >= 300) {
            throw new IllegalStateException(method + " window answered " + status);
        }
    }

    /**
     * A few intervals of October traffic per account, as the rehearsal's synthetic aggregates have them:
     * 20 failing intervals for every 20th account (compensable), 2 at 10% errors for the others; or
     * {@code late} failing intervals more (late traffic).
     */
    private static void traffic(IngestService ingest, List<String> ids, int late) {
        List<StreamRecord> batch = new ArrayList<>();
        BigInteger seq = new BigInteger("49590338271490256608559692538361571095921575989136588898")
                .add(BigInteger.valueOf(late * 1_000_000L));
        for (String id : ids) {
            int index = Integer.parseInt(id.substring(5));
            boolean compensable = index % COMPENSABLE_EVERY == 0;
            long start = OCT.atDay(10).atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 300L * (index % 97);
            int failing = late > 0 ? late : compensable ? 20 : 0;
            int partial = late > 0 || compensable ? 0 : 2;
            int offset = late > 0 ? 40 : 0;
            for (int k = 0; k < failing + partial; k++) {
                long errors = k < failing ? 1000 : 100;
                String line = "{\"accountId\":\"" + id + "\",\"intervalStart\":\""
                        + Instant.ofEpochSecond(start + 300L * (k + offset)) + "\",\"valid\":1000,\"errors\":" + errors
                        + "}";
                seq = seq.add(BigInteger.ONE);
                batch.add(new StreamRecord("shardId-000000000000", seq.toString(), Instant.parse("2026-11-01T00:00:00Z"),
                        line.getBytes(StandardCharsets.UTF_8)));
                if (batch.size() == 500) {
                    ingest.ingest(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            ingest.ingest(batch);
        }
    }

    /** The tally's requests per account: {@code Service.Operation} -> requests / accounts. */
    private static Map<String, Double> perAccount(RequestTally tally, int accounts) {
        Map<String, Double> out = new TreeMap<>();
        tally.snapshot().forEach((k, line) -> out.put(k.replace("DynamoDb.", "DynamoDB ").replace("Sqs.", "SQS ")
                .replace("EventBridge.", "EventBridge ").replace("SESv2.", "SES ").replace("SesV2.", "SES "),
                line.requests / (double) accounts));
        return out;
    }

    /** The same jobs in the rehearsal at the same size: operation -> requests per account. */
    private static Map<String, Map<String, Double>> inRehearsal(int n) {
        Rehearsal.Params p = Rehearsal.Params.defaults(n);
        Rehearsal.Result monthEnd = Suites.monthEnd(p);
        Rehearsal.Result notices = Suites.notices(p, 1);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put("month-end", perAccount(monthEnd.outcome("month-end").figures(), n));
        out.put("outbox sweep, nothing pending", perAccount(monthEnd.outcome("outbox sweep, nothing pending").figures(),
                1));
        Meter.Job restatement = monthEnd.outcome("daily restatement, 1% stale").figures();
        out.put("daily restatement, 1% stale", perAccount(restatement, restatement.counter("account-months stale")));
        out.put("maintenance window for all accounts", perAccount(
                monthEnd.outcome("maintenance window for all accounts").figures(), n));
        out.put("change notices", perAccount(notices.outcome("change notices").figures(), n));
        return out;
    }

    /** A job's requests per account by operation, tables summed; the SQS mapping's own requests left out. */
    private static Map<String, Double> perAccount(Meter.Job job, long accounts) {
        Map<String, Double> out = new TreeMap<>();
        job.requests.forEach((kind, line) -> {
            String[] words = kind.split(" ");
            String op = words[0] + " " + words[1];
            if (op.equals("SQS ReceiveMessage") || op.equals("SQS DeleteMessageBatch")) {
                return; // the mapping's, not the function's (the engines' run polls with its own client)
            }
            out.merge(op, line.requests / (double) accounts, Double::sum);
        });
        return out;
    }

    private static Map<String, Double> report(int n, Map<String, Map<String, Double>> engines,
            Map<String, Map<String, Double>> model) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%n## Requests per account at %,d accounts: engines (real adapters) against the rehearsal's model%n%n",
                n));
        b.append("| job | request | engines | rehearsal | rehearsal / engines |\n|---|---|---:|---:|---:|\n");
        for (String job : engines.keySet()) {
            Map<String, Double> a = engines.get(job);
            Map<String, Double> m = model.getOrDefault(job, Map.of());
            double totalA = 0;
            double totalM = 0;
            for (String op : new TreeSet<>(union(a.keySet(), m.keySet()))) {
                double x = a.getOrDefault(op, 0.0);
                double y = m.getOrDefault(op, 0.0);
                totalA += x;
                totalM += y;
                double ratio = x == 0 ? (y == 0 ? 1 : Double.POSITIVE_INFINITY) : y / x;
                b.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s |%n", job, op, x, y, ratio(ratio)));
            }
            double ratio = totalA == 0 ? 1 : totalM / totalA;
            boolean ok = within10Percent(ratio);
            ratios.put(job, ratio);
            b.append(String.format(Locale.ROOT, "| **%s** | **all** | **%.3f** | **%.3f** | **%s** %s |%n", job, totalA,
                    totalM, ratio(ratio), ok ? "(within 10%)" : "(**outside 10%**)"));
        }
        System.out.println(b);
        return ratios;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String ratio(double r) {
        return Double.isInfinite(r) ? "only in the rehearsal" : String.format(Locale.ROOT, "%.3f", r);
    }
}
