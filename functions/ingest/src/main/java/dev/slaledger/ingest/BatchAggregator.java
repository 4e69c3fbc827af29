package dev.slaledger.ingest;

import dev.slaledger.core.traffic.IntervalCounts;

/**
 * The fold of one delivery by (account, interval) as the benchmarks measure it (docs/benchmarks.md,
 * "Ingest"): the very fold of the write step ({@link Segment}, a window of one batch), behind a public
 * face. Looking a key up allocates nothing.
 */
public final class BatchAggregator {
    private final Segment segment;

    public BatchAggregator() {
        this.segment = new Segment("shardId-000000000000", false);
    }

    public void add(String accountId, long intervalStart, String shardId, String sequenceNumber,
            IntervalCounts counts, int recordIndex) {
        segment.fold(accountId, intervalStart, shardId, sequenceNumber, counts, recordIndex);
    }

    /** The distinct (account, interval) keys folded. */
    public int size() {
        return segment.size();
    }
}
