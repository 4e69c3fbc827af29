package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.memory.InMemoryAggregates;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 items 2 and 4: the in-memory aggregates table (adapters/memory, where the fault schedules run
 * by the thousand) has exactly the conditional-write semantics of the DynamoDB store: the same random
 * sequences of writes (records one by one, folded ranges, redeliveries, ranges a mark cuts, sums over the
 * interval bound, re-ingested abandoned ranges, records written alone) give the same answers, the same
 * refusals, the same number of UpdateItem and GetItem requests, and the same items, on both.
 */
@UsesEngines
class AggregateStoresAgreeIT {
    private static final BigInteger SEQ = new BigInteger("49590338271490256608559692538361571095921575989136588898");
    private static final String[] SHARDS = {"shardId-000000000000", "shardId-000000000003"};

    private static String seq(long n) {
        return SEQ.add(BigInteger.valueOf(n)).toString();
    }

    @Test
    @DisplayName("Issue 26.2 the in-memory store and the DynamoDB store answer 700 random writes alike: results, refusals, requests and items")
    void storesAgree() {
        try (Harness h = new Harness(Events.CLOCK)) {
            long[] memoryRequests = new long[2]; // updates, reads
            InMemoryAggregates memory = new InMemoryAggregates(new InMemoryAggregates.Requests() {
                @Override
                public void update(AggregateKey key, Runnable land) {
                    memoryRequests[0]++;
                    land.run();
                }

                @Override
                public void read(AggregateKey key) {
                    memoryRequests[1]++;
                }
            });
            Random rnd = new Random(26);
            Map<String, Long> next = new HashMap<>();
            h.counter.reset();
            int partlyApplied = 0;
            int refused = 0;
            int duplicates = 0;
            for (int op = 0; op < 700; op++) {
                AggregateKey key = new AggregateKey("acct-" + rnd.nextInt(5), 1_791_028_800L + 300L * rnd.nextInt(3));
                String shard = SHARDS[rnd.nextInt(2)];
                String nk = key + shard;
                long from = next.getOrDefault(nk, 0L);
                if (rnd.nextInt(4) == 0) {
                    from = Math.max(0, from - 1 - rnd.nextInt(6)); // a redelivery, maybe overlapping
                }
                KeyBatch batch = new KeyBatch(key);
                long n = 1 + rnd.nextInt(4);
                long big = rnd.nextInt(25) == 0 ? CountLimits.PER_INTERVAL / 4 : 1;
                if (rnd.nextInt(3) == 0) {
                    batch.addRange(shard, seq(from), seq(from + n), new IntervalCounts(n * big, n % 2, 0, 0), -1);
                } else {
                    for (long s = from; s <= from + n; s++) {
                        batch.add(shard, seq(s), new IntervalCounts(big, s % 3 == 0 ? 1 : 0, s % 5 == 0 ? 1 : 0, 0),
                                (int) (s - from));
                    }
                }
                next.merge(nk, from + n + 1, Math::max);
                if (rnd.nextInt(30) == 0) {
                    batch.writtenAlone(seq(from));
                }
                boolean recover = rnd.nextInt(15) == 0;
                String rangeId = seq(rnd.nextInt(5) * 10);
                Object m = outcome(() -> recover ? memory.recover(batch, shard, rangeId) : memory.apply(batch));
                Object d = outcome(() -> recover ? h.aggregates.recover(batch, shard, rangeId) : h.aggregates.apply(batch));
                assertThat(d).as("operation %d on %s: %s", op, key, batch.contributions()).isEqualTo(m);
                partlyApplied += m instanceof String s && s.startsWith("PartlyApplied") ? 1 : 0;
                refused += m instanceof AggregateStore.ApplyResult r && r.refused() != null ? 1 : 0;
                duplicates += m instanceof AggregateStore.ApplyResult r && r.duplicateRecords() > 0 ? 1 : 0;
            }
            assertThat(h.counter.count("UpdateItem")).isEqualTo(memoryRequests[0]);
            assertThat(h.counter.count("GetItem")).isEqualTo(memoryRequests[1]);
            Map<String, IntervalCounts> inMemory = new TreeMap<>();
            memory.all().forEach((k, c) -> inMemory.put(k, new IntervalCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6])));
            assertThat(h.aggregates()).isEqualTo(inMemory);
            assertThat(partlyApplied).as("ranges a mark cut").isPositive();
            assertThat(refused).as("sums over the interval bound").isPositive();
            assertThat(duplicates).as("redeliveries").isPositive();
        }
    }

    /** An apply's result, or the refusal it threw, comparable across stores. */
    private static Object outcome(java.util.function.Supplier<AggregateStore.ApplyResult> write) {
        try {
            AggregateStore.ApplyResult r = write.get();
            return r.refused() == null ? r : new AggregateStore.ApplyResult(r.appliedRecords(), r.duplicateRecords(),
                    r.writes(), r.refused());
        } catch (AggregateStore.PartlyApplied e) {
            return "PartlyApplied: " + e.getMessage();
        }
    }
}
