package dev.slaledger.core.traffic;

import java.time.Instant;
import java.util.Objects;

/**
 * One stream record as ingest sees it, free of Lambda types: where it sits in the stream
 * (shard and sequence number) and its payload, a D1 object.
 *
 * @param shardId        the Kinesis shard, e.g. {@code shardId-000000000003}
 * @param sequenceNumber the decimal sequence number within the shard
 * @param arrival        when Kinesis accepted the record (approximate arrival timestamp)
 * @param data           the record payload (already base64-decoded)
 */
public record StreamRecord(String shardId, String sequenceNumber, Instant arrival, byte[] data) {
    public StreamRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(data, "data");
        if (!SequenceNumbers.isCanonical(sequenceNumber)) {
            throw new IllegalArgumentException("not a Kinesis sequence number: " + sequenceNumber);
        }
    }
}
