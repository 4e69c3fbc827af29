package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.ExclusionKind;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.core.traffic.SequenceNumbers;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.RequestCounter;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The aggregates adapter on the engines' DynamoDB: the month-end's read path and the item layout. */
@UsesEngines
class DynamoDbAggregateStoreIT {
    private static int tables;
    private final RequestCounter counter = new RequestCounter();
    private final DynamoDbClient dynamo = Engines.get().dynamoDb()
            .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
    private final String table = "aggregate-store-it-" + tables++;
    private final DynamoDbAggregateStore store;
    /** The read role of the same table (the month-end's view). */
    private final DynamoDbAggregateRepository stored;

    DynamoDbAggregateStoreIT() {
        DynamoDbAggregateStore.createTable(dynamo, table);
        Retention retention = Retention.fromTerms(List.of(DefaultTerms.version()), Retention.DEFAULT_MARGIN);
        store = new DynamoDbAggregateStore(dynamo, table, retention::expiresAt);
        stored = new DynamoDbAggregateRepository(dynamo, table);
    }

    @AfterEach
    void close() {
        dynamo.close();
    }

    /** Every aggregate item of the table, by account@interval (a Scan: the tests may, the functions never do). */
    private Map<String, Map<String, AttributeValue>> all() {
        Map<String, Map<String, AttributeValue>> out = new java.util.TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(item -> out.put(item.get("a").s() + "@" + item.get("i").n(), item));
        return out;
    }

    private void apply(String account, long interval, String shard, String seq, IntervalCounts counts) {
        KeyBatch batch = new KeyBatch(new AggregateKey(account, interval));
        batch.add(shard, seq, counts, 0);
        store.apply(batch);
    }

    @Test
    @DisplayName("S1.3 a whole month of intervals (8,928) comes back through a paged Query, only the asked range, only the account")
    void monthThroughPagedQuery() {
        YearMonth month = YearMonth.of(2026, 8);
        long from = month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        long to = month.plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        // seeded with plain batch writes: this test is about the read path
        List<WriteRequest> puts = new ArrayList<>();
        for (long t = from - 300; t <= to; t += 300) {
            puts.add(put("acme", t));
        }
        puts.add(put("globex", from));
        for (int i = 0; i < puts.size(); i += 25) {
            List<WriteRequest> chunk = puts.subList(i, Math.min(puts.size(), i + 25));
            dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, chunk)));
        }

        counter.reset();
        AccountMonthTraffic traffic = stored.withPageLimit(1000)
                .load("acme", Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));

        assertThat(traffic.size()).isEqualTo(31 * 288);
        assertThat(traffic.startEpochSecond(0)).isEqualTo(from);
        assertThat(traffic.startEpochSecond(traffic.size() - 1)).isEqualTo(to - 300);
        assertThat(traffic.valid(5)).isEqualTo(10);
        assertThat(traffic.errorRequests(5)).isEqualTo(1);
        assertThat(counter.count("Query")).isEqualTo(9);
        assertThat(counter.count("Scan")).isZero();
    }

    private static WriteRequest put(String account, long t) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                "a", AttributeValue.fromS(account), "i", AttributeValue.fromN(Long.toString(t)),
                "v", AttributeValue.fromN("10"), "e", AttributeValue.fromN("1"))).build()).build();
    }

    @Test
    @DisplayName("S2.3 the month-end sees E as received 5xx plus unreached, and the excluded apart")
    void errorRequestsSumTwoKinds() {
        long t = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
        apply("acme", t, "shardId-000000000000", "7", new IntervalCounts(100, 3, 2, 4));
        AccountMonthTraffic traffic = stored.load("acme", Instant.ofEpochSecond(t), Instant.ofEpochSecond(t + 300));
        assertThat(traffic.size()).isEqualTo(1);
        assertThat(traffic.errorRequests(0)).isEqualTo(5);
        assertThat(traffic.excludedErrors(0)).isEqualTo(4);
    }

    @Test
    @DisplayName("S2.4 S9.6 the excluded errors keep their kinds across writes (xm, xc, xb within x); a key without kinds reads 0 of each")
    void excludedByKind() {
        long t = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
        apply("acme", t, "shardId-000000000000", "7", new IntervalCounts(100, 3, 2, 4, 2, 1, 0));
        apply("acme", t, "shardId-000000000000", "8", new IntervalCounts(1, 0, 0, 3, 0, 0, 1)); // one of no known kind
        apply("acme", t + 300, "shardId-000000000000", "9", new IntervalCounts(5, 0, 0, 2));
        AccountMonthTraffic traffic = stored.load("acme", Instant.ofEpochSecond(t), Instant.ofEpochSecond(t + 600));
        assertThat(traffic.size()).isEqualTo(2);
        assertThat(traffic.excludedErrors(0)).isEqualTo(7);
        assertThat(traffic.excludedErrors(0, ExclusionKind.MAINTENANCE)).isEqualTo(2);
        assertThat(traffic.excludedErrors(0, ExclusionKind.CUSTOMER_COMPROMISED)).isEqualTo(1);
        assertThat(traffic.excludedErrors(0, ExclusionKind.CONTENT_BAN)).isEqualTo(1);
        assertThat(traffic.excludedErrors(1)).isEqualTo(2);
        assertThat(traffic.excludedErrors(1, ExclusionKind.MAINTENANCE)).isZero();
        assertThat(stored.counts(new AggregateKey("acme", t))).isEqualTo(new IntervalCounts(101, 3, 2, 7, 2, 1, 1));
    }

    @Test
    @DisplayName("Issue 3.3 marks are per shard: a key fed by two shards takes each shard's records once")
    void twoShards() {
        long t = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
        apply("acme", t, "shardId-000000000000", "500", new IntervalCounts(1, 0, 0, 0));
        apply("acme", t, "shardId-000000000001", "100", new IntervalCounts(1, 1, 0, 0));
        apply("acme", t, "shardId-000000000000", "500", new IntervalCounts(1, 0, 0, 0)); // duplicate
        apply("acme", t, "shardId-000000000001", "101", new IntervalCounts(1, 0, 0, 0));
        assertThat(stored.counts(new AggregateKey("acme", t))).isEqualTo(new IntervalCounts(3, 1, 0, 0));
    }

    @Test
    @DisplayName("Issue 3.6 S7.4 an aggregate item is small: short names, zero counts left out, a TTL after the claim window (derived from the terms)")
    void itemLayout() {
        long t = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
        String seq = "49590338271490256608559692538361571095921575989136588898";
        apply("acme-corporation", t, "shardId-000000000003", seq, new IntervalCounts(1200, 3, 0, 0));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("a", AttributeValue.fromS("acme-corporation"), "i", AttributeValue.fromN(Long.toString(t)))))
                .item();
        assertThat(item.keySet()).containsExactlyInAnyOrder("a", "i", "v", "e", "t", "h3");
        // October's window closes at the end of December in every zone (UTC-12: 2027-01-01T12:00Z), plus 92 days
        assertThat(Long.parseLong(item.get("t").n())).isEqualTo(Instant.parse("2027-04-03T12:00:00Z").getEpochSecond());
        assertThat(SequenceNumbers.decode(item.get("h3").b().asByteArray())).isEqualTo(seq);
        // DynamoDB item size: attribute names + values (numbers ~ 1 byte per 2 digits + 1)
        int size = 1 + "acme-corporation".length() + 1 + 6 + 1 + 3 + 1 + 2 + 1 + 6 + 2 + item.get("h3").b().asByteArray().length;
        assertThat(size).isLessThan(80);
    }

    private static final long T = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
    private static final String SHARD = "shardId-000000000000";

    private AggregateStore.ApplyResult applyAll(String account, IntervalCounts... counts) {
        return applyFrom(account, 1, counts);
    }

    private AggregateStore.ApplyResult applyFrom(String account, long firstSeq, IntervalCounts... counts) {
        KeyBatch batch = new KeyBatch(new AggregateKey(account, T));
        for (int i = 0; i < counts.length; i++) {
            batch.add(SHARD, Long.toString(firstSeq + i), counts[i], i);
        }
        return store.apply(batch);
    }

    private static IntervalCounts valid(long n) {
        return new IntervalCounts(n, 0, 0, 0);
    }

    @Test
    @DisplayName("S7.5 the audit's batch: two records with valid near Long.MAX_VALUE for one key are refused COUNT_OUT_OF_RANGE; nothing thrown, nothing stored")
    void nearLongMaxIsRefusedNotThrown() {
        counter.reset();
        AggregateStore.ApplyResult r = applyAll("acme", valid(Long.MAX_VALUE - 1), valid(Long.MAX_VALUE - 1));

        assertThat(r.refused()).isNotNull();
        assertThat(r.refused().reason()).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        assertThat(r.refused().detail()).isEqualTo("valid: the interval would exceed 1000000000000 (per-interval maximum)");
        assertThat(r.refused().records()).extracting(KeyBatch.Contribution::recordIndex).containsExactly(0, 1);
        assertThat(r.appliedRecords()).isZero();
        assertThat(counter.count("UpdateItem")).isZero(); // known before writing: one read of the marks, no write
        assertThat(all()).isEmpty();
    }

    @Test
    @DisplayName("S7.5 D1 the per-interval bound holds across deliveries: the conditional UpdateItem refuses a sum above 10^12, the marks stay, the interval stays readable")
    void boundAcrossDeliveries() {
        long max = CountLimits.PER_INTERVAL;
        assertThat(applyFrom("acme", 1, valid(600_000_000_000L)).refused()).isNull();

        counter.reset();
        AggregateStore.ApplyResult second = applyFrom("acme", 2, valid(500_000_000_000L));
        assertThat(second.refused().reason()).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        assertThat(second.refused().records()).hasSize(1);
        // one conditional write failed on the bound; the stored item came back with it: no read, no retry
        assertThat(counter.count("UpdateItem")).isEqualTo(1);
        assertThat(counter.count("GetItem")).isZero();
        assertThat(stored.counts(new AggregateKey("acme", T))).isEqualTo(valid(600_000_000_000L));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("a", AttributeValue.fromS("acme"), "i", AttributeValue.fromN(Long.toString(T))))).item();
        assertThat(SequenceNumbers.decode(item.get("h0").b().asByteArray())).isEqualTo("1"); // not advanced

        // exactly at the bound is fine; one more is not, in any field
        assertThat(applyFrom("acme", 3, valid(400_000_000_000L)).refused()).isNull();
        assertThat(stored.counts(new AggregateKey("acme", T))).isEqualTo(valid(max));
        assertThat(applyFrom("acme", 4, valid(1)).refused().reason()).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        assertThat(applyFrom("acme", 5, new IntervalCounts(0, 0, 0, 1)).refused()).isNull();
        assertThat(stored.load("acme", Instant.ofEpochSecond(T), Instant.ofEpochSecond(T + 300)).valid(0)).isEqualTo(max);
    }

    @Test
    @DisplayName("S7.5 a redelivery above the stored mark is refused on the bound too, without a second write")
    void redeliveryRefusedOnBound() {
        applyFrom("acme", 1, valid(900_000_000_000L));
        // records 1-3 again: 1 is a duplicate, 2 and 3 (2 x 10^11) would exceed the bound
        AggregateStore.ApplyResult r = applyFrom("acme", 1, valid(900_000_000_000L), valid(100_000_000_000L),
                valid(100_000_000_000L));
        assertThat(r.duplicateRecords()).isEqualTo(1);
        assertThat(r.refused().records()).extracting(KeyBatch.Contribution::recordIndex).containsExactly(1, 2);
        assertThat(stored.counts(new AggregateKey("acme", T))).isEqualTo(valid(900_000_000_000L));
    }

    @Test
    @DisplayName("S7.5 a partition key over DynamoDB's 2,048 bytes: the real table refuses it, the store answers STORE_REFUSED instead of throwing")
    void keyOverDynamoDbLimitIsRefused() {
        String account = "k".repeat(2049);
        AggregateStore.ApplyResult r = applyAll(account, valid(1), valid(2));

        assertThat(r.refused()).isNotNull();
        assertThat(r.refused().reason()).isEqualTo(QuarantineReason.STORE_REFUSED);
        assertThat(r.refused().detail()).startsWith("refused by the table: ValidationException");
        assertThat(r.refused().records()).hasSize(2);
        assertThat(all()).isEmpty();
        // also when the refusal comes from the read of the marks (a batch above the bound on that key).
        // DynamoDB (and LocalStack) refuse the over-long key on the read; moto checks the key size on
        // writes only, so there the read succeeds and the batch is refused by the bound instead: a
        // refusal either way, never an exception.
        AggregateStore.ApplyResult both = applyAll(account, valid(Long.MAX_VALUE - 1), valid(Long.MAX_VALUE - 1));
        assertThat(both.refused().reason()).isEqualTo(Engines.get().kind() == Engines.Kind.EMULATORS
                ? QuarantineReason.COUNT_OUT_OF_RANGE : QuarantineReason.STORE_REFUSED);
    }

    @Test
    @DisplayName("S7.5 the reader never throws on a stored value: counts beyond a long, fractions, negatives and non-numbers are clamped to [0, 10^12]")
    void readerClamps() {
        long max = CountLimits.PER_INTERVAL;
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "a", AttributeValue.fromS("acme"), "i", AttributeValue.fromN(Long.toString(T)),
                "v", AttributeValue.fromN("99999999999999999999999999999999999999"),
                "e", AttributeValue.fromN("12345678901234567890"), "u", AttributeValue.fromN("2.5"),
                "x", AttributeValue.fromN("-3"))));
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "a", AttributeValue.fromS("acme"), "i", AttributeValue.fromN(Long.toString(T + 300)),
                "v", AttributeValue.fromS("a string"), "e", AttributeValue.fromN("7"))));
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "a", AttributeValue.fromS("acme"), "i", AttributeValue.fromN(Long.toString(T + 601)),
                "v", AttributeValue.fromN("1"))));

        AccountMonthTraffic traffic = stored.load("acme", Instant.ofEpochSecond(T), Instant.ofEpochSecond(T + 900));

        assertThat(traffic.size()).isEqualTo(2); // T + 601 is no interval start: left out
        assertThat(traffic.valid(0)).isEqualTo(max);
        assertThat(traffic.errorRequests(0)).isEqualTo(max + 2);
        assertThat(traffic.excludedErrors(0)).isZero();
        assertThat(traffic.valid(1)).isZero();
        assertThat(traffic.errorRequests(1)).isEqualTo(7);
        // a write on top of the out-of-range item is refused, not thrown
        assertThat(applyFrom("acme", 1, valid(1)).refused().reason()).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
    }
}
