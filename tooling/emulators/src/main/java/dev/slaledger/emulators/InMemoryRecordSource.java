package dev.slaledger.emulators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KinesisEsm}'s source on records held in memory, per shard in stream order: for runs where
 * a real stream would be too slow (the fault-injection schedules on the fast path).
 */
public final class InMemoryRecordSource implements KinesisEsm.RecordSource {
    private final Map<String, List<KinesisEsm.SourceRecord>> shards = new LinkedHashMap<>();
    private final Map<String, Integer> position = new HashMap<>();

    /** Appends a record to its shard; sequence numbers must grow within a shard. */
    public InMemoryRecordSource add(KinesisEsm.SourceRecord record) {
        List<KinesisEsm.SourceRecord> shard = shards.computeIfAbsent(record.shardId(), s -> new ArrayList<>());
        position.put(record.shardId() + ":" + record.sequenceNumber(), shard.size());
        shard.add(record);
        return this;
    }

    @Override
    public List<String> shards() {
        return List.copyOf(shards.keySet());
    }

    @Override
    public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
        List<KinesisEsm.SourceRecord> shard = shards.getOrDefault(shardId, List.of());
        int from = afterSequence == null ? 0 : position.get(shardId + ":" + afterSequence) + 1;
        return List.copyOf(shard.subList(Math.min(from, shard.size()), Math.min(shard.size(), from + max)));
    }
}
