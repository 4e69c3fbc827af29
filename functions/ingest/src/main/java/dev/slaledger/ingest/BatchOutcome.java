package dev.slaledger.ingest;

import java.util.Map;

/**
 * What one delivery did. Always {@code recordsIn == aggregated + quarantined + failed};
 * {@code duplicates} (records an earlier delivery had already applied) are part of
 * {@code aggregated}. {@code retryFrom} maps a shard to the sequence number Lambda must
 * redeliver from (the earliest record that could not be stored); empty when all were stored.
 */
public record BatchOutcome(
        int recordsIn,
        int aggregated,
        int duplicates,
        int quarantined,
        int failed,
        int keys,
        int aggregateWrites,
        int quarantineWrites,
        int staleMarks,
        Map<String, String> retryFrom) {

    public BatchOutcome {
        if (recordsIn != aggregated + quarantined + failed) {
            throw new IllegalStateException("records in " + recordsIn + " != aggregated " + aggregated
                    + " + quarantined " + quarantined + " + failed " + failed);
        }
        retryFrom = Map.copyOf(retryFrom);
    }
}
