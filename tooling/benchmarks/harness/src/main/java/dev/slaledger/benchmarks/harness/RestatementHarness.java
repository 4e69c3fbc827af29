package dev.slaledger.benchmarks.harness;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.emulators.SqsEsm;
import dev.slaledger.ingest.BatchOutcome;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.IngestService;
import dev.slaledger.monthend.MonthEndWiring;
import dev.slaledger.monthend.RestatementHandler;
import dev.slaledger.monthend.StatementWorkerHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 14: what the scheduled restatement run (S7.2) costs in requests, when nothing is stale
 * and when 1% of the accounts are, against the month-end over the same accounts measured in the
 * same run. Everything runs the production code (handlers, wiring, adapters) on moto in server
 * mode (DynamoDB and SQS), reached over HTTP by real SDK clients; requests are counted by an SDK
 * execution interceptor ({@link RequestTally}) on the functions' clients only (seeding, checks and
 * the queue polling Lambda's event source mapping would do use other clients).
 *
 * <p>Per number of accounts N, on fresh tables: N accounts with a term (Oct-Dec 2026) and an
 * October fee; the October month-end (fan-out, then the statement worker on every work message:
 * revision 1 of every account-month, the baseline; above {@link #FULL_MONTH_END_MAX} accounts it
 * is not run: only the stale 1% are registered and revision 1 of every account-month is stored
 * with {@code saveRevision}, the statement the month-end computes for such an account); case A
 * (nothing stale, nothing ever marked); case B (late October data for 1% of the accounts through
 * the real ingest path, which marks them stale; the restatement run, then the worker on its
 * messages: revision 2 of each); case A again (nothing stale, the 1% now carry cleared marks);
 * then the month-end's worker path ({@code recomputeAll}) over the same 1% after a second late
 * record, the per-account-month comparison. Clock: 2026-11-01T13:00Z for the month-end,
 * 2026-11-15T00:00Z (claim window of October open until 31 December) for the restatement.
 *
 * <p>Arguments: {@code [accounts ...]}, default {@code 1000}.
 */
public final class RestatementHarness {
    private static final YearMonth MONTH = YearMonth.of(2026, 10);
    /** As deployed (infrastructure AppStack): accounts per work message, messages per worker invocation. */
    private static final int WORK_BATCH_SIZE = 25;
    private static final int WORKER_BATCH = 5;
    private static final Clock MONTH_END_CLOCK = Clock.fixed(Instant.parse("2026-11-01T13:00:00Z"), ZoneOffset.UTC);
    /**
     * Up to this N the October month-end over all N accounts runs and is measured (the baseline);
     * above it moto's cost per request (every Query sorts the whole table) makes it too slow, so
     * revision 1 is stored directly. {@code -Dsla.fullMonthEndMax=...} overrides.
     */
    private static final int FULL_MONTH_END_MAX = Integer.getInteger("sla.fullMonthEndMax", 2000);
    /** Accounts registered per scratch table (see {@link #registerAccounts}). */
    private static final int SCRATCH_ACCOUNTS = 100;
    private static final Clock RESTATEMENT_CLOCK = Clock.fixed(Instant.parse("2026-11-15T00:00:00Z"), ZoneOffset.UTC);

    private RestatementHarness() {
    }

    /** The requests of one phase, and what it reported. */
    private record Phase(String name, Map<String, RequestTally.Line> lines, long accountMonths, String note,
            double seconds) {
        RequestTally.Line dynamo() {
            return RequestTally.total(lines, "DynamoDb.");
        }

        RequestTally.Line sqs() {
            return RequestTally.total(lines, "Sqs.");
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a.replace(",", "").replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes.add(1000);
        }
        Map<Integer, List<Phase>> all = new LinkedHashMap<>();
        try (MotoServer moto = MotoServer.start()) {
            System.out.printf("engine: moto %s in server mode (single-threaded werkzeug), DynamoDB and SQS, "
                    + "SDK URLConnection clients over loopback HTTP; java %s%n", moto.version(),
                    System.getProperty("java.version"));
            for (int n : sizes) {
                all.put(n, run(moto, n));
            }
        }
        summary(all);
    }

    private static List<Phase> run(MotoServer moto, int accounts) throws Exception {
        String suffix = "-" + accounts;
        RequestTally plumbingTally = new RequestTally();
        DynamoDbClient setup = moto.dynamo(plumbingTally);
        SqsClient esm = moto.sqs(plumbingTally);
        RequestTally tally = new RequestTally();
        DynamoDbClient dynamo = moto.dynamo(tally);
        SqsClient sqs = moto.sqs(tally);

        Map<String, String> env = Map.of("LEDGER_TABLE", "ledger" + suffix, "ACCOUNTS_TABLE", "accounts" + suffix,
                "AGGREGATES_TABLE", "aggregates" + suffix, "WORK_BATCH_SIZE", Integer.toString(WORK_BATCH_SIZE),
                "AWS_REGION", "eu-west-1");
        LedgerTable.create(setup, env.get("LEDGER_TABLE"));
        AccountsTable.create(setup, env.get("ACCOUNTS_TABLE"));
        DynamoDbAggregateStore.createTable(setup, env.get("AGGREGATES_TABLE"));
        DynamoDbQuarantineStore.createTable(setup, "quarantine" + suffix);
        String queueUrl = esm.createQueue(b -> b.queueName("statement-work" + suffix)).queueUrl();

        List<String> stale = new ArrayList<>();
        for (int a = 37; a < accounts; a += 100) {
            stale.add(account(a));
        }
        boolean full = accounts <= FULL_MONTH_END_MAX;
        System.out.printf("%n== N = %,d accounts (%s) ==%n", accounts, full
                ? "the October month-end over all N measured: it stores revision 1"
                : "revision 1 stored directly with saveRevision; accounts registered for the stale 1% only");

        AtomicLong events = new AtomicLong();
        MonthEndWiring monthEnd = new MonthEndWiring(env, dynamo, MONTH_END_CLOCK, DefaultTerms.version());
        MonthEndWiring daily = new MonthEndWiring(env, dynamo, RESTATEMENT_CLOCK, DefaultTerms.version());
        StatementWorkerHandler monthEndWorker = new StatementWorkerHandler(
                monthEnd.statementService(s -> events.incrementAndGet()));
        StatementWorkerHandler restatementWorker = new StatementWorkerHandler(
                daily.statementService(s -> events.incrementAndGet()));
        RestatementHandler restatement = new RestatementHandler(
                daily.restatement(new SqsStatementWorkQueue(sqs, queueUrl)));
        DynamoDbStatementRepository check = new DynamoDbStatementRepository(setup, env.get("LEDGER_TABLE"));
        List<Phase> phases = new ArrayList<>();

        long t0 = System.nanoTime();
        List<String> registered = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            if (full || stale.contains(account(a))) {
                registered.add(account(a));
            }
        }
        registerAccounts(setup, env.get("ACCOUNTS_TABLE"), registered);
        System.out.printf("registered %,d accounts (term Oct-Dec 2026, October fee 1000.00 EUR) in %.1f s%n",
                registered.size(), secs(t0));

        t0 = System.nanoTime();
        if (full) {
            // Baseline: the whole October month-end (fan-out + worker on every message).
            tally.reset();
            var fan = monthEnd.fanOut(new SqsStatementWorkQueue(sqs, queueUrl)).run(MONTH, "harness", () -> true);
            phases.add(new Phase("month-end fan-out", tally.snapshot(), fan.accounts(),
                    fan.accounts() + " accounts in " + fan.batches() + " messages", secs(t0)));
            tally.reset();
            t0 = System.nanoTime();
            long messages = drain(esm, queueUrl, monthEndWorker);
            phases.add(new Phase("month-end worker (revision 1)", tally.snapshot(), fan.accounts(),
                    messages + " messages", secs(t0)));
        } else {
            // The statement the month-end computes for every such account (no traffic stored, same terms and
            // fee), stored as revision 1 of each account-month, as the month-end would.
            Statement template = new MonthEndWiring(env, setup, MONTH_END_CLOCK, DefaultTerms.version())
                    .statementService(s -> { }).compute(stale.get(0), MONTH).orElseThrow();
            for (int a = 0; a < accounts; a++) {
                check.saveRevision(withAccount(template, account(a)).withRevision(1));
            }
            phases.add(null);
            phases.add(null);
            System.out.printf("stored revision 1 of %,d account-months in %.1f s%n", accounts, secs(t0));
        }
        requireRevisions(check, List.of(account(0), account(accounts - 1), stale.get(0)), 1);

        // Case A: nothing stale, nothing ever marked.
        phases.add(restate("A: restatement run, nothing stale", restatement, tally, esm, queueUrl,
                restatementWorker));

        // Case B: late October data for 1% of the accounts, through the real ingest path (it marks them stale).
        lateData(setup, env, suffix, stale, 1);
        for (String id : stale) {
            if (check.staleMark(id, MONTH).isEmpty()) {
                throw new IllegalStateException("ingest did not mark " + id + " stale");
            }
        }
        tally.reset();
        t0 = System.nanoTime();
        Map<String, Object> out = restatement.handleRequest(Map.of(), null);
        Phase run = new Phase("B: restatement run, 1% stale", tally.snapshot(), stale.size(),
                out.get("staleAccountMonths") + " stale, " + out.get("workMessages") + " messages", secs(t0));
        phases.add(run);
        tally.reset();
        t0 = System.nanoTime();
        long messages = drain(esm, queueUrl, restatementWorker);
        phases.add(new Phase("B: restatement worker (restateAll)", tally.snapshot(), stale.size(),
                messages + " messages", secs(t0)));
        requireRevisions(check, stale, 2);
        requireRevisions(check, List.of(account(0), account(accounts - 1)), 1);

        // Case A again: nothing stale, the 1% now hold cleared marks (off the sparse index).
        phases.add(restate("A': restatement run, nothing stale, 1% cleared marks", restatement, tally, esm, queueUrl,
                restatementWorker));

        // The month-end's worker path over the same account-months with the same work (one late record, one
        // new revision, the mark cleared): recomputeAll, in messages of WORK_BATCH_SIZE.
        lateData(setup, env, suffix, stale, 2);
        SqsStatementWorkQueue direct = new SqsStatementWorkQueue(esm, queueUrl);
        for (int i = 0; i < stale.size(); i += WORK_BATCH_SIZE) {
            direct.enqueue(MONTH, stale.subList(i, Math.min(stale.size(), i + WORK_BATCH_SIZE)),
                    StatementWorkQueue.Kind.MONTH_END);
        }
        direct.flush();
        tally.reset();
        t0 = System.nanoTime();
        messages = drain(esm, queueUrl, restatementWorker);
        phases.add(new Phase("same 1% by the month-end path (recomputeAll)", tally.snapshot(), stale.size(),
                messages + " messages", secs(t0)));
        requireRevisions(check, stale, 3);
        if (events.get() != 0) {
            System.out.println("compensable statements announced: " + events.get());
        }

        print(accounts, phases);
        return phases;
    }

    private static Phase restate(String name, RestatementHandler restatement, RequestTally tally, SqsClient esm,
            String queueUrl, StatementWorkerHandler worker) {
        tally.reset();
        long t0 = System.nanoTime();
        Map<String, Object> out = restatement.handleRequest(Map.of(), null);
        Phase p = new Phase(name, tally.snapshot(), 0,
                out.get("staleAccountMonths") + " stale, " + out.get("workMessages") + " messages", secs(t0));
        if (drain(esm, queueUrl, worker) != 0 || !Long.valueOf(0).equals(out.get("workMessages"))) {
            throw new IllegalStateException(name + ": work was queued: " + out);
        }
        return p;
    }

    /** One late D1 record per account for an October interval (1000 requests, all failed): ingest marks it. */
    private static void lateData(DynamoDbClient setup, Map<String, String> env, String suffix, List<String> ids,
            int round) {
        Clock clock = Clock.fixed(RESTATEMENT_CLOCK.instant().minus(Duration.ofHours(round)), ZoneOffset.UTC);
        IngestService ingest = new IngestWiring(IngestConfig.of(env.get("AGGREGATES_TABLE"), "quarantine" + suffix,
                env.get("LEDGER_TABLE")), setup, clock).service();
        Instant interval = Instant.parse("2026-10-15T10:00:00Z").plusSeconds(300L * round);
        List<StreamRecord> batch = new ArrayList<>();
        long sequence = 1_000_000L * round;
        for (String id : ids) {
            String line = "{\"accountId\":\"" + id + "\",\"intervalStart\":\"" + interval
                    + "\",\"valid\":1000,\"errors\":1000}";
            batch.add(new StreamRecord("shardId-000000000000", Long.toString(++sequence), clock.instant(),
                    line.getBytes(StandardCharsets.UTF_8)));
        }
        BatchOutcome outcome = ingest.ingest(batch);
        if (outcome.quarantined() > 0 || outcome.failed() > 0) {
            throw new IllegalStateException("late data not ingested: " + outcome);
        }
    }

    /**
     * Lambda's SQS event source (the shared {@link SqsEsm}): up to WORKER_BATCH messages per invocation, one at a
     * time; a message the worker fails stops the run (it is never redelivered here).
     */
    static long drain(SqsClient esm, String queueUrl, StatementWorkerHandler worker) {
        SqsEsm.Settings mapping = new SqsEsm.Settings(WORKER_BATCH, Duration.ZERO, 1,
                Duration.ofSeconds(900), true, 0);
        return new SqsEsm(mapping, esm, queueUrl, e -> worker.handleRequest(e, null)).stuckAfter(2).drain().deleted;
    }

    private static void requireRevisions(DynamoDbStatementRepository check, List<String> ids, int revisions) {
        for (String id : ids) {
            int n = check.history(id, MONTH).size();
            if (n != revisions || check.staleMark(id, MONTH).isPresent()) {
                throw new IllegalStateException(id + ": " + n + " revisions (expected " + revisions + "), stale "
                        + check.staleMark(id, MONTH));
            }
        }
    }

    private static void print(int accounts, List<Phase> phases) {
        System.out.printf("%-52s %9s %8s %9s %8s %7s %8s  %s%n", "phase", "DDB req", "items", "est. RRU", "SQS req",
                "msgs", "secs", "by operation");
        for (Phase p : phases) {
            if (p == null) {
                continue;
            }
            RequestTally.Line d = p.dynamo();
            RequestTally.Line q = p.sqs();
            StringBuilder ops = new StringBuilder();
            p.lines().forEach((k, v) -> {
                ops.append(k.replace("DynamoDb.", "").replace("Sqs.", "sqs:")).append('=').append(v.requests);
                if (v.bytesPut > 0) {
                    ops.append(String.format(" [%d B, %d WRU each]", v.bytesPut / v.requests,
                            v.writeUnits / v.requests));
                }
                ops.append(' ');
            });
            System.out.printf("%-52s %,9d %,8d %9.1f %,8d %,7d %8.1f  %s(%s)%n", p.name(), d.requests, d.items,
                    d.readUnits, q.requests, q.messages, p.seconds(), ops, p.note());
        }
        Phase bWorker = phases.get(4);
        Phase same = phases.get(6);
        long stale = bWorker.accountMonths();
        System.out.printf("restatement worker: %.2f DynamoDB requests per stale account-month; "
                + "the month-end path on the same account-months: %.2f (ratio %.2f)%n",
                bWorker.dynamo().requests / (double) stale, same.dynamo().requests / (double) stale,
                bWorker.dynamo().requests / (double) same.dynamo().requests);
        if (phases.get(0) != null) {
            long monthEnd = monthEnd(phases);
            long restated = phases.get(3).dynamo().requests + bWorker.dynamo().requests;
            System.out.printf("full month-end: %,d DynamoDB requests (%.2f per account-month) + %,d SQS requests; "
                    + "case B (run + worker): %,d = %.4f x; case A: %,d = %.5f x%n", monthEnd,
                    monthEnd / (double) accounts, phases.get(0).sqs().requests, restated,
                    restated / (double) monthEnd, phases.get(2).dynamo().requests,
                    phases.get(2).dynamo().requests / (double) monthEnd);
        }
    }

    private static long monthEnd(List<Phase> p) {
        return p.get(0).dynamo().requests + p.get(1).dynamo().requests;
    }

    private static void summary(Map<Integer, List<Phase>> all) {
        System.out.printf("%n== summary: DynamoDB requests / items returned / SQS requests / messages ==%n");
        System.out.printf("%7s | %-14s | %-14s | %-14s | %-16s | %-10s | %-10s | %-16s | %s%n", "N", "A run", "A' run",
                "B run", "B worker", "B worker/am", "ME path/am", "full month-end", "B/full, A/full");
        all.forEach((n, p) -> {
            long stale = p.get(4).accountMonths();
            String full = p.get(0) == null ? "not run" : String.format("%,d / %,d", monthEnd(p),
                    p.get(0).sqs().requests);
            String ratios = p.get(0) == null ? "-" : String.format("%.4f, %.5f",
                    (p.get(3).dynamo().requests + p.get(4).dynamo().requests) / (double) monthEnd(p),
                    p.get(2).dynamo().requests / (double) monthEnd(p));
            System.out.printf("%,7d | %-14s | %-14s | %-14s | %-16s | %-11.2f | %-10.2f | %-16s | %s%n", n,
                    cell(p.get(2)), cell(p.get(5)), cell(p.get(3)), cell(p.get(4)),
                    p.get(4).dynamo().requests / (double) stale, p.get(6).dynamo().requests / (double) stale, full,
                    ratios);
        });
    }

    private static String cell(Phase p) {
        return String.format("%,d/%,d/%,d/%,d", p.dynamo().requests, p.dynamo().items, p.sqs().requests,
                p.sqs().messages);
    }

    /**
     * Registers the accounts through the accounts function's own repository ({@code apply} of a
     * SubscriptionPurchased and a FeeAssessed), SCRATCH_ACCOUNTS at a time into an empty scratch table
     * whose items are then copied verbatim (Scan, BatchWriteItem) into the accounts table: moto copies
     * the whole table on every TransactWriteItems (its rollback), so applying into a growing table
     * costs time quadratic in N. The items are exactly those {@code apply} writes.
     */
    static void registerAccounts(DynamoDbClient setup, String table, List<String> ids) {
        registerAccounts(setup, table, ids, false);
    }

    /**
     * {@link #registerAccounts(DynamoDbClient, String, List)}, each account with, if {@code contact}, the
     * rehearsal world's contact address ({@code <id>@customers.example}).
     */
    static void registerAccounts(DynamoDbClient setup, String table, List<String> ids, boolean contact) {
        Term term = new Term(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31));
        String scratch = table + "-scratch";
        for (int from = 0; from < ids.size(); from += SCRATCH_ACCOUNTS) {
            AccountsTable.create(setup, scratch);
            DynamoDbAccountRepository registry = new DynamoDbAccountRepository(setup, scratch);
            for (String id : ids.subList(from, Math.min(ids.size(), from + SCRATCH_ACCOUNTS))) {
                registry.apply(new SubscriptionPurchased("e-" + id, "s-" + id, 1, id, "s-" + id, term));
                if (contact) {
                    registry.apply(new ContactChanged("c-" + id, "c-" + id, 1, id, id + "@customers.example",
                            Optional.empty()));
                }
                registry.apply(new FeeAssessed("f-" + id, "f-" + id, 1, id, MONTH,
                        MonthlyFee.of("1000.00", "0.00", "EUR")));
            }
            List<WriteRequest> puts = new ArrayList<>();
            for (Map<String, AttributeValue> item : setup.scanPaginator(b -> b.tableName(scratch)).items()) {
                puts.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            }
            for (int i = 0; i < puts.size(); i += 25) {
                Map<String, List<WriteRequest>> pending = Map.of(table, puts.subList(i, Math.min(puts.size(), i + 25)));
                while (!pending.isEmpty()) {
                    Map<String, List<WriteRequest>> request = pending;
                    BatchWriteItemResponse r = setup.batchWriteItem(b -> b.requestItems(request));
                    pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                }
            }
            setup.deleteTable(b -> b.tableName(scratch));
        }
    }

    private static Statement withAccount(Statement s, String accountId) {
        return s.toBuilder().accountId(accountId).build();
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String account(int a) {
        return String.format("acct-%06d", a);
    }
}
