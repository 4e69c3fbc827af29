package dev.slaledger.ingest;

import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run of one shard's records folded by (account, interval): the one fold of ingest (issue 26 item 2).
 * A window's state holds segments (docs/ingest.md, "Tumbling windows"); a delivery outside a window is
 * one segment written at once. Each key carries the sums its earlier invocations folded ({@code base},
 * up to {@code baseLast}: one range part of its write, applied whole or not at all) and the records of
 * the current invocation one by one ({@code fresh}: deduplicated record by record).
 *
 * <p>The segment knows its exact size as the state encodes it ({@link #bytes}), kept up to date record
 * by record from its content alone. The cut of a window into segments is decided on that size, so it
 * depends on the records alone: never on batch boundaries, bisection, retries or on whether the state
 * was decoded or built in memory. Keys are held in an open-addressing table on (account, interval):
 * a batch of 10,000 records touches a few hundred keys, and looking one up must not allocate
 * (docs/benchmarks.md, "Ingest").
 */
final class Segment {
    /** One key of the segment. */
    static final class Key {
        final String account;
        final long interval;
        /** The account id's bytes inside a JSON string (UTF-8, escapes). */
        final int accountBytes;
        final KeyBatch batch;
        IntervalCounts base = IntervalCounts.ZERO;
        /** The key's last record among those {@code base} holds (null: none). */
        String baseLast;
        long v;
        long e;
        long u;
        long x;
        /** The key's last record folded (base or fresh). */
        String last;
        /** This key's line in the encoded state, in bytes inside the JSON string. */
        int lineBytes;

        Key(String account, long interval, boolean sized) {
            this.account = account;
            this.interval = interval;
            this.accountBytes = sized ? WindowState.escapedBytes(account) : 0;
            this.batch = new KeyBatch(new AggregateKey(account, interval));
        }

        AggregateKey key() {
            return batch.key();
        }

        IntervalCounts total() {
            return new IntervalCounts(v, e, u, x);
        }

        /**
         * The key's write: the carried sums as one range part from the segment's first record to the
         * key's last carried record, then this invocation's records one by one.
         */
        KeyBatch toBatch() {
            return batch;
        }
    }

    final String shardId;
    /** Whether the state size is kept (a window's segment that may be carried to another invocation). */
    final boolean sized;
    /** The first record of the segment (null while it holds none). */
    String first;
    /** The segment's entries in the encoded state, in bytes, from its content alone ({@link WindowState}); kept when {@link #sized}. */
    int bytes;

    private String[] accounts = new String[64];
    private long[] intervals = new long[64];
    private Key[] slots = new Key[64];
    private final List<Key> inOrder = new ArrayList<>();
    private long[] intervalList = new long[4];
    private int intervalCount;

    Segment(String shardId, boolean sized) {
        this.shardId = shardId;
        this.sized = sized;
    }

    boolean isEmpty() {
        return first == null;
    }

    List<Key> keys() {
        return inOrder;
    }

    int size() {
        return inOrder.size();
    }

    /** The key's entry, or null. */
    Key find(String account, long interval) {
        int mask = accounts.length - 1;
        int slot = hash(account, interval) & mask;
        while (true) {
            String a = accounts[slot];
            if (a == null) {
                return null;
            }
            if (intervals[slot] == interval && (a == account || a.equals(account))) {
                return slots[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private Key create(String account, long interval) {
        Key k = new Key(account, interval, sized);
        put(k);
        inOrder.add(k);
        if (inOrder.size() * 2 > accounts.length) {
            grow();
        }
        if (!hasInterval(interval)) {
            if (intervalCount == intervalList.length) {
                intervalList = Arrays.copyOf(intervalList, intervalCount * 2);
            }
            intervalList[intervalCount++] = interval;
            if (sized) {
                bytes += WindowState.intervalEntryBytes(interval);
            }
        }
        return k;
    }

    /** How many five-minute intervals the segment's keys fall in (one state entry each). */
    int intervalCount() {
        return intervalCount;
    }

    boolean hasInterval(long interval) {
        for (int i = 0; i < intervalCount; i++) {
            if (intervalList[i] == interval) {
                return true;
            }
        }
        return false;
    }

    private void put(Key k) {
        int mask = accounts.length - 1;
        int slot = hash(k.account, k.interval) & mask;
        while (accounts[slot] != null) {
            slot = (slot + 1) & mask;
        }
        accounts[slot] = k.account;
        intervals[slot] = k.interval;
        slots[slot] = k;
    }

    private static int hash(String account, long interval) {
        int h = account.hashCode() * 31 + Long.hashCode(interval / 300);
        return h ^ (h >>> 16);
    }

    private void grow() {
        int capacity = accounts.length * 2;
        accounts = new String[capacity];
        intervals = new long[capacity];
        slots = new Key[capacity];
        for (Key k : inOrder) {
            put(k);
        }
    }

    private void start(String sequenceNumber) {
        first = sequenceNumber;
        if (sized) {
            bytes += WindowState.firstEntryBytes(sequenceNumber);
        }
    }

    /**
     * Folds one request record of the current invocation: its counts into the key's sums, itself into
     * the key's write as a record of its own ({@code index}: its position among the delivery's request
     * records, to quarantine it should the store refuse it).
     */
    void fold(String account, long interval, String shard, String sequenceNumber, IntervalCounts counts, int index) {
        if (first == null) {
            start(sequenceNumber);
        }
        Key k = find(account, interval);
        if (k == null) {
            k = create(account, interval);
        }
        k.batch.add(shard, sequenceNumber, counts, index);
        k.v += counts.valid();
        k.e += counts.errors();
        k.u += counts.unreachedErrors();
        k.x += counts.excludedErrors();
        k.last = sequenceNumber;
        if (sized) {
            int line = WindowState.lineBytes(k.accountBytes, k.v, k.e, k.u, k.x, first, sequenceNumber);
            bytes += line - k.lineBytes;
            k.lineBytes = line;
        }
    }

    /** Adds a key the state carried in: its sums, folded from the segment's first record up to {@code last}. */
    void carry(String account, long interval, IntervalCounts sums, String last) {
        Key k = find(account, interval);
        if (k == null) {
            k = create(account, interval);
        }
        k.base = sums;
        k.baseLast = last;
        k.v = sums.valid();
        k.e = sums.errors();
        k.u = sums.unreachedErrors();
        k.x = sums.excludedErrors();
        k.last = last;
        if (first.equals(last)) {
            k.batch.add(shardId, last, sums, -1);
        } else {
            k.batch.addRange(shardId, first, last, sums, -1);
        }
        if (sized) {
            k.lineBytes = WindowState.lineBytes(k.accountBytes, k.v, k.e, k.u, k.x, first, last);
            bytes += k.lineBytes;
        }
    }

    /** The segment a decoded state starts with: its first record known, its keys carried in next. */
    static Segment decoded(String shardId, String first) {
        Segment s = new Segment(shardId, true);
        s.start(first);
        return s;
    }

    /**
     * How many bytes folding these accepted request records (all of one stream record, {@code sequenceNumber})
     * would add to this segment, exactly: new keys' lines and interval entries, grown lines of keys it
     * holds, and its first record's entry if it holds none. Nothing is changed.
     */
    int cost(List<RequestRecordParser.Accepted> records, String sequenceNumber) {
        String f = first == null ? sequenceNumber : first;
        int cost = first == null ? WindowState.firstEntryBytes(sequenceNumber) : 0;
        if (records.size() == 1) {
            RequestRecordParser.Accepted a = records.get(0);
            IntervalCounts c = a.counts();
            cost += lineDelta(a.accountId(), a.intervalStart(), c.valid(), c.errors(), c.unreachedErrors(),
                    c.excludedErrors(), f, sequenceNumber);
            return hasInterval(a.intervalStart()) ? cost : cost + WindowState.intervalEntryBytes(a.intervalStart());
        }
        Map<AggregateKey, long[]> sums = new LinkedHashMap<>();
        for (RequestRecordParser.Accepted a : records) {
            long[] s = sums.computeIfAbsent(new AggregateKey(a.accountId(), a.intervalStart()), k -> new long[4]);
            s[0] += a.counts().valid();
            s[1] += a.counts().errors();
            s[2] += a.counts().unreachedErrors();
            s[3] += a.counts().excludedErrors();
        }
        Set<Long> newIntervals = new HashSet<>();
        for (Map.Entry<AggregateKey, long[]> e : sums.entrySet()) {
            long[] s = e.getValue();
            long interval = e.getKey().intervalStart();
            cost += lineDelta(e.getKey().accountId(), interval, s[0], s[1], s[2], s[3], f, sequenceNumber);
            if (!hasInterval(interval) && newIntervals.add(interval)) {
                cost += WindowState.intervalEntryBytes(interval);
            }
        }
        return cost;
    }

    /** How much a key's line grows (or, new, takes) when these sums and this last record are folded in. */
    private int lineDelta(String account, long interval, long dv, long de, long du, long dx, String f, String seq) {
        Key k = find(account, interval);
        if (k != null) {
            return WindowState.lineBytes(k.accountBytes, k.v + dv, k.e + de, k.u + du, k.x + dx, f, seq) - k.lineBytes;
        }
        return WindowState.lineBytes(WindowState.escapedBytes(account), dv, de, du, dx, f, seq);
    }
}
