package dev.slaledger.ingest;

import java.time.Instant;

/**
 * One log line per batch in CloudWatch Embedded Metric Format: CloudWatch turns it into
 * metrics without an SDK call. Counts only; no account ids, no payloads.
 */
final class MetricLine {
    private MetricLine() {
    }

    static String of(BatchOutcome o, Instant now) {
        return "{\"_aws\":{\"Timestamp\":" + now.toEpochMilli()
                + ",\"CloudWatchMetrics\":[{\"Namespace\":\"SlaLedger/Ingest\",\"Dimensions\":[[]],\"Metrics\":["
                + metric("RecordsIn") + "," + metric("Aggregated") + "," + metric("Duplicates") + ","
                + metric("Quarantined") + "," + metric("Failed") + "," + metric("Keys") + ","
                + metric("AggregateWrites") + "," + metric("QuarantineWrites") + "," + metric("StaleMarks") + ","
                + metric("ControlMessages")
                + "]}]},\"RecordsIn\":" + o.recordsIn() + ",\"Aggregated\":" + o.aggregated()
                + ",\"Duplicates\":" + o.duplicates() + ",\"Quarantined\":" + o.quarantined()
                + ",\"Failed\":" + o.failed() + ",\"Keys\":" + o.keys() + ",\"AggregateWrites\":" + o.aggregateWrites()
                + ",\"QuarantineWrites\":" + o.quarantineWrites() + ",\"StaleMarks\":" + o.staleMarks()
                + ",\"ControlMessages\":" + o.controlMessages() + "}";
    }

    private static String metric(String name) {
        return "{\"Name\":\"" + name + "\",\"Unit\":\"Count\"}";
    }
}
