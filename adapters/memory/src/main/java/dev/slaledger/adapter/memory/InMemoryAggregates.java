package dev.slaledger.adapter.memory;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.SequenceNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregates table in process memory, both its roles: the ingest's write port ({@link AggregateStore})
 * and the month-end's read port ({@link AggregateRepository}), with the table's semantics
 * (DynamoDbAggregateStore): each record applied at most once ever through per-shard high-water marks,
 * only the records above the marks applied on a redelivery, and a batch that would take an interval's
 * count above {@link CountLimits#PER_INTERVAL} refused whole with {@code COUNT_OUT_OF_RANGE} (S7.5).
 * No TTL: a process lives for one run.
 *
 * <p>Memory is one small object per (account, interval) key, whatever the number of records. Safe for
 * one writer and readers at other times (the local runtime's use); every method is synchronized.
 */
public final class InMemoryAggregates implements AggregateStore, AggregateRepository {
    private static final String[] FIELD_NAMES = {"valid", "errors", "unreachedErrors", "excludedErrors"};

    /** One key's counts and high-water marks; one shard is the common case and holds no map. */
    private static final class Cell {
        long v;
        long e;
        long u;
        long x;
        String shard;
        String mark;
        Map<String, String> otherShards;

        String mark(String shardId) {
            if (shardId.equals(shard)) {
                return mark;
            }
            return otherShards == null ? null : otherShards.get(shardId);
        }

        void setMark(String shardId, String sequence) {
            if (shard == null || shard.equals(shardId)) {
                shard = shardId;
                mark = sequence;
            } else {
                if (otherShards == null) {
                    otherShards = new HashMap<>(2);
                }
                otherShards.put(shardId, sequence);
            }
        }

        long count(int k) {
            return switch (k) {
                case 0 -> v;
                case 1 -> e;
                case 2 -> u;
                default -> x;
            };
        }
    }

    private final Map<String, TreeMap<Long, Cell>> byAccount = new HashMap<>();
    private long keys;

    @Override
    public synchronized ApplyResult apply(KeyBatch batch) {
        TreeMap<Long, Cell> intervals = byAccount.get(batch.key().accountId());
        Cell cell = intervals == null ? null : intervals.get(batch.key().intervalStart());
        List<KeyBatch.Contribution> all = batch.contributions();
        List<KeyBatch.Contribution> pending = new ArrayList<>(all.size());
        for (KeyBatch.Contribution c : all) {
            String mark = cell == null ? null : cell.mark(c.shardId());
            if (mark == null || SequenceNumbers.compare(c.sequenceNumber(), mark) > 0) {
                pending.add(c);
            }
        }
        if (pending.isEmpty()) {
            return new ApplyResult(0, all.size(), 0);
        }
        long[] sum = new long[4];
        for (KeyBatch.Contribution c : pending) {
            IntervalCounts n = c.counts();
            long[] add = {n.valid(), n.errors(), n.unreachedErrors(), n.excludedErrors()};
            for (int k = 0; k < 4; k++) {
                long stored = cell == null ? 0 : cell.count(k);
                if (sum[k] < 0 || add[k] > CountLimits.PER_INTERVAL - stored - sum[k]) {
                    return new ApplyResult(0, all.size() - pending.size(), 0,
                            new Refusal(QuarantineReason.COUNT_OUT_OF_RANGE, FIELD_NAMES[k]
                                    + ": the interval would exceed " + CountLimits.PER_INTERVAL
                                    + " (per-interval maximum)", pending));
                }
                sum[k] += add[k];
            }
        }
        if (cell == null) {
            cell = new Cell();
            byAccount.computeIfAbsent(batch.key().accountId(), a -> new TreeMap<>())
                    .put(batch.key().intervalStart(), cell);
            keys++;
        }
        cell.v += sum[0];
        cell.e += sum[1];
        cell.u += sum[2];
        cell.x += sum[3];
        for (KeyBatch.Contribution c : pending) {
            String mark = cell.mark(c.shardId());
            if (mark == null || SequenceNumbers.compare(c.sequenceNumber(), mark) > 0) {
                cell.setMark(c.shardId(), c.sequenceNumber());
            }
        }
        return new ApplyResult(pending.size(), all.size() - pending.size(), 1);
    }

    /** Every aggregate of the account with an interval start in {@code [from, to)}, in interval order. */
    @Override
    public synchronized AccountMonthTraffic load(String accountId, Instant fromInclusive, Instant toExclusive) {
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        TreeMap<Long, Cell> intervals = byAccount.get(accountId);
        if (intervals != null) {
            intervals.subMap(fromInclusive.getEpochSecond(), true, toExclusive.getEpochSecond(), false)
                    .forEach((start, c) -> traffic.add(start, c.v, c.e + c.u, c.x));
        }
        return traffic;
    }

    /** The (account, interval) keys held. */
    public synchronized long keys() {
        return keys;
    }
}
