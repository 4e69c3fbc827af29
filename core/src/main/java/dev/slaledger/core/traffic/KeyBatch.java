package dev.slaledger.core.traffic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one delivery adds to one aggregate key: every contributing record with its stream
 * position, so that a redelivery can apply exactly the records a stored high-water mark has
 * not yet seen. Held column-wise: adding a record allocates nothing.
 */
public final class KeyBatch {
    /**
     * One record's part: its stream position, its counts, its index in the delivered batch. Or,
     * for a tumbling window's carried state (docs/ingest.md), the sums of a shard's records from
     * {@code firstSequenceNumber} to {@code sequenceNumber} that the state folded together, with
     * {@code recordIndex} -1: such a part is applied whole or not at all.
     */
    public record Contribution(String shardId, String sequenceNumber, IntervalCounts counts, int recordIndex,
            String firstSequenceNumber) {
        public Contribution(String shardId, String sequenceNumber, IntervalCounts counts, int recordIndex) {
            this(shardId, sequenceNumber, counts, recordIndex, sequenceNumber);
        }

        /** Whether this part stands for several records folded together (a window's state). */
        public boolean isRange() {
            return !firstSequenceNumber.equals(sequenceNumber);
        }
    }

    private final AggregateKey key;
    private String[] shards = new String[8];
    private String[] sequences = new String[8];
    private String[] firsts = new String[8];
    private IntervalCounts[] counts = new IntervalCounts[8];
    private int[] indexes = new int[8];
    private int size;
    private String writtenAlone;

    public KeyBatch(AggregateKey key) {
        this.key = key;
    }

    /**
     * Marks this write as the one of a single stream record written inside its own invocation (a
     * record whose keys alone exceed a window's state budget, docs/ingest.md): the store records its
     * sequence number in the item, so that a re-ingestion of an abandoned range leaves it out.
     */
    public KeyBatch writtenAlone(String sequenceNumber) {
        this.writtenAlone = sequenceNumber;
        return this;
    }

    /** The sequence number of {@link #writtenAlone(String)}, or null. */
    public String writtenAlone() {
        return writtenAlone;
    }

    public AggregateKey key() {
        return key;
    }

    public int size() {
        return size;
    }

    public List<Contribution> contributions() {
        List<Contribution> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new Contribution(shards[i], sequences[i], counts[i], indexes[i], firsts[i]));
        }
        return out;
    }

    public void add(String shardId, String sequenceNumber, IntervalCounts c, int recordIndex) {
        addRange(shardId, sequenceNumber, sequenceNumber, c, recordIndex);
    }

    /**
     * Adds the sums of a shard's records {@code firstSequenceNumber..lastSequenceNumber} of this key
     * as one part (a tumbling window's state): the store applies it whole or not at all.
     */
    public void addRange(String shardId, String firstSequenceNumber, String lastSequenceNumber, IntervalCounts c,
            int recordIndex) {
        if (size == indexes.length) {
            int capacity = size * 2;
            shards = Arrays.copyOf(shards, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
            firsts = Arrays.copyOf(firsts, capacity);
            counts = Arrays.copyOf(counts, capacity);
            indexes = Arrays.copyOf(indexes, capacity);
        }
        shards[size] = shardId;
        sequences[size] = lastSequenceNumber;
        firsts[size] = firstSequenceNumber;
        counts[size] = c;
        indexes[size] = recordIndex;
        size++;
    }

    /** The delivered-batch index of every contributing record. */
    public int[] recordIndexes() {
        return Arrays.copyOf(indexes, size);
    }
}
