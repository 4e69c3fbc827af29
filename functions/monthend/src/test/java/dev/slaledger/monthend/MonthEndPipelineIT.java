package dev.slaledger.monthend;

import dev.slaledger.testkit.ApiContract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbMaintenanceWindowRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.emulators.SqsEsm;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The month-end end to end on real local engines: accounts written by the accounts adapter,
 * a month of traffic through the ingest service into DynamoDB, the fan-out onto an SQS
 * queue, and the worker handler draining it into statements (the {@code Engines} fixture:
 * moto and ElasticMQ, or LocalStack). Six account profiles,
 * six accounts each: quiet, 10% tier with an announced window, 25% tier with a late window,
 * 50% tier, a partial period, and a fee fully paid with vouchers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesEngines
class MonthEndPipelineIT {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Instant NOV_1 = Instant.parse("2026-11-01T00:30:00Z");
    private static final int PER_PROFILE = 6;
    /** The statement worker's mapping and queue as deployed (AppStack): 5 messages, visibility 12 min, 5 receives. */
    private static final SqsEsm.Settings WORKER_MAPPING = new SqsEsm.Settings(5, Duration.ZERO, 1,
            Duration.ofMinutes(12), true, 5);

    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static String queueUrl;
    private static MonthEndWiring wiring;
    private static final List<Statement> announced = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        sqs = Engines.get().sqs().build();
        queueUrl = SqsEsm.createQueue(sqs, "statement-work", WORKER_MAPPING).url();

        LedgerTable.create(dynamo, "ledger");
        AccountsTable.create(dynamo, "accounts");
        DynamoDbAggregateStore.createTable(dynamo, "aggregates");
        DynamoDbQuarantineStore.createTable(dynamo, "quarantine");
        wiring = new MonthEndWiring(Map.of("LEDGER_TABLE", "ledger", "ACCOUNTS_TABLE", "accounts",
                "AGGREGATES_TABLE", "aggregates", "WORK_BATCH_SIZE", "4"), dynamo,
                Clock.fixed(NOV_1, ZoneOffset.UTC));
        seed();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        dynamo.close();
    }

    private static String id(int profile, int n) {
        return "p" + profile + "-acct-" + n;
    }

    /** Interval start of October day {@code day}, {@code minutes} after midnight UTC. */
    private static long at(int day, int minutes) {
        return LocalDate.of(2026, 10, day).atStartOfDay().toEpochSecond(ZoneOffset.UTC) + minutes * 60L;
    }

    private static void seed() {
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, "accounts");
        DynamoDbMaintenanceWindowRepository windows = new DynamoDbMaintenanceWindowRepository(dynamo, "ledger");
        Map<AggregateKey, IntervalCounts> aggregates = new java.util.LinkedHashMap<>();
        Set<String> p1 = new java.util.HashSet<>();
        Set<String> p2 = new java.util.HashSet<>();
        int version = 1;
        for (int profile = 0; profile < 6; profile++) {
            for (int n = 0; n < PER_PROFILE; n++) {
                String account = id(profile, n);
                LocalDate start = profile == 4 ? LocalDate.of(2026, 10, 17) : LocalDate.of(2026, 1, 1);
                accounts.apply(new SubscriptionPurchased("e" + version, "sub-" + account, version, account,
                        "sub-" + account, new Term(start, LocalDate.of(2026, 12, 31))));
                String paid = profile == 5 ? "1000.00" : "100.00";
                accounts.apply(new FeeAssessed("f" + version, "fee-" + account, version, account, OCTOBER,
                        MonthlyFee.of("1000.00", paid, "EUR")));
                version++;
                if (profile == 0) {
                    continue; // quiet: no traffic at all
                }
                Map<Long, long[]> intervals = new TreeMap<>();
                int firstDay = profile == 4 ? 17 : 1;
                for (int day = firstDay; day <= 31; day++) {
                    for (int hour = 0; hour < 24; hour += 3) {
                        intervals.put(at(day, hour * 60), new long[] {1000, 0});
                    }
                }
                int bad = switch (profile) {
                    case 1, 5 -> 20;
                    case 2 -> 200;
                    case 3 -> 600;
                    case 4 -> 50;
                    default -> 0;
                };
                long firstBad = profile == 4 ? at(20, 5) : at(2, 5);
                for (int i = 0; i < bad; i++) {
                    intervals.put(firstBad + 300L * i, new long[] {100, 100});
                }
                if (profile == 1) { // 24 failed intervals inside an announced window: excluded (S2.4)
                    p1.add(account);
                    for (int i = 0; i < 24; i++) {
                        intervals.put(at(10, 120) + 300L * i, new long[] {100, 100});
                    }
                }
                if (profile == 2) { // 24 failed intervals inside a late window: they count (S2.4)
                    p2.add(account);
                    for (int i = 0; i < 24; i++) {
                        intervals.put(at(12, 120) + 300L * i, new long[] {100, 100});
                    }
                }
                if (profile == 4) { // before its term starts: outside the period (S1.2)
                    for (int i = 0; i < 30; i++) {
                        intervals.put(at(5, 60) + 300L * i, new long[] {100, 100});
                    }
                }
                intervals.forEach((start2, c) -> aggregates.put(new AggregateKey(account, start2),
                        new IntervalCounts(c[0], c[1], 0, 0)));
            }
        }
        windows.save(new MaintenanceWindow("mw-p1", Instant.ofEpochSecond(at(10, 120)),
                Instant.ofEpochSecond(at(10, 240)), Instant.parse("2026-10-01T00:00:00Z"), Optional.of(p1)));
        windows.save(new MaintenanceWindow("mw-late", Instant.ofEpochSecond(at(12, 120)),
                Instant.ofEpochSecond(at(12, 240)), Instant.ofEpochSecond(at(12, 180)), Optional.of(p2)));
        // about 8,900 aggregates, 25 per BatchWriteItem (not one conditional UpdateItem each: the ingest
        // path is tested in functions/ingest, and lateData below adds to a seeded key through it)
        new DynamoDbAggregateStore(dynamo, "aggregates", Duration.ofDays(3650)).load(aggregates);
    }

    private static long sequence = 0;

    /**
     * Writes pre-aggregated D1 lines into the aggregates the way ingest does (one conditional
     * write per key through the aggregate store; the ingest function's own path, parsing and
     * marking included, is tested in functions/ingest).
     */
    private static void ingest(List<String> lines, Clock clock) {
        DynamoDbAggregateStore store = new DynamoDbAggregateStore(dynamo, "aggregates",
                Duration.ofDays(3650));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        BigInteger base = new BigInteger("49590338271490256608559692538361571095921575989136588898");
        for (String line : lines) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
                KeyBatch batch = new KeyBatch(new AggregateKey(n.get("accountId").asText(),
                        Instant.parse(n.get("intervalStart").asText()).getEpochSecond()));
                batch.add("shardId-000000000000", base.add(BigInteger.valueOf(sequence++)).toString(),
                        new IntervalCounts(n.get("valid").asLong(), n.get("errors").asLong(), 0, 0), 0);
                store.apply(batch);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static StatementService service() {
        return wiring.statementService(announced::add);
    }

    /**
     * The worker under the work queue's event source mapping (the deployed batch, one invocation at a time)
     * until the queue is empty; the messages handled. Every message succeeds the first time.
     */
    private static int drain(StatementWorkerHandler worker) {
        SqsEsm.Stats stats = new SqsEsm(WORKER_MAPPING, sqs, queueUrl, e -> worker.handleRequest(e, null)).drain();
        assertThat(stats.partialFailures + stats.functionErrors).as("failed invocations").isZero();
        return (int) stats.deleted;
    }

    private static Map<String, Object> runMonthEnd() {
        MonthEndHandler handler = new MonthEndHandler(wiring.fanOut(new SqsStatementWorkQueue(sqs, queueUrl)),
                wiring.terms());
        return handler.handleRequest(Map.of(), null);
    }

    private static Statement latest(String accountId) {
        return new DynamoDbStatementRepository(dynamo, "ledger").latest(accountId, OCTOBER).orElseThrow();
    }

    @Test
    @Order(1)
    @DisplayName("issue 5: the month that just ended is fanned out and every account gets its statement (S1-S4, D3)")
    void monthEnd() {
        Map<String, Object> summary = runMonthEnd();
        assertThat(summary).containsEntry("month", "2026-10").containsEntry("accounts", 36L)
                .containsEntry("workMessages", 9L);
        assertThat(drain(new StatementWorkerHandler(service()))).isEqualTo(9);

        for (int n = 0; n < PER_PROFILE; n++) {
            Statement quiet = latest(id(0, n));
            assertThat(quiet.availability()).hasToString("100.0000");
            assertThat(quiet.compensationPercent().signum()).isZero();

            Statement tier10 = latest(id(1, n));
            assertThat(tier10.availability()).as("S2.4: the announced window's errors are excluded")
                    .hasToString("99.7759");
            assertThat(tier10.compensationPercent()).hasToString("10");
            assertThat(tier10.voucherAmount()).map(Money::toString).contains("90.00 EUR");

            Statement tier25 = latest(id(2, n));
            assertThat(tier25.availability()).as("S2.4: a late window excludes nothing").hasToString("97.4910");
            assertThat(tier25.voucherAmount()).map(Money::toString).contains("225.00 EUR");

            Statement tier50 = latest(id(3, n));
            assertThat(tier50.availability()).hasToString("93.2795");
            assertThat(tier50.voucherAmount()).map(Money::toString).contains("450.00 EUR");

            Statement partial = latest(id(4, n));
            assertThat(partial.periodDays()).as("S1.2 partial period")
                    .containsExactly(new DateRange(LocalDate.of(2026, 10, 17), LocalDate.of(2026, 10, 31)));
            assertThat(partial.intervals()).isEqualTo(15 * 288);
            assertThat(partial.availability()).hasToString("98.8425");
            assertThat(partial.voucherAmount()).map(Money::toString).contains("225.00 EUR");

            Statement paidWithVouchers = latest(id(5, n));
            assertThat(paidWithVouchers.compensationPercent()).hasToString("10");
            assertThat(paidWithVouchers.base()).map(Money::toString).contains("0.00 EUR");
            assertThat(paidWithVouchers.voucherAmount()).map(Money::toString).as("S4.2 zero base")
                    .contains("0.00 EUR");
            assertThat(paidWithVouchers.claimOpensAt()).hasToString("2026-11-09T00:00Z");
            assertThat(paidWithVouchers.claimClosesAt()).hasToString("2027-01-01T00:00Z");
        }
        assertThat(announced).as("one event per compensable statement (issue 5.5)").hasSize(5 * PER_PROFILE);
    }

    @Test
    @Order(2)
    @DisplayName("issue 5.3: running the month again stores nothing new and announces nothing")
    void rerun() {
        int before = announced.size();
        runMonthEnd();
        drain(new StatementWorkerHandler(service()));
        for (int profile = 0; profile < 6; profile++) {
            assertThat(new DynamoDbStatementRepository(dynamo, "ledger").history(id(profile, 0), OCTOBER)).hasSize(1);
        }
        assertThat(announced).hasSize(before);
    }

    @Test
    @Order(3)
    @DisplayName("issue 5.3: two workers computing the same accounts at once leave one revision each")
    void concurrentRuns() throws Exception {
        int before = announced.size();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                futures.add(pool.submit(() -> {
                    StatementService service = service();
                    for (int profile = 0; profile < 6; profile++) {
                        for (int n = 0; n < PER_PROFILE; n++) {
                            service.recompute(id(profile, n), OCTOBER);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int profile = 0; profile < 6; profile++) {
            for (int n = 0; n < PER_PROFILE; n++) {
                assertThat(new DynamoDbStatementRepository(dynamo, "ledger").history(id(profile, n), OCTOBER))
                        .hasSize(1);
            }
        }
        assertThat(announced).hasSize(before);
    }

    @Test
    @Order(4)
    @DisplayName("S5.5: late data marks the month stale; the next run stores a new revision and announces it")
    void lateData() {
        String account = id(1, 0);
        DynamoDbStatementRepository statements = new DynamoDbStatementRepository(dynamo, "ledger");
        assertThat(statements.staleMark(account, OCTOBER)).isEmpty();
        ingest(List.of("{\"accountId\":\"" + account + "\",\"intervalStart\":\"2026-10-20T10:00:00Z\","
                + "\"valid\":10,\"errors\":10}"), Clock.fixed(Instant.parse("2026-11-03T00:00:00Z"), ZoneOffset.UTC));
        statements.markStale(account, OCTOBER); // what ingest does after storing late data
        assertThat(statements.staleMark(account, OCTOBER)).isPresent();

        StatementService.Result result = service().recompute(account, OCTOBER);

        assertThat(result.outcome()).isEqualTo(StatementService.Outcome.REVISED);
        assertThat(statements.history(account, OCTOBER)).hasSize(2);
        assertThat(latest(account).revision()).isEqualTo(2);
        assertThat(latest(account).availability()).hasToString("99.7647");
        assertThat(statements.staleMark(account, OCTOBER)).isEmpty();
        assertThat(announced.get(announced.size() - 1).revision()).isEqualTo(2);
    }

    @Test
    @Order(5)
    @DisplayName("S7.2: the restatement run hands out a late fee's account-month and a late window's whole month; the worker revises what changed, announces what became compensable, and a second run finds nothing stale")
    void restatementRun() {
        MonthEndWiring later = new MonthEndWiring(Map.of("LEDGER_TABLE", "ledger", "ACCOUNTS_TABLE", "accounts",
                "AGGREGATES_TABLE", "aggregates", "WORK_BATCH_SIZE", "4"), dynamo,
                Clock.fixed(Instant.parse("2026-11-03T03:00:00Z"), ZoneOffset.UTC));
        RestatementHandler restatement = new RestatementHandler(later.restatement(
                new SqsStatementWorkQueue(sqs, queueUrl)));
        StatementWorkerHandler worker = new StatementWorkerHandler(later.statementService(announced::add));
        DynamoDbStatementRepository statements = new DynamoDbStatementRepository(dynamo, "ledger");
        List<Object> stale = new ArrayList<>();
        statements.forEachStale(stale::add);
        assertThat(stale).isEmpty();
        assertThat(restatement.handleRequest(Map.of(), null)).containsEntry("workMessages", 0L);

        // billing corrects a quiet account's fee (what the accounts handler stores, then marks)
        String quiet = id(0, 0);
        new DynamoDbAccountRepository(dynamo, "accounts").apply(new FeeAssessed("f-late", "fee-" + quiet, 1000,
                quiet, OCTOBER, MonthlyFee.of("800.00", "100.00", "EUR")));
        later.staleMarks().feeChanged(quiet, OCTOBER);
        // a window for all accounts over profile 5's 20 failed intervals, announced in time, recorded now
        String p5 = id(5, 0);
        assertThat(latest(p5).compensationPercent()).hasToString("10");
        int p5Revision = latest(p5).revision();
        String window = "{\"id\":\"mw-late-all\",\"start\":\"" + Instant.ofEpochSecond(at(2, 5))
                + "\",\"end\":\"" + Instant.ofEpochSecond(at(2, 5) + 20 * 300L)
                + "\",\"announcedAt\":\"2026-09-01T00:00:00Z\"}";
        MaintenanceWindowsHandler admin = new MaintenanceWindowsHandler(later.maintenanceWindows(), later.staleMarks());
        var put = adminEvent("PUT", window, null);
        assertThat(ApiContract.checked(put, admin.handleRequest(put, null)).getStatusCode()).isEqualTo(200);

        Map<String, Object> run = restatement.handleRequest(Map.of(), null);
        assertThat(run).containsEntry("staleAccountMonths", 1L).containsEntry("wholeMonths", 1L)
                .containsEntry("accounts", (long) 6 * PER_PROFILE);
        assertThat(drain(worker)).isEqualTo(((Long) run.get("workMessages")).intValue());
        assertThat(latest(quiet).fee()).contains(Money.of("800.00", "EUR"));
        assertThat(latest(p5).compensationPercent()).hasToString("0");
        assertThat(latest(p5).revision()).isEqualTo(p5Revision + 1);
        assertThat(statements.snapshot(p5, OCTOBER).stale(statements.monthMark(OCTOBER))).isFalse();
        assertThat(restatement.handleRequest(Map.of(), null)).containsEntry("workMessages", 0L);

        // withdrawn: profile 5 is compensable again, and the restatement announces it without any claim
        int announcedBefore = announced.size();
        var delete = adminEvent("DELETE", null, "mw-late-all");
        assertThat(ApiContract.checked(delete, admin.handleRequest(delete, null)).getStatusCode())
                .isEqualTo(204);
        restatement.handleRequest(Map.of(), null);
        drain(worker);
        assertThat(latest(p5).compensationPercent()).hasToString("10");
        assertThat(announced.subList(announcedBefore, announced.size()))
                .anySatisfy(st -> assertThat(st.accountId()).isEqualTo(p5));
    }

    private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent adminEvent(String method,
            String body, String id) {
        var http = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath("/admin/maintenance-windows" + (id == null ? "" : "/" + id)).build();
        var ctx = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http).build();
        return com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.builder().withBody(body)
                .withIsBase64Encoded(false).withRequestContext(ctx)
                .withPathParameters(id == null ? null : Map.of("id", id)).build();
    }
}
