package dev.slaledger.ingest;

import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups the accepted records of one delivery by aggregate key (issue 3 item 2). An
 * open-addressing table on (accountId, interval): a batch of 10,000 records touches a few
 * hundred keys, and looking one up must not allocate (docs/benchmarks.md).
 */
public final class BatchAggregator {
    private String[] accounts = new String[256];
    private long[] intervals = new long[256];
    private KeyBatch[] batches = new KeyBatch[256];
    private final List<KeyBatch> inOrder = new ArrayList<>();

    public void add(String accountId, long intervalStart, String shardId, String sequenceNumber,
            IntervalCounts counts, int recordIndex) {
        find(accountId, intervalStart).add(shardId, sequenceNumber, counts, recordIndex);
    }

    private KeyBatch find(String accountId, long intervalStart) {
        int mask = accounts.length - 1;
        int slot = hash(accountId, intervalStart) & mask;
        while (true) {
            String a = accounts[slot];
            if (a == null) {
                break;
            }
            if (intervals[slot] == intervalStart && (a == accountId || a.equals(accountId))) {
                return batches[slot];
            }
            slot = (slot + 1) & mask;
        }
        KeyBatch created = new KeyBatch(new AggregateKey(accountId, intervalStart));
        accounts[slot] = accountId;
        intervals[slot] = intervalStart;
        batches[slot] = created;
        inOrder.add(created);
        if (inOrder.size() * 2 > accounts.length) {
            grow();
        }
        return created;
    }

    private static int hash(String accountId, long intervalStart) {
        int h = accountId.hashCode() * 31 + Long.hashCode(intervalStart / 300);
        return h ^ (h >>> 16);
    }

    private void grow() {
        int capacity = accounts.length * 2;
        accounts = new String[capacity];
        intervals = new long[capacity];
        batches = new KeyBatch[capacity];
        for (KeyBatch b : inOrder) {
            int slot = hash(b.key().accountId(), b.key().intervalStart()) & (capacity - 1);
            while (accounts[slot] != null) {
                slot = (slot + 1) & (capacity - 1);
            }
            accounts[slot] = b.key().accountId();
            intervals[slot] = b.key().intervalStart();
            batches[slot] = b;
        }
    }

    /** The keys in the order the batch first touched them. */
    public List<KeyBatch> keys() {
        return inOrder;
    }

    public int size() {
        return inOrder.size();
    }
}
