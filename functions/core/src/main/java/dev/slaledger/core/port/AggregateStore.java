package dev.slaledger.core.port;

import dev.slaledger.core.traffic.KeyBatch;

/**
 * The write role of the five-minute aggregates (ingest): adds one key's batch of records to its
 * aggregate, each record at most once ever whatever the redeliveries (per-shard high-water
 * marks). The read role is {@link AggregateRepository}.
 */
public interface AggregateStore {
    /** What applying one key's batch did. {@code writes} counts write requests sent. */
    record ApplyResult(int appliedRecords, int duplicateRecords, int writes) {
    }

    ApplyResult apply(KeyBatch batch);
}
