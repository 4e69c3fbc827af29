package dev.slaledger.core.port;

import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineReason;
import java.util.List;
import java.util.Objects;

/**
 * The write role of the five-minute aggregates (ingest): adds one key's batch of records to its
 * aggregate, each record at most once ever whatever the redeliveries (per-shard high-water
 * marks). The read role is {@link AggregateRepository}.
 *
 * <p>A write the store cannot make for a reason retrying will not fix (S7.5: the interval would
 * exceed {@code CountLimits.PER_INTERVAL}, the table refuses the item) is not thrown: it comes
 * back as a {@link Refusal} naming the records, which the caller quarantines. Only transient
 * failures (throttling, 5xx, timeouts) are thrown.
 */
public interface AggregateStore {
    /**
     * The records of a key's batch the store will not take, and why (a reason that retrying
     * cannot fix). They were not applied: the key's high-water marks do not cover them.
     */
    record Refusal(QuarantineReason reason, String detail, List<KeyBatch.Contribution> records) {
        public Refusal {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(detail);
            records = List.copyOf(records);
        }
    }

    /**
     * What applying one key's batch did. {@code writes} counts write requests sent;
     * {@code refused} is null, or the records neither applied nor duplicates.
     */
    record ApplyResult(int appliedRecords, int duplicateRecords, int writes, Refusal refused) {
        public ApplyResult(int appliedRecords, int duplicateRecords, int writes) {
            this(appliedRecords, duplicateRecords, writes, null);
        }

        public int refusedRecords() {
            return refused == null ? 0 : refused.records().size();
        }
    }

    /**
     * A range part of the batch (a tumbling window's folded state, {@link KeyBatch#addRange}) whose
     * records the stored high-water mark covers only in part: some other writer (the per-batch mode
     * before a switch, a hand re-ingestion) applied some of them. Sums cannot be split, so neither
     * applying nor skipping the part is exact: nothing is written, and the caller must not report
     * the records done (docs/ingest.md, "A window that overlaps another writer").
     */
    final class PartlyApplied extends RuntimeException {
        public PartlyApplied(String message) {
            super(message);
        }
    }

    /**
     * @throws PartlyApplied if a range part is partly covered by the stored marks (nothing written)
     */
    ApplyResult apply(KeyBatch batch);

    /**
     * Adds records of a shard's range the Kinesis mapping gave up on (re-read from the stream by an
     * operator, docs/ingest.md "Records Lambda gives up on"), each at most once: keyed by the range's
     * id, not by the high-water marks (those records lie below marks that later records moved). The
     * marks are left as they are. Records the item shows written alone are left out.
     *
     * @param shardId the shard of the abandoned range
     * @param rangeId the range's id (its first sequence number): the same range re-ingested again is a duplicate
     */
    ApplyResult recover(KeyBatch batch, String shardId, String rangeId);
}
