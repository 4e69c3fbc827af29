package dev.slaledger.adapter.memory;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.AggregateWriteProtocol;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.KeyBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
 * <p>Memory (issue 28 item 3: 20 million keys in a 3 GB process): per account, its intervals in sorted
 * primitive arrays (start, the four counts, and the first shard's high-water mark), about 52 bytes a key
 * before the arrays' slack. A mark is held as a shared prefix and a {@code long} tail: a Kinesis sequence
 * number whose last 18 characters are digits is its prefix (kept once per distinct prefix and shard) and
 * those 18 digits as a number; any other mark is a prefix of its own with no tail, so every mark reads
 * back exactly as written. What is rare (a second shard's mark, the excluded errors by kind, re-ingested
 * ranges, records written alone) is kept per key in a map beside the arrays, as before.
 *
 * <p>Safe for one writer and readers at other times (the local runtime's use); every method is synchronized.
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

    /** Counts held per key in the arrays: valid, errors, unreachedErrors, excludedErrors. */
    private static final int COUNTS = 4;
    /** The digits of a mark's tail: a {@code long} holds any 18 decimal digits. */
    private static final int TAIL_DIGITS = 18;
    /** No tail: the mark is its prefix alone. */
    private static final long NO_TAIL = -1;
    /** No mark: the key's first shard has none yet. */
    private static final int NO_MARK = -1;

    /** What few keys have; null on most. */
    private static final class Extra {
        /** Of x, by kind (S2.4 (i)-(iii), S9.6): null until a flagged error of a known kind. */
        long[] kinds;
        /** The marks of shards other than the key's first. */
        Map<String, String> otherShards;
        /** Per shard: re-ingested range ids, and records written alone. */
        Map<String, Set<String>> recovered;
        Map<String, Set<String>> writtenAlone;
    }

    /**
     * One account's keys, sorted by interval start. Narrow while everything fits an {@code int} (the
     * common case: starts as seconds after the account's first one, counts below 2^31), wide
     * ({@code long}) for the account once something does not: the same values either way.
     */
    private static final class Account {
        int size;
        /** The first start written: the narrow starts are offsets from it. */
        final long base;
        int[] offsets = new int[8];
        long[] wideStarts;
        int[] counts = new int[8 * COUNTS];
        long[] wideCounts;
        /** The first shard's mark: an index into the (shard, prefix) pairs, or {@link #NO_MARK}. */
        int[] markRef = new int[8];
        long[] markTail = new long[8];
        /** By interval start; null until a key needs one. */
        Map<Long, Extra> extras;

        Account(long base) {
            this.base = base;
        }

        long start(int i) {
            return wideStarts != null ? wideStarts[i] : base + offsets[i];
        }

        long count(int i, int k) {
            return wideCounts != null ? wideCounts[i * COUNTS + k] : counts[i * COUNTS + k];
        }

        /** The key's index, or {@code -(insertion point) - 1}. */
        int find(long start) {
            if (size > 0 && start(size - 1) == start) {
                return size - 1;
            }
            if (size == 0 || start(size - 1) < start) {
                return -size - 1;
            }
            if (wideStarts != null) {
                return Arrays.binarySearch(wideStarts, 0, size, start);
            }
            if (start < base && base - start > -(long) Integer.MIN_VALUE || start < Long.MIN_VALUE / 2) {
                return -1; // before every narrow start
            }
            return Arrays.binarySearch(offsets, 0, size, (int) (start - base));
        }

        /** The first index with a start at or above {@code start}. */
        int lowerBound(long start) {
            int i = find(start);
            return i >= 0 ? i : -i - 1;
        }

        private static boolean narrow(long start, long base) {
            return start > Long.MIN_VALUE / 2 && start < Long.MAX_VALUE / 2
                    && start - base >= Integer.MIN_VALUE && start - base <= Integer.MAX_VALUE;
        }

        int insert(int at, long start) {
            if (wideStarts == null && !narrow(start, base)) {
                wideStarts = new long[offsets.length];
                for (int i = 0; i < size; i++) {
                    wideStarts[i] = base + offsets[i];
                }
                offsets = null;
            }
            if (size == markRef.length) {
                int capacity = size + (size >> 1) + 1;
                if (wideStarts != null) {
                    wideStarts = Arrays.copyOf(wideStarts, capacity);
                } else {
                    offsets = Arrays.copyOf(offsets, capacity);
                }
                if (wideCounts != null) {
                    wideCounts = Arrays.copyOf(wideCounts, capacity * COUNTS);
                } else {
                    counts = Arrays.copyOf(counts, capacity * COUNTS);
                }
                markRef = Arrays.copyOf(markRef, capacity);
                markTail = Arrays.copyOf(markTail, capacity);
            }
            if (at < size) {
                if (wideStarts != null) {
                    System.arraycopy(wideStarts, at, wideStarts, at + 1, size - at);
                } else {
                    System.arraycopy(offsets, at, offsets, at + 1, size - at);
                }
                if (wideCounts != null) {
                    System.arraycopy(wideCounts, at * COUNTS, wideCounts, (at + 1) * COUNTS, (size - at) * COUNTS);
                } else {
                    System.arraycopy(counts, at * COUNTS, counts, (at + 1) * COUNTS, (size - at) * COUNTS);
                }
                System.arraycopy(markRef, at, markRef, at + 1, size - at);
                System.arraycopy(markTail, at, markTail, at + 1, size - at);
            }
            if (wideStarts != null) {
                wideStarts[at] = start;
            } else {
                offsets[at] = (int) (start - base);
            }
            for (int k = 0; k < COUNTS; k++) {
                if (wideCounts != null) {
                    wideCounts[at * COUNTS + k] = 0;
                } else {
                    counts[at * COUNTS + k] = 0;
                }
            }
            markRef[at] = NO_MARK;
            markTail[at] = 0;
            size++;
            return at;
        }

        /** Adds {@code sum}'s first four fields to key {@code i}, widening the account's counts if one leaves an int. */
        void add(int i, long[] sum) {
            int at = i * COUNTS;
            if (wideCounts == null) {
                boolean fits = true;
                for (int k = 0; k < COUNTS; k++) {
                    fits &= counts[at + k] + sum[k] <= Integer.MAX_VALUE;
                }
                if (fits) {
                    for (int k = 0; k < COUNTS; k++) {
                        counts[at + k] += (int) sum[k];
                    }
                    return;
                }
                wideCounts = new long[counts.length];
                for (int j = 0; j < size * COUNTS; j++) {
                    wideCounts[j] = counts[j];
                }
                counts = null;
            }
            for (int k = 0; k < COUNTS; k++) {
                wideCounts[at + k] += sum[k];
            }
        }

        Extra extra(int i) {
            return extras == null ? null : extras.get(start(i));
        }

        Extra extraForWrite(int i) {
            if (extras == null) {
                extras = new HashMap<>(4);
            }
            return extras.computeIfAbsent(start(i), s -> new Extra());
        }
    }

    private final Map<String, Account> byAccount = new HashMap<>();
    /** The (shard, prefix) pairs of the marks held, each once; a key's mark refers to one by index. */
    private final List<String> refShards = new ArrayList<>();
    private final List<String> refPrefixes = new ArrayList<>();
    private final Map<String, Map<String, Integer>> refIndex = new HashMap<>();
    /** The last pair used: a stream's marks share it, so most writes find it without a lookup. */
    private int lastRef = NO_MARK;
    private final Requests requests;
    private final Live live = new Live();
    private long keys;

    public InMemoryAggregates() {
        this(Requests.NONE);
    }

    /** @param requests sees every request (fault injection, counting) */
    public InMemoryAggregates(Requests requests) {
        this.requests = requests;
    }

    /** The tail of a mark: its last 18 characters as a number if they are all digits, else {@link #NO_TAIL}. */
    private static long tailOf(String mark) {
        int n = mark.length();
        if (n <= TAIL_DIGITS) {
            return NO_TAIL;
        }
        long tail = 0;
        for (int i = n - TAIL_DIGITS; i < n; i++) {
            char c = mark.charAt(i);
            if (c < '0' || c > '9') {
                return NO_TAIL;
            }
            tail = tail * 10 + (c - '0');
        }
        return tail;
    }

    /** The index of the pair (shard, the mark's prefix), added if new. */
    private int ref(String shardId, String mark, long tail) {
        int prefixLength = tail == NO_TAIL ? mark.length() : mark.length() - TAIL_DIGITS;
        if (lastRef != NO_MARK) {
            String prefix = refPrefixes.get(lastRef);
            if (prefix.length() == prefixLength && refShards.get(lastRef).equals(shardId)
                    && mark.startsWith(prefix)) {
                return lastRef;
            }
        }
        String prefix = mark.substring(0, prefixLength);
        Integer found = refIndex.computeIfAbsent(shardId, s -> new HashMap<>()).get(prefix);
        if (found == null) {
            found = refShards.size();
            refShards.add(shardId);
            refPrefixes.add(prefix);
            refIndex.get(shardId).put(prefix, found);
        }
        lastRef = found;
        return found;
    }

    /** The mark as it was written. */
    private String markString(int ref, long tail) {
        String prefix = refPrefixes.get(ref);
        if (tail == NO_TAIL) {
            return prefix;
        }
        String digits = Long.toString(tail);
        StringBuilder s = new StringBuilder(prefix.length() + TAIL_DIGITS).append(prefix);
        for (int i = digits.length(); i < TAIL_DIGITS; i++) {
            s.append('0');
        }
        return s.append(digits).toString();
    }

    private String mark(Account a, int i, String shardId) {
        int ref = a.markRef[i];
        if (ref != NO_MARK && refShards.get(ref).equals(shardId)) {
            return markString(ref, a.markTail[i]);
        }
        Extra x = a.extra(i);
        return x == null || x.otherShards == null ? null : x.otherShards.get(shardId);
    }

    private void setMark(Account a, int i, String shardId, String sequence) {
        int ref = a.markRef[i];
        if (ref == NO_MARK || refShards.get(ref).equals(shardId)) {
            long tail = tailOf(sequence);
            a.markRef[i] = ref(shardId, sequence, tail);
            a.markTail[i] = tail;
        } else {
            Extra x = a.extraForWrite(i);
            if (x.otherShards == null) {
                x.otherShards = new HashMap<>(2);
            }
            x.otherShards.put(shardId, sequence);
        }
    }

    /** The stored item of a key, read where it is (only inside a synchronized method, never kept). */
    private final class Live implements AggregateWriteProtocol.Stored {
        Account account;
        int index;

        Live at(Account a, int i) {
            account = a;
            index = i;
            return this;
        }

        @Override
        public long count(int k) {
            if (k < COUNTS) {
                return account.count(index, k);
            }
            Extra x = account.extra(index);
            return x == null || x.kinds == null ? 0 : x.kinds[k - COUNTS];
        }

        @Override
        public String mark(String shardId) {
            return InMemoryAggregates.this.mark(account, index, shardId);
        }

        @Override
        public boolean recovered(String shardId, String rangeId) {
            Extra x = account.extra(index);
            return x != null && x.recovered != null && x.recovered.getOrDefault(shardId, Set.of()).contains(rangeId);
        }

        @Override
        public boolean writtenAlone(String shardId, String sequenceNumber) {
            Extra x = account.extra(index);
            return x != null && x.writtenAlone != null
                    && x.writtenAlone.getOrDefault(shardId, Set.of()).contains(sequenceNumber);
        }
    }

    /** A copy of an item, as a failed condition returns it (ALL_OLD) or a read: later writes do not change it. */
    private record Copy(long[] counts, Map<String, String> marks, Map<String, Set<String>> recovered,
            Map<String, Set<String>> writtenAlone) implements AggregateWriteProtocol.Stored {
        @Override
        public long count(int k) {
            return counts[k];
        }

        @Override
        public String mark(String shardId) {
            return marks.get(shardId);
        }

        @Override
        public boolean recovered(String shardId, String rangeId) {
            return recovered.getOrDefault(shardId, Set.of()).contains(rangeId);
        }

        @Override
        public boolean writtenAlone(String shardId, String sequenceNumber) {
            return writtenAlone.getOrDefault(shardId, Set.of()).contains(sequenceNumber);
        }
    }

    private Copy copy(Account a, int i) {
        long[] counts = new long[AggregateWriteProtocol.FIELDS.length];
        for (int k = 0; k < COUNTS; k++) {
            counts[k] = a.count(i, k);
        }
        Map<String, String> marks = new HashMap<>(2);
        if (a.markRef[i] != NO_MARK) {
            marks.put(refShards.get(a.markRef[i]), markString(a.markRef[i], a.markTail[i]));
        }
        Extra x = a.extra(i);
        if (x != null && x.kinds != null) {
            System.arraycopy(x.kinds, 0, counts, COUNTS, x.kinds.length);
        }
        if (x != null && x.otherShards != null) {
            marks.putAll(x.otherShards);
        }
        return new Copy(counts, marks, copy(x == null ? null : x.recovered), copy(x == null ? null : x.writtenAlone));
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> sets) {
        Map<String, Set<String>> out = new HashMap<>();
        if (sets != null) {
            sets.forEach((k, s) -> out.put(k, new HashSet<>(s)));
        }
        return out;
    }

    private final AggregateWriteProtocol.Table table = new AggregateWriteProtocol.Table() {
        @Override
        public AggregateWriteProtocol.Stored read(AggregateKey key) {
            requests.read(key);
            Account a = byAccount.get(key.accountId());
            int i = a == null ? -1 : a.find(key.intervalStart());
            return i < 0 ? null : copy(a, i);
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
        long start = u.key().intervalStart();
        Account a = byAccount.get(u.key().accountId());
        int i = a == null ? -1 : a.find(start);
        AggregateWriteProtocol.Stored item = i < 0 ? null : live.at(a, i);
        boolean holds = AggregateWriteProtocol.marksHold(u.marks(), item)
                && AggregateWriteProtocol.boundHolds(u.sums(), item)
                && (!u.isRecovery() || item == null || !item.recovered(u.recoveryShard(), u.recoveryId()));
        if (!holds) {
            return item == null ? AggregateWriteProtocol.NOT_RETURNED : copy(a, i);
        }
        if (i < 0) {
            if (a == null) {
                a = new Account(start);
                byAccount.put(u.key().accountId(), a);
            }
            i = a.insert(-i - 1, start);
            keys++;
        }
        long[] sum = u.sums();
        a.add(i, sum);
        if ((sum[4] | sum[5] | sum[6]) != 0) {
            Extra x = a.extraForWrite(i);
            if (x.kinds == null) {
                x.kinds = new long[3];
            }
            for (int k = 0; k < 3; k++) {
                x.kinds[k] += sum[4 + k];
            }
        }
        for (AggregateWriteProtocol.ShardMark m : u.marks()) {
            setMark(a, i, m.shardId(), m.last());
        }
        if (u.writtenAlone() != null && !u.marks().isEmpty()) {
            Extra x = a.extraForWrite(i);
            if (x.writtenAlone == null) {
                x.writtenAlone = new HashMap<>();
            }
            x.writtenAlone.computeIfAbsent(u.marks().get(0).shardId(), s -> new HashSet<>()).add(u.writtenAlone());
        }
        if (u.isRecovery()) {
            Extra x = a.extraForWrite(i);
            if (x.recovered == null) {
                x.recovered = new HashMap<>();
            }
            x.recovered.computeIfAbsent(u.recoveryShard(), s -> new HashSet<>()).add(u.recoveryId());
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
        Account a = byAccount.get(accountId);
        if (a != null) {
            long to = toExclusive.getEpochSecond();
            for (int i = a.lowerBound(fromInclusive.getEpochSecond()); i < a.size && a.start(i) < to; i++) {
                Extra x = a.extra(i);
                long v = a.count(i, 0);
                long e = a.count(i, 1) + a.count(i, 2);
                long excluded = a.count(i, 3);
                if (x == null || x.kinds == null) {
                    traffic.add(a.start(i), v, e, excluded);
                } else {
                    traffic.add(a.start(i), v, e, excluded, x.kinds[0], x.kinds[1], x.kinds[2]);
                }
            }
        }
        return traffic;
    }

    /**
     * Every aggregate, as {@code account@intervalStart -> [v, e, u, x, xm, xc, xb]} (the excluded errors by
     * kind last, S9.6), sorted (tests and harnesses).
     */
    public synchronized Map<String, long[]> all() {
        Map<String, long[]> out = new TreeMap<>();
        byAccount.forEach((account, a) -> {
            for (int i = 0; i < a.size; i++) {
                out.put(account + "@" + a.start(i), copy(a, i).counts());
            }
        });
        return out;
    }

    /** The shard's high-water mark of a key, or null (tests). */
    public synchronized String mark(AggregateKey key, String shardId) {
        Account a = byAccount.get(key.accountId());
        int i = a == null ? -1 : a.find(key.intervalStart());
        return i < 0 ? null : mark(a, i, shardId);
    }

    /** The (account, interval) keys held. */
    public synchronized long keys() {
        return keys;
    }
}
