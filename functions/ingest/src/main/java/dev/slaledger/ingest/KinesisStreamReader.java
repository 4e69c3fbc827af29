package dev.slaledger.ingest;

import dev.slaledger.core.traffic.StreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@link ShardEnds.StreamReader} on Kinesis: {@code ListShards} for the shards' parents (once, and again
 * when a shard it does not know shows up), {@code GetShardIterator} ({@code AT_TIMESTAMP},
 * {@code AFTER_SEQUENCE_NUMBER}, {@code AT_SEQUENCE_NUMBER}) and {@code GetRecords} to read. Kinesis
 * cannot be read backwards, so the last record of an ended shard is found by a search on arrival time:
 * back from now by doubling steps to a time with records after it, then halving to the second (about
 * 25 requests, once per ended shard).
 */
final class KinesisStreamReader implements ShardEnds.StreamReader {
    static final int PAGE = 10_000;
    /** How far back a record can be: the longest stream retention Kinesis allows (365 days). */
    private static final Duration HORIZON = Duration.ofDays(366);

    private final KinesisClient kinesis;
    private final String streamArn;
    private final Clock clock;
    private Map<String, List<String>> parents;

    KinesisStreamReader(KinesisClient kinesis, String streamArn, Clock clock) {
        this.kinesis = Objects.requireNonNull(kinesis);
        this.streamArn = Objects.requireNonNull(streamArn);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public synchronized List<String> parents(String shardId) {
        if (parents == null || !parents.containsKey(shardId)) {
            Map<String, List<String>> all = new HashMap<>();
            String token = null;
            do {
                String next = token;
                ListShardsResponse page = kinesis.listShards(b -> {
                    if (next == null) {
                        b.streamARN(streamArn);
                    } else {
                        b.nextToken(next);
                    }
                });
                for (Shard s : page.shards()) {
                    List<String> p = new ArrayList<>(2);
                    if (s.parentShardId() != null) {
                        p.add(s.parentShardId());
                    }
                    if (s.adjacentParentShardId() != null) {
                        p.add(s.adjacentParentShardId());
                    }
                    all.put(s.shardId(), List.copyOf(p));
                }
                token = page.nextToken();
            } while (token != null);
            parents = all;
        }
        return parents.getOrDefault(shardId, List.of());
    }

    @Override
    public Instant lastArrival(String shardId) {
        Instant now = clock.instant();
        Duration back = Duration.ofMinutes(15);
        Instant lo = now.minus(back);
        while (!hasRecordFrom(shardId, lo)) {
            if (back.compareTo(HORIZON) > 0) {
                return null;
            }
            back = back.multipliedBy(2);
            lo = now.minus(back);
        }
        Instant hi = now.plus(Duration.ofMinutes(5)); // arrival clocks are Kinesis': leave room for skew
        while (Duration.between(lo, hi).toMillis() > 1_000) {
            Instant mid = lo.plusMillis(Duration.between(lo, hi).toMillis() / 2);
            if (hasRecordFrom(shardId, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Instant[] last = {null};
        read(shardId, lo, null, page -> {
            if (!page.isEmpty()) {
                last[0] = page.get(page.size() - 1).arrival();
            }
        });
        return last[0];
    }

    private boolean hasRecordFrom(String shardId, Instant from) {
        String iterator = kinesis.getShardIterator(b -> b.streamARN(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(from)).shardIterator();
        while (iterator != null) {
            String it = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.streamARN(streamArn).shardIterator(it).limit(1));
            if (!r.records().isEmpty()) {
                return true;
            }
            if (r.millisBehindLatest() != null && r.millisBehindLatest() == 0) {
                return false;
            }
            iterator = r.nextShardIterator();
        }
        return false;
    }

    @Override
    public void read(String shardId, Instant from, String afterSequence, Consumer<List<StreamRecord>> page) {
        String iterator = kinesis.getShardIterator(b -> {
            b.streamARN(streamArn).shardId(shardId);
            if (afterSequence != null) {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(afterSequence);
            } else {
                b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(from);
            }
        }).shardIterator();
        pages(shardId, iterator, null, page);
    }

    @Override
    public void readRange(String shardId, String first, String last, Consumer<List<StreamRecord>> page) {
        String iterator = kinesis.getShardIterator(b -> b.streamARN(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(first))
                .shardIterator();
        pages(shardId, iterator, last, page);
    }

    private void pages(String shardId, String iterator, String last, Consumer<List<StreamRecord>> page) {
        while (iterator != null) {
            String it = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.streamARN(streamArn).shardIterator(it).limit(PAGE));
            List<StreamRecord> out = new ArrayList<>(r.records().size());
            boolean end = false;
            for (Record k : r.records()) {
                if (last != null && dev.slaledger.core.traffic.SequenceNumbers.compare(k.sequenceNumber(), last) > 0) {
                    end = true;
                    break;
                }
                out.add(new StreamRecord(shardId, k.sequenceNumber(), k.approximateArrivalTimestamp(),
                        k.data().asByteArray()));
            }
            if (!out.isEmpty()) {
                page.accept(out);
            }
            if (end || (last != null && !out.isEmpty() && out.get(out.size() - 1).sequenceNumber().equals(last))) {
                return;
            }
            if (r.records().isEmpty() && r.millisBehindLatest() != null && r.millisBehindLatest() == 0) {
                return;
            }
            iterator = r.nextShardIterator();
        }
    }
}
