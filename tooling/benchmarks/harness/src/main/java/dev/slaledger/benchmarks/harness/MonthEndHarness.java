package dev.slaledger.benchmarks.harness;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.ingest.BatchOutcome;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.IngestService;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Issue 5 item 7 (re-run on moto for issue 17 item 5): month-end throughput, one account-month
 * at a time, end to end on moto (server mode, single-threaded, a child process reached over HTTP),
 * against the I/O floor: a bare paged Query of the same aggregate items,
 * in the same run, alternating per account. Also counts DynamoDB requests and read units per
 * account-month: they are the bill.
 *
 * <p>Arguments: {@code [accounts=6] [rounds=5]}.
 */
public final class MonthEndHarness {
    private static final YearMonth MONTH = YearMonth.of(2026, 10);

    private MonthEndHarness() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (MotoServer moto = MotoServer.start();
                DynamoDbClient dynamo = moto.dynamo(new RequestCounter())) {
            System.out.printf("engine: moto %s (server mode, single-threaded) on %s%n", moto.version(), moto.endpoint());
            run(moto, dynamo, accounts, rounds);
        }
    }

    private static void run(MotoServer local, DynamoDbClient dynamo, int accounts, int rounds) {
        LedgerTable.create(dynamo, "ledger");
        AccountsTable.create(dynamo, "accounts");
        DynamoDbAggregateStore.createTable(dynamo, "aggregates");
        DynamoDbQuarantineStore.createTable(dynamo, "quarantine");

        long seedStart = System.nanoTime();
        seed(dynamo, accounts);
        System.out.printf("seeded %d accounts x 8,928 intervals in %.1f s%n", accounts,
                (System.nanoTime() - seedStart) / 1e9);

        RequestCounter counter = new RequestCounter();
        DynamoDbClient counted = local.dynamo(counter);
        StatementService service = new DynamoDbLedger(counted, "ledger", "accounts", "aggregates",
                DefaultTerms.version(), Clock.fixed(Instant.parse("2026-11-01T01:00:00Z"), ZoneOffset.UTC))
                .statementService(s -> { });

        // First computation of each account (CREATED: one extra PutItem), then warm-up.
        long firstStart = System.nanoTime();
        for (int a = 0; a < accounts; a++) {
            service.recompute(account(a), MONTH);
        }
        double firstSeconds = (System.nanoTime() - firstStart) / 1e9;
        long firstRequests = counter.total();
        for (int a = 0; a < accounts; a++) {
            bareQuery(dynamo, account(a), false);
        }

        // Each round: the worker's way (one batch of all accounts through recomputeAll, sharing
        // terms and windows) against a bare paged Query of every account; the order alternates.
        List<String> ids = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            ids.add(account(a));
        }
        long[] full = new long[rounds];
        long[] floor = new long[rounds];
        counter.byOperation.clear();
        double rru = 0;
        long items = 0;
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 1) {
                long t1 = System.nanoTime();
                service.recomputeAll(ids, MONTH);
                full[r] = System.nanoTime() - t1;
            }
            long t0 = System.nanoTime();
            for (String id : ids) {
                long[] q = bareQuery(dynamo, id, r == 0);
                items += r == 0 ? q[0] : 0;
                rru += r == 0 ? q[1] / 10.0 : 0;
            }
            floor[r] = System.nanoTime() - t0;
            if (r % 2 == 0) {
                long t1 = System.nanoTime();
                service.recomputeAll(ids, MONTH);
                full[r] = System.nanoTime() - t1;
            }
        }
        Arrays.sort(full);
        Arrays.sort(floor);
        double fullRate = accounts / (full[rounds / 2] / 1e9);
        double floorRate = accounts / (floor[rounds / 2] / 1e9);
        System.out.printf("rounds: %d, accounts per round: %d (median round shown; worker batch = all accounts)%n",
                rounds, accounts);
        System.out.printf("bare paged Query (floor): %8.2f account-months/s  (%.1f ms each)%n", floorRate,
                1000 / floorRate);
        System.out.printf("statement end to end:     %8.2f account-months/s  (%.1f ms each)%n", fullRate,
                1000 / fullRate);
        System.out.printf("overhead above the floor: %+.1f%%%n", (floorRate / fullRate - 1) * 100);
        System.out.printf("first computation (stores revision 1): %.1f ms per account-month, %.1f requests%n",
                firstSeconds * 1000 / accounts, (double) firstRequests / accounts);
        System.out.printf("items per account-month: %d; read units per account-month (strongly consistent"
                + " Query, as reported by moto: a constant per request): %.1f%n", items / accounts, rru / accounts);
        System.out.printf("requests per steady-state account-month: %s%n", perAccount(counter, accounts * rounds));
    }

    private static String perAccount(RequestCounter counter, int accountMonths) {
        StringBuilder out = new StringBuilder();
        counter.byOperation.forEach((op, n) -> out.append(op).append('=')
                .append(String.format("%.2f", n.get() / (double) accountMonths)).append(' '));
        return out.toString().trim();
    }

    /** Reads every aggregate item of the account-month; returns {items, read units x 10}. */
    private static long[] bareQuery(DynamoDbClient dynamo, String accountId, boolean capacity) {
        long from = MONTH.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        long to = MONTH.plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) - 1;
        long items = 0;
        double units = 0;
        Map<String, AttributeValue> start = null;
        long checksum = 0;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder()
                    .tableName("aggregates")
                    .keyConditionExpression("a = :a AND i BETWEEN :f AND :t")
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(accountId),
                            ":f", AttributeValue.fromN(Long.toString(from)),
                            ":t", AttributeValue.fromN(Long.toString(to))))
                    .projectionExpression("i, v, e, u, x")
                    .consistentRead(true)
                    .returnConsumedCapacity(capacity ? ReturnConsumedCapacity.TOTAL : ReturnConsumedCapacity.NONE)
                    .exclusiveStartKey(start)
                    .build());
            items += page.count();
            for (Map<String, AttributeValue> item : page.items()) {
                checksum += item.size();
            }
            if (capacity && page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
                units += page.consumedCapacity().capacityUnits();
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (checksum < 0) {
            throw new IllegalStateException();
        }
        return new long[] {items, Math.round(units * 10)};
    }

    private static String account(int a) {
        return "bench-" + a;
    }

    private static void seed(DynamoDbClient dynamo, int accounts) {
        DynamoDbAccountRepository registry = new DynamoDbAccountRepository(dynamo, "accounts");
        Clock clock = Clock.fixed(Instant.parse("2026-11-01T00:05:00Z"), ZoneOffset.UTC);
        IngestService ingest = new IngestWiring(IngestConfig.of("aggregates", "quarantine", "ledger"), dynamo, clock).service();
        SplittableRandom random = new SplittableRandom(20261101);
        BigInteger sequence = FIRST_SEQUENCE;
        for (int a = 0; a < accounts; a++) {
            String id = account(a);
            registry.apply(new SubscriptionPurchased("e" + a, "s" + a, 1, id, "s" + a,
                    new Term(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))));
            registry.apply(new FeeAssessed("f" + a, "f" + a, 1, id, MONTH, MonthlyFee.of("1000.00", "0.00", "EUR")));
            sequence = ingestMonth(ingest, id, MONTH, random, sequence, clock);
        }
    }

    /** The stream sequence number before the seeds' first record. */
    static final BigInteger FIRST_SEQUENCE = new BigInteger("49590338271490256608559692538361571095921575989136588898");

    /**
     * A full month of one account's traffic through the real ingest: one D1 record per interval (UTC), V in
     * [100, 10000), errors in about 1% of the intervals, in batches of 1,000 records of one shard whose
     * sequence numbers follow {@code sequence}. Returns the last sequence number used.
     */
    static BigInteger ingestMonth(IngestService ingest, String accountId, YearMonth month, SplittableRandom random,
            BigInteger sequence, Clock clock) {
        long monthStart = month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        int intervals = month.lengthOfMonth() * 288;
        BigInteger next = sequence;
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < intervals; i++) {
            long valid = 100 + random.nextLong(9900);
            long errors = random.nextInt(100) == 0 ? random.nextLong(valid / 10 + 1) : 0;
            String line = "{\"accountId\":\"" + accountId + "\",\"intervalStart\":\""
                    + Instant.ofEpochSecond(monthStart + 300L * i) + "\",\"valid\":" + valid + ",\"errors\":"
                    + errors + "}";
            next = next.add(BigInteger.ONE);
            batch.add(new StreamRecord("shardId-000000000000", next.toString(), clock.instant(),
                    line.getBytes(StandardCharsets.UTF_8)));
            if (batch.size() == 1000) {
                check(ingest.ingest(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            check(ingest.ingest(batch));
        }
        return next;
    }

    private static void check(BatchOutcome outcome) {
        if (outcome.quarantined() > 0 || outcome.failed() > 0) {
            throw new IllegalStateException("seeding failed: " + outcome);
        }
    }
}
