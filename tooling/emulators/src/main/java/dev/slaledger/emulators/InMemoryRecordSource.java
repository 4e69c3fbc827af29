package dev.slaledger.emulators;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link KinesisEsm}'s source on records held in memory, per shard in stream order: for runs where
 * a real stream would be too slow (the fault schedules, the local runtime's in-process engine, the load
 * harness). It reshards as Kinesis documents it (moto's SplitShard and MergeShards move the parent's
 * records into the children instead): {@link #split} and {@link #merge} close the parents, which keep
 * their records, and open children whose records come after; reading it back gives the lineage
 * ({@link #parents}) and which shards have ended ({@link #closed}).
 */
public final class InMemoryRecordSource implements KinesisEsm.RecordSource {
    private final Map<String, List<KinesisEsm.SourceRecord>> shards = new LinkedHashMap<>();
    private final Map<String, Integer> position = new HashMap<>();
    private final Map<String, List<String>> parents = new HashMap<>();
    private final Set<String> closed = new HashSet<>();

    /** Appends a record to its shard; sequence numbers must grow within a shard, and the shard be open. */
    public InMemoryRecordSource add(KinesisEsm.SourceRecord record) {
        if (closed.contains(record.shardId())) {
            throw new IllegalStateException(record.shardId() + " has ended: no record can be put on it");
        }
        List<KinesisEsm.SourceRecord> shard = shards.computeIfAbsent(record.shardId(), s -> new ArrayList<>());
        position.put(record.shardId() + ":" + record.sequenceNumber(), shard.size());
        shard.add(record);
        return this;
    }

    /** A split: {@code parent} ends, {@code left} and {@code right} start (their records are added later). */
    public InMemoryRecordSource split(String parent, String left, String right) {
        close(parent);
        open(left, List.of(parent));
        open(right, List.of(parent));
        return this;
    }

    /** A merge: {@code parent} and {@code adjacent} end, {@code child} starts. */
    public InMemoryRecordSource merge(String parent, String adjacent, String child) {
        close(parent);
        close(adjacent);
        open(child, List.of(parent, adjacent));
        return this;
    }

    private void close(String shard) {
        shards.computeIfAbsent(shard, s -> new ArrayList<>());
        if (!closed.add(shard)) {
            throw new IllegalStateException(shard + " has already ended");
        }
    }

    private void open(String shard, List<String> from) {
        if (shards.containsKey(shard)) {
            throw new IllegalStateException(shard + " exists");
        }
        shards.put(shard, new ArrayList<>());
        parents.put(shard, List.copyOf(from));
    }

    @Override
    public List<String> shards() {
        return List.copyOf(shards.keySet());
    }

    @Override
    public List<String> parents(String shardId) {
        return parents.getOrDefault(shardId, List.of());
    }

    @Override
    public boolean closed(String shardId) {
        return closed.contains(shardId);
    }

    @Override
    public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
        List<KinesisEsm.SourceRecord> shard = shards.getOrDefault(shardId, List.of());
        int from = afterSequence == null ? 0 : position.get(shardId + ":" + afterSequence) + 1;
        return List.copyOf(shard.subList(Math.min(from, shard.size()), Math.min(shard.size(), from + max)));
    }

    /** Every record of the shard, in order (tests: the reader ingest's reconciliation uses). */
    public List<KinesisEsm.SourceRecord> all(String shardId) {
        return List.copyOf(shards.getOrDefault(shardId, List.of()));
    }

    /** The first index of a record of the shard arrived at or after {@code at}. */
    public int indexAt(String shardId, Instant at) {
        List<KinesisEsm.SourceRecord> shard = shards.getOrDefault(shardId, List.of());
        for (int i = 0; i < shard.size(); i++) {
            if (!shard.get(i).arrival().isBefore(at)) {
                return i;
            }
        }
        return shard.size();
    }
}
