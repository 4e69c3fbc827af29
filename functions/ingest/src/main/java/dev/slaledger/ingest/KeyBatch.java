package dev.slaledger.ingest;

import dev.slaledger.core.traffic.IntervalCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * What one delivery adds to one aggregate key: every contributing record with its stream
 * position, so that a redelivery can apply exactly the records a stored high-water mark has
 * not yet seen.
 */
public final class KeyBatch {
    /** One record's part: its stream position, its counts, its index in the delivered batch. */
    public record Contribution(String shardId, String sequenceNumber, IntervalCounts counts, int recordIndex) {
    }

    private final AggregateKey key;
    private final List<Contribution> contributions = new ArrayList<>(4);

    public KeyBatch(AggregateKey key) {
        this.key = key;
    }

    public AggregateKey key() {
        return key;
    }

    public List<Contribution> contributions() {
        return contributions;
    }

    void add(Contribution c) {
        contributions.add(c);
    }
}
