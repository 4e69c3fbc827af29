package dev.slaledger.emulators;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@link KinesisEsm}'s source on a real (emulated) stream: ListShards, then GetShardIterator
 * ({@code TRIM_HORIZON}, or {@code AFTER_SEQUENCE_NUMBER} the last record read) and GetRecords, as
 * the event source mapping polls a shard. On moto, sequence numbers are "1", "2", ... per stream.
 */
public final class KinesisStreamSource implements KinesisEsm.RecordSource {
    private final KinesisClient kinesis;
    private final String stream;

    public KinesisStreamSource(KinesisClient kinesis, String stream) {
        this.kinesis = Objects.requireNonNull(kinesis);
        this.stream = Objects.requireNonNull(stream);
    }

    @Override
    public List<String> shards() {
        return listShards().stream().map(Shard::shardId).toList();
    }

    private List<Shard> listShards() {
        return kinesis.listShards(b -> b.streamName(stream)).shards();
    }

    @Override
    public List<String> parents(String shardId) {
        for (Shard s : listShards()) {
            if (s.shardId().equals(shardId)) {
                List<String> out = new ArrayList<>(2);
                if (s.parentShardId() != null) {
                    out.add(s.parentShardId());
                }
                if (s.adjacentParentShardId() != null) {
                    out.add(s.adjacentParentShardId());
                }
                return out;
            }
        }
        return List.of();
    }

    @Override
    public boolean closed(String shardId) {
        for (Shard s : listShards()) {
            if (s.shardId().equals(shardId)) {
                return s.sequenceNumberRange() != null && s.sequenceNumberRange().endingSequenceNumber() != null;
            }
        }
        return false;
    }

    @Override
    public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
        String iterator = kinesis.getShardIterator(b -> {
            b.streamName(stream).shardId(shardId);
            if (afterSequence == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(afterSequence);
            }
        }).shardIterator();
        List<KinesisEsm.SourceRecord> out = new ArrayList<>();
        while (iterator != null && out.size() < max) {
            String it = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(it).limit(Math.min(10_000, max - out.size())));
            for (Record r : page.records()) {
                out.add(new KinesisEsm.SourceRecord(shardId, r.sequenceNumber(), r.partitionKey(),
                        r.approximateArrivalTimestamp(), r.data().asByteArray()));
            }
            if (page.records().isEmpty()) {
                break;
            }
            iterator = page.nextShardIterator();
        }
        return out;
    }
}
