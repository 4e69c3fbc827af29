package dev.slaledger.ingest;

import java.util.Map;

/**
 * What one delivery did. Always {@code recordsIn == aggregated + quarantined + failed}, counted in
 * request records: a stream record holding a CloudWatch Logs subscription payload counts once per
 * log event (issue 21), and its control messages count in {@code controlMessages} only;
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
        Map<String, String> retryFrom,
        int controlMessages) {

    /** A batch without CloudWatch Logs control messages. */
    public BatchOutcome(int recordsIn, int aggregated, int duplicates, int quarantined, int failed, int keys,
            int aggregateWrites, int quarantineWrites, int staleMarks, Map<String, String> retryFrom) {
        this(recordsIn, aggregated, duplicates, quarantined, failed, keys, aggregateWrites, quarantineWrites,
                staleMarks, retryFrom, 0);
    }

    public BatchOutcome {
        if (recordsIn != aggregated + quarantined + failed) {
            throw new IllegalStateException("records in " + recordsIn + " != aggregated " + aggregated
                    + " + quarantined " + quarantined + " + failed " + failed);
        }
        retryFrom = Map.copyOf(retryFrom);
    }
}
