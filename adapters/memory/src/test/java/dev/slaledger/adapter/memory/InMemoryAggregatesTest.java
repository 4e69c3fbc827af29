package dev.slaledger.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineReason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemoryAggregatesTest {
    private static final long T = 1_790_000_100L - 1_790_000_100L % 300;
    private static final BigInteger BASE = new BigInteger("49590338271490256608559692538361571095921575989136588898");

    private static KeyBatch batch(String account, long interval, String shard, int fromSeq, int toSeq, long v, long e) {
        KeyBatch b = new KeyBatch(new AggregateKey(account, interval));
        for (int s = fromSeq; s < toSeq; s++) {
            b.add(shard, BASE.add(BigInteger.valueOf(s)).toString(), new IntervalCounts(v, e, 0, 0), s - fromSeq);
        }
        return b;
    }

    @Test
    @DisplayName("S7.3 exactly once: redeliveries in any order and overlap apply each record once (per-shard marks)")
    void exactlyOnceUnderRedelivery() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            InMemoryAggregates store = new InMemoryAggregates();
            // 40 records on 2 shards, delivered in increasing windows, each window possibly redelivered
            // (a prefix re-sent together with new records), as Lambda retries from a reported position
            List<int[]> deliveries = new ArrayList<>();
            for (String shard : List.of("shardId-000000000000", "shardId-000000000001")) {
                int next = 0;
                while (next < 20) {
                    int to = Math.min(20, next + 1 + random.nextInt(6));
                    int from = Math.max(0, next - random.nextInt(4)); // overlap with what was applied
                    deliveries.add(new int[] {shard.endsWith("1") ? 1 : 0, from, to});
                    next = to;
                }
            }
            long applied = 0;
            long duplicates = 0;
            for (int[] d : deliveries) {
                AggregateStore.ApplyResult r = store.apply(batch("acme", T, "shardId-00000000000" + d[0], d[1], d[2],
                        3, 1));
                applied += r.appliedRecords();
                duplicates += r.duplicateRecords();
            }
            AccountMonthTraffic t = store.load("acme", Instant.ofEpochSecond(T), Instant.ofEpochSecond(T + 300));
            assertThat(t.size()).isEqualTo(1);
            assertThat(t.valid(0)).isEqualTo(40 * 3);
            assertThat(t.errorRequests(0)).isEqualTo(40);
            assertThat(applied).isEqualTo(40);
            assertThat(applied + duplicates).isEqualTo(deliveries.stream().mapToLong(d -> d[2] - d[1]).sum());
        }
    }

    @Test
    @DisplayName("order independence: the same records, shards interleaved in any order, give the same aggregates")
    void orderIndependent() {
        List<KeyBatch> batches = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            // one shard per batch: a shard is delivered in order, shards interleave freely
            batches.add(batch(k % 3 == 0 ? "acme" : "globex", T + 300L * (k % 7), "shardId-" + (1000 + k), k * 10,
                    k * 10 + 10, k, k % 2));
        }
        List<String> first = null;
        for (long seed = 0; seed < 20; seed++) {
            Collections.shuffle(batches, new Random(seed));
            InMemoryAggregates store = new InMemoryAggregates();
            batches.forEach(store::apply);
            List<String> seen = new ArrayList<>();
            for (String a : List.of("acme", "globex")) {
                AccountMonthTraffic t = store.load(a, Instant.ofEpochSecond(T), Instant.ofEpochSecond(T + 7 * 300));
                for (int i = 0; i < t.size(); i++) {
                    seen.add(a + "@" + t.startEpochSecond(i) + "=" + t.valid(i) + "/" + t.errorRequests(i));
                }
            }
            if (first == null) {
                first = seen;
            }
            assertThat(seen).isEqualTo(first);
        }
        assertThat(first).as("7 intervals of acme, 7 of globex").hasSize(14);
    }

    @Test
    @DisplayName("S7.5: a batch that would take an interval above the per-interval maximum is refused whole, marks kept")
    void perIntervalBound() {
        InMemoryAggregates store = new InMemoryAggregates();
        store.apply(batch("acme", T, "shardId-000000000000", 0, 1, CountLimits.PER_INTERVAL - 5, 0));
        AggregateStore.ApplyResult r = store.apply(batch("acme", T, "shardId-000000000000", 1, 3, 3, 0));
        assertThat(r.refused()).isNotNull();
        assertThat(r.refused().reason()).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        assertThat(r.refusedRecords()).isEqualTo(2);
        assertThat(store.load("acme", Instant.ofEpochSecond(T), Instant.ofEpochSecond(T + 300)).valid(0))
                .isEqualTo(CountLimits.PER_INTERVAL - 5);
        assertThat(store.apply(batch("acme", T, "shardId-000000000000", 1, 2, 5, 0)).appliedRecords())
                .as("the refused records did not move the mark").isEqualTo(1);
    }

    @Test
    @DisplayName("D1 unreached requests count as errors on reading (E = e + u, S2.3), inside [from, to) only")
    void readRange() {
        InMemoryAggregates store = new InMemoryAggregates();
        KeyBatch b = new KeyBatch(new AggregateKey("acme", T + 300));
        b.add("shardId-000000000000", BASE.toString(), new IntervalCounts(10, 1, 2, 4), 0);
        store.apply(b);
        store.apply(batch("acme", T, "shardId-000000000000", 5, 6, 1, 0));
        store.apply(batch("acme", T + 600, "shardId-000000000000", 6, 7, 1, 0));
        AccountMonthTraffic t = store.load("acme", Instant.ofEpochSecond(T + 300), Instant.ofEpochSecond(T + 600));
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.errorRequests(0)).isEqualTo(3);
        assertThat(t.excludedErrors(0)).isEqualTo(4);
        assertThat(store.keys()).isEqualTo(3);
        assertThat(store.load("nobody", Instant.EPOCH, Instant.ofEpochSecond(T + 900)).size()).isZero();
    }

    @Test
    @DisplayName("Issue 28.3 marks held as a shared prefix and a long tail read back exactly as written, on every shard")
    void marksReadBackExactly() {
        InMemoryAggregates store = new InMemoryAggregates();
        List<String> marks = List.of(
                BASE.toString(), // LocalIngest's 56 digits: the 38-digit prefix and an 18-digit tail
                "49590338271490256608559692538361571095000000000000000007", // a tail with leading zeros
                "49590338271490256608559692538361571095999999999999999999", // the largest 18-digit tail
                "1234567890123456789", // 19 digits: a one-digit prefix
                "123456789012345678", // 18 digits: no prefix, held whole
                "7", "seq-000000000000000000042", "0000000000000000000000", "12345678901234567x");
        String[] shards = {"shardId-000000000000", "shardId-000000000001"};
        for (int k = 0; k < marks.size(); k++) {
            for (String shard : shards) {
                KeyBatch b = new KeyBatch(new AggregateKey("acme", T + 300L * k));
                b.add(shard, marks.get(k), new IntervalCounts(1, 0, 0, 0), 0);
                assertThat(store.apply(b).appliedRecords()).isEqualTo(1);
            }
        }
        for (int k = 0; k < marks.size(); k++) {
            for (String shard : shards) {
                assertThat(store.mark(new AggregateKey("acme", T + 300L * k), shard)).isEqualTo(marks.get(k));
            }
            assertThat(store.mark(new AggregateKey("acme", T + 300L * k), "shardId-000000000002")).isNull();
        }
        // a redelivery of a mark's own record is a duplicate, the next record is applied
        KeyBatch again = new KeyBatch(new AggregateKey("acme", T));
        again.add(shards[0], BASE.toString(), new IntervalCounts(1, 0, 0, 0), 0);
        again.add(shards[0], BASE.add(BigInteger.ONE).toString(), new IntervalCounts(1, 0, 0, 0), 1);
        AggregateStore.ApplyResult r = store.apply(again);
        assertThat(r.duplicateRecords()).isEqualTo(1);
        assertThat(r.appliedRecords()).isEqualTo(1);
        assertThat(store.mark(new AggregateKey("acme", T), shards[0])).isEqualTo(BASE.add(BigInteger.ONE).toString());
        assertThat(store.mark(new AggregateKey("acme", T), shards[1])).isEqualTo(BASE.toString());
    }

    @Test
    @DisplayName("Issue 28.3 an account's intervals written in any order are held sorted: every range reads them in interval order")
    void intervalsInAnyOrder() {
        Random random = new Random(28);
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            order.add(k);
        }
        Collections.shuffle(order, random);
        InMemoryAggregates store = new InMemoryAggregates();
        int seq = 0;
        for (int k : order) {
            store.apply(batch("acme", T + 300L * k, "shardId-000000000000", seq, seq + 1, k, k % 3));
            seq++;
        }
        assertThat(store.keys()).isEqualTo(500);
        for (int round = 0; round < 50; round++) {
            int from = random.nextInt(500);
            int to = from + random.nextInt(500 - from + 1);
            AccountMonthTraffic t = store.load("acme", Instant.ofEpochSecond(T + 300L * from - random.nextInt(300)),
                    Instant.ofEpochSecond(T + 300L * to));
            assertThat(t.size()).isEqualTo(to - from);
            for (int i = 0; i < t.size(); i++) {
                assertThat(t.startEpochSecond(i)).isEqualTo(T + 300L * (from + i));
                assertThat(t.valid(i)).isEqualTo(from + i);
                assertThat(t.errorRequests(i)).isEqualTo((from + i) % 3);
            }
        }
    }

    @Test
    @DisplayName("Issue 28.3 an account held narrow (int offsets and counts) widens when a start or a count leaves an int, values unchanged")
    void widensWhenNeeded() {
        InMemoryAggregates store = new InMemoryAggregates();
        long far = 300L * (Integer.MAX_VALUE / 100); // seconds, 5-minute aligned: more than 68 years after T
        long[] starts = {T, T + 300, T - 300, T + far, T - far, T + 600};
        int seq = 0;
        for (long start : starts) {
            store.apply(batch("acme", start, "shardId-000000000000", seq, seq + 1, 7, 1));
            seq++;
        }
        store.apply(batch("acme", T + 300, "shardId-000000000000", seq, seq + 1, Integer.MAX_VALUE, 0));
        seq++;
        AccountMonthTraffic t = store.load("acme", Instant.ofEpochSecond(T - far), Instant.ofEpochSecond(T + far + 1));
        assertThat(t.size()).isEqualTo(6);
        long[] sorted = {T - far, T - 300, T, T + 300, T + 600, T + far};
        for (int i = 0; i < sorted.length; i++) {
            assertThat(t.startEpochSecond(i)).isEqualTo(sorted[i]);
            assertThat(t.valid(i)).isEqualTo(sorted[i] == T + 300 ? 7L + Integer.MAX_VALUE : 7);
            assertThat(t.errorRequests(i)).isEqualTo(1);
        }
        assertThat(store.load("acme", Instant.ofEpochSecond(T - 300), Instant.ofEpochSecond(T + 601)).size()).isEqualTo(4);
        assertThat(store.mark(new AggregateKey("acme", T + far), "shardId-000000000000"))
                .isEqualTo(BASE.add(BigInteger.valueOf(3)).toString());
        assertThat(store.all()).hasSize(6);
        assertThat(store.keys()).isEqualTo(6);
    }
}
