package dev.slaledger.benchmarks.harness;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.SequenceNumbers;
import java.util.HashMap;
import java.util.Map;

/**
 * The load harness's aggregate store for runs too large for moto (issue 18): it takes exactly the
 * calls the real ingest code makes on {@code DynamoDbAggregateStore} and counts, per (account,
 * interval), the conditional UpdateItem requests that store would send for them and their write
 * units, keeping the counts and per-shard marks so that the totals can be checked against the
 * generated traffic. In a run without faults every mark is below the batch's records, so the
 * store's first conditional write always succeeds: one request per {@code apply}. The harness's
 * moto sample checks that count against the requests the real store sends to moto.
 *
 * <p>Write units: an UpdateItem is billed on the larger of the item before and after, 1 unit per
 * KB; the item size follows DynamoDB's rule (attribute names plus values; a number takes about
 * one byte per two digits plus one; the shard mark is 26 bytes of binary), as docs/ingest.md sizes it.
 */
final class CountingAggregateStore implements AggregateStore {
    static final class Item {
        long v;
        long e;
        long u;
        long x;
        String mark;
        int writes;
        int writeUnits;
    }

    final Map<AggregateKey, Item> items = new HashMap<>();
    long requests;
    long writeUnits;

    @Override
    public ApplyResult apply(KeyBatch batch) {
        Item item = items.computeIfAbsent(batch.key(), k -> new Item());
        int applied = 0;
        for (KeyBatch.Contribution c : batch.contributions()) {
            if (item.mark != null && SequenceNumbers.compare(c.firstSequenceNumber(), item.mark) <= 0) {
                throw new IllegalStateException("a fault-free run redelivered " + batch.key());
            }
            IntervalCounts n = c.counts();
            item.v += n.valid();
            item.e += n.errors();
            item.u += n.unreachedErrors();
            item.x += n.excludedErrors();
            if (item.mark == null || SequenceNumbers.compare(c.sequenceNumber(), item.mark) > 0) {
                item.mark = c.sequenceNumber();
            }
            applied++;
        }
        int units = (int) Math.max(1, (size(batch.key(), item) + 1023) / 1024);
        item.writes++;
        item.writeUnits += units;
        requests++;
        writeUnits += units;
        return new ApplyResult(applied, 0, 1);
    }

    @Override
    public ApplyResult recover(KeyBatch batch, String shardId, String rangeId) {
        throw new UnsupportedOperationException("a fault-free load run gives nothing up");
    }

    /** DynamoDB's size of the stored item: a, i, v/e/u/x when non-zero, t, one shard mark h<n>. */
    static long size(AggregateKey key, Item item) {
        long size = 1 + key.accountId().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + 1 + number(key.intervalStart()) + 1 + number(1_800_000_000L) + 2 + 26;
        for (long n : new long[] {item.v, item.e, item.u, item.x}) {
            if (n != 0) {
                size += 1 + number(n);
            }
        }
        return size;
    }

    private static long number(long n) {
        return (Long.toString(n).length() + 1) / 2 + 1;
    }
}
