package dev.slaledger.local;

import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.KinesisStreamSource;
import dev.slaledger.emulators.LocalAws;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The request stream on moto (emulators engine): records are put with PutRecords, and read back from
 * the last checkpoint by the event source mapping poller ({@link KinesisEsm} over
 * {@link KinesisStreamSource}).
 */
final class KinesisOnMoto implements AutoCloseable {
    static final String STREAM = "sla-local-requests";
    /**
     * The partition key of every record put: the records are D1 bytes the runtime does not parse
     * (raw records and access-log payloads alike), and the stream has one shard, so a stable key.
     */
    static final String PARTITION_KEY = "local";

    private final KinesisClient kinesis;
    /** Per shard, the last sequence number the mapping checkpointed. */
    private final Map<String, String> checkpoints = new HashMap<>();

    private KinesisOnMoto(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** Creates the stream (one shard) on moto and waits until it is active. */
    static KinesisOnMoto create(URI motoEndpoint) {
        KinesisClient kinesis = LocalAws.kinesis(motoEndpoint).build(); // JSON, not CBOR: moto answers CBOR with HTTP 500
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(1));
        for (int i = 0; kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE; i++) {
            if (i == 100) {
                throw new IllegalStateException("stream " + STREAM + " on moto did not become active");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the stream was created", e);
            }
        }
        return new KinesisOnMoto(kinesis);
    }

    /** PutRecords of {@code records} (at most 500); the sequence numbers moto gave them, in order. */
    List<String> put(List<byte[]> records) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (byte[] r : records) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(PARTITION_KEY)
                    .data(SdkBytes.fromByteArray(r)).build());
        }
        PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(STREAM).records(entries));
        if (put.failedRecordCount() != null && put.failedRecordCount() > 0) {
            throw new IllegalStateException("moto refused " + put.failedRecordCount() + " of " + records.size()
                    + " records: " + put.records().stream().filter(e -> e.errorCode() != null)
                            .map(PutRecordsResultEntry::errorMessage).findFirst().orElse(""));
        }
        pending = put.records();
        return put.records().stream().map(PutRecordsResultEntry::sequenceNumber).toList();
    }

    private List<PutRecordsResultEntry> pending = List.of();

    /** The stream from the last checkpoint of each shard (what the poller reads next). */
    KinesisEsm.RecordSource fromCheckpoint() {
        KinesisStreamSource stream = new KinesisStreamSource(kinesis, STREAM);
        return new KinesisEsm.RecordSource() {
            @Override
            public List<String> shards() {
                return stream.shards();
            }

            @Override
            public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
                return stream.read(shardId, afterSequence == null ? checkpoints.get(shardId) : afterSequence, max);
            }
        };
    }

    /** After the poller drained: the records last put are checkpointed. */
    void checkpoint() {
        for (PutRecordsResultEntry e : pending) {
            checkpoints.merge(e.shardId(), e.sequenceNumber(),
                    (a, b) -> new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b);
        }
        pending = List.of();
    }

    @Override
    public void close() {
        kinesis.close();
    }
}
