package dev.slaledger.adapter.memory;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.AggregateWriteProtocol;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.KeyBatch;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The aggregates table in process memory, both its roles: the ingest's write port ({@link AggregateStore})
 * and the month-end's read port ({@link AggregateRepository}), with the table's semantics exactly: the
 * same {@link AggregateWriteProtocol} {@code DynamoDbAggregateStore} speaks (per-shard high-water marks,
 * a folded range cut by a mark refused, only the records above the marks applied on a redelivery, a
 * write that would take an interval's count above {@link CountLimits#PER_INTERVAL} refused with
 * {@code COUNT_OUT_OF_RANGE} (S7.5), re-ingested abandoned ranges keyed by their id), each conditional
 * update evaluated as DynamoDB evaluates its condition expression, and the same number of requests. No
 * TTL: a process lives for one run.
 *
 * <p>Memory is one small object per (account, interval) key, whatever the number of records. Safe for
 * one writer and readers at other times (the local runtime's use); every method is synchronized.
 */
public final class InMemoryAggregates implements AggregateStore, AggregateRepository {
    /**
     * Sees every request the protocol sends (tests and harnesses: fault injection, request counts).
     * {@code land} applies the update (if its condition holds); not calling it is a request that never
     * reached the table; throwing after calling it, a response lost after the table applied it.
     */
    public interface Requests {
        Requests NONE = (key, land) -> land.run();

        void update(AggregateKey key, Runnable land);

        default void read(AggregateKey key) {
        }
    }

    /** One key's counts and high-water marks; one shard is the common case and holds no map. */
    private static final class Cell implements AggregateWriteProtocol.Stored {
        long v;
        long e;
        long u;
        long x;
        /** Of x, by kind (S2.4 (i)-(iii), S9.6): null until a flagged error of a known kind. */
        long[] kinds;
        String shard;
        String mark;
        Map<String, String> otherShards;
        /** Per shard: re-ingested range ids, and records written alone (rare: null until one). */
        Map<String, Set<String>> recovered;
        Map<String, Set<String>> writtenAlone;

        @Override
        public String mark(String shardId) {
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

        @Override
        public long count(int k) {
            return switch (k) {
                case 0 -> v;
                case 1 -> e;
                case 2 -> u;
                case 3 -> x;
                default -> kinds == null ? 0 : kinds[k - 4];
            };
        }

        @Override
        public boolean recovered(String shardId, String rangeId) {
            return recovered != null && recovered.getOrDefault(shardId, Set.of()).contains(rangeId);
        }

        @Override
        public boolean writtenAlone(String shardId, String sequenceNumber) {
            return writtenAlone != null && writtenAlone.getOrDefault(shardId, Set.of()).contains(sequenceNumber);
        }

        /** A copy, as a failed condition returns the item (ALL_OLD): later writes do not change it. */
        Cell copy() {
            Cell c = new Cell();
            c.v = v;
            c.e = e;
            c.u = u;
            c.x = x;
            c.kinds = kinds == null ? null : kinds.clone();
            c.shard = shard;
            c.mark = mark;
            c.otherShards = otherShards == null ? null : new HashMap<>(otherShards);
            c.recovered = copy(recovered);
            c.writtenAlone = copy(writtenAlone);
            return c;
        }

        private static Map<String, Set<String>> copy(Map<String, Set<String>> sets) {
            if (sets == null) {
                return null;
            }
            Map<String, Set<String>> out = new HashMap<>();
            sets.forEach((k, s) -> out.put(k, new HashSet<>(s)));
            return out;
        }
    }

    private final Map<String, TreeMap<Long, Cell>> byAccount = new HashMap<>();
    private final Requests requests;
    private long keys;

    public InMemoryAggregates() {
        this(Requests.NONE);
    }

    /** @param requests sees every request (fault injection, counting) */
    public InMemoryAggregates(Requests requests) {
        this.requests = requests;
    }

    private Cell cell(AggregateKey key) {
        TreeMap<Long, Cell> intervals = byAccount.get(key.accountId());
        return intervals == null ? null : intervals.get(key.intervalStart());
    }

    private final AggregateWriteProtocol.Table table = new AggregateWriteProtocol.Table() {
        @Override
        public AggregateWriteProtocol.Stored read(AggregateKey key) {
            requests.read(key);
            Cell c = cell(key);
            return c == null ? null : c.copy();
        }

        @Override
        public AggregateWriteProtocol.Stored update(AggregateWriteProtocol.Update update) {
            AggregateWriteProtocol.Stored[] result = {null};
            requests.update(update.key(), () -> result[0] = land(update));
            if (result[0] == null) {
                throw new IllegalStateException("the request hook neither applied the update nor failed");
            }
            return result[0];
        }
    };

    /** The update as DynamoDB evaluates it: the whole condition, then ADD and SET, or ALL_OLD. */
    private AggregateWriteProtocol.Stored land(AggregateWriteProtocol.Update u) {
        Cell cell = cell(u.key());
        boolean holds = AggregateWriteProtocol.marksHold(u.marks(), cell)
                && AggregateWriteProtocol.boundHolds(u.sums(), cell)
                && (!u.isRecovery() || cell == null || !cell.recovered(u.recoveryShard(), u.recoveryId()));
        if (!holds) {
            return cell == null ? AggregateWriteProtocol.NOT_RETURNED : cell.copy();
        }
        if (cell == null) {
            cell = new Cell();
            byAccount.computeIfAbsent(u.key().accountId(), a -> new TreeMap<>()).put(u.key().intervalStart(), cell);
            keys++;
        }
        long[] sum = u.sums();
        cell.v += sum[0];
        cell.e += sum[1];
        cell.u += sum[2];
        cell.x += sum[3];
        if ((sum[4] | sum[5] | sum[6]) != 0) {
            if (cell.kinds == null) {
                cell.kinds = new long[3];
            }
            for (int k = 0; k < 3; k++) {
                cell.kinds[k] += sum[4 + k];
            }
        }
        for (AggregateWriteProtocol.ShardMark m : u.marks()) {
            cell.setMark(m.shardId(), m.last());
        }
        if (u.writtenAlone() != null && !u.marks().isEmpty()) {
            if (cell.writtenAlone == null) {
                cell.writtenAlone = new HashMap<>();
            }
            cell.writtenAlone.computeIfAbsent(u.marks().get(0).shardId(), s -> new HashSet<>()).add(u.writtenAlone());
        }
        if (u.isRecovery()) {
            if (cell.recovered == null) {
                cell.recovered = new HashMap<>();
            }
            cell.recovered.computeIfAbsent(u.recoveryShard(), s -> new HashSet<>()).add(u.recoveryId());
        }
        return AggregateWriteProtocol.APPLIED;
    }

    @Override
    public synchronized ApplyResult apply(KeyBatch batch) {
        return AggregateWriteProtocol.apply(table, batch);
    }

    @Override
    public synchronized ApplyResult recover(KeyBatch batch, String shardId, String rangeId) {
        return AggregateWriteProtocol.recover(table, batch, shardId, rangeId);
    }

    /** Every aggregate of the account with an interval start in {@code [from, to)}, in interval order. */
    @Override
    public synchronized AccountMonthTraffic load(String accountId, Instant fromInclusive, Instant toExclusive) {
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        TreeMap<Long, Cell> intervals = byAccount.get(accountId);
        if (intervals != null) {
            intervals.subMap(fromInclusive.getEpochSecond(), true, toExclusive.getEpochSecond(), false)
                    .forEach((start, c) -> {
                        if (c.kinds == null) {
                            traffic.add(start, c.v, c.e + c.u, c.x);
                        } else {
                            traffic.add(start, c.v, c.e + c.u, c.x, c.kinds[0], c.kinds[1], c.kinds[2]);
                        }
                    });
        }
        return traffic;
    }

    /**
     * Every aggregate, as {@code account@intervalStart -> [v, e, u, x, xm, xc, xb]} (the excluded errors by
     * kind last, S9.6), sorted (tests and harnesses).
     */
    public synchronized Map<String, long[]> all() {
        Map<String, long[]> out = new TreeMap<>();
        byAccount.forEach((account, intervals) -> intervals.forEach(
                (start, c) -> out.put(account + "@" + start, c.kinds == null ? new long[] {c.v, c.e, c.u, c.x, 0, 0, 0}
                        : new long[] {c.v, c.e, c.u, c.x, c.kinds[0], c.kinds[1], c.kinds[2]})));
        return out;
    }

    /** The shard's high-water mark of a key, or null (tests). */
    public synchronized String mark(AggregateKey key, String shardId) {
        Cell c = cell(key);
        return c == null ? null : c.mark(shardId);
    }

    /** The (account, interval) keys held. */
    public synchronized long keys() {
        return keys;
    }
}
