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
        /** The write being built: the carried part, then this invocation's records (made when first needed). */
        private KeyBatch batch;
        private final Segment segment;
        IntervalCounts base = IntervalCounts.ZERO;
        /** The key's last carried record as the state wrote it ({@link WindowState#compress}), or null: none. */
        String basePacked;
        long v;
        long e;
        long u;
        long x;
        /** Of {@code x}, those flagged maintenance, customer-compromised, content-ban (S2.4, S9.6). */
        long xm;
        long xc;
        long xb;
        /** The key's last record folded in this invocation (null: none, the carried one is the last). */
        String freshLast;
        /** This key's line in the encoded state, in bytes inside the JSON string. */
        int lineBytes;

        Key(Segment segment, String account, long interval) {
            this.segment = segment;
            this.account = account;
            this.interval = interval;
            this.accountBytes = segment.sized ? WindowState.escapedBytes(account) : 0;
        }

        AggregateKey key() {
            return batch != null ? batch.key() : new AggregateKey(account, interval);
        }

        /** The key's last carried record, whole. */
        String baseLast() {
            return basePacked == null ? null : WindowState.expand(segment.first, basePacked);
        }

        /** The key's last record as the state writes it. */
        String packedLast() {
            return freshLast == null ? basePacked : WindowState.compress(segment.first, freshLast);
        }

        private KeyBatch batch() {
            if (batch == null) {
                batch = new KeyBatch(new AggregateKey(account, interval));
                if (basePacked != null) {
                    String last = baseLast();
                    if (segment.first.equals(last)) {
                        batch.add(segment.shardId, last, base, -1);
                    } else {
                        batch.addRange(segment.shardId, segment.first, last, base, -1);
                    }
                }
            }
            return batch;
        }

        /**
         * The key's write: the carried sums as one range part from the segment's first record to the
         * key's last carried record (applied whole or not at all), then this invocation's records one by one.
         */
        KeyBatch toBatch() {
            return batch();
        }
    }

    final String shardId;
    /** Whether the state size is kept (a window's segment that may be carried to another invocation). */
    final boolean sized;
    /** The first record of the segment (null while it holds none). */
    String first;
    /** The segment's entries in the encoded state, in bytes, from its content alone ({@link WindowState}); kept when {@link #sized}. */
    int bytes;

    private String[] accounts;
    private long[] intervals;
    private Key[] slots;
    private final List<Key> inOrder = new ArrayList<>();
    private long[] intervalList = new long[4];
    private int intervalCount;
    /** The packed length of the last record asked for ({@link #packedLength}): a stream record's events share it. */
    private String packedFor;
    private int packedLength;

    Segment(String shardId, boolean sized) {
        this(shardId, sized, 64);
    }

    /** @param keys how many keys the segment will likely hold (its table is sized for them) */
    Segment(String shardId, boolean sized, int keys) {
        this.shardId = shardId;
        this.sized = sized;
        int capacity = Integer.highestOneBit(Math.max(64, keys * 2 - 1)) << 1;
        accounts = new String[capacity];
        intervals = new long[capacity];
        slots = new Key[capacity];
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
        Key k = new Key(this, account, interval);
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
        k.batch().add(shard, sequenceNumber, counts, index);
        k.v += counts.valid();
        k.e += counts.errors();
        k.u += counts.unreachedErrors();
        k.x += counts.excludedErrors();
        k.xm += counts.excludedMaintenance();
        k.xc += counts.excludedCompromised();
        k.xb += counts.excludedContentBan();
        k.freshLast = sequenceNumber;
        if (sized) {
            int line = WindowState.lineBytes(k.accountBytes, k.v, k.e, k.u, k.x, k.xm, k.xc, k.xb,
                    packedLength(first, sequenceNumber));
            bytes += line - k.lineBytes;
            k.lineBytes = line;
        }
    }

    /**
     * Adds a key the state carried in: its sums, folded from the segment's first record up to its last
     * carried record, as the state wrote it ({@code packedLast}: {@link WindowState#compress}).
     */
    void carry(String account, long interval, long v, long e, long u, long x, long xm, long xc, long xb,
            String packedLast) {
        Key k = find(account, interval);
        if (k == null) {
            k = create(account, interval);
        }
        k.base = new IntervalCounts(v, e, u, x, xm, xc, xb);
        k.basePacked = packedLast;
        k.v = v;
        k.e = e;
        k.u = u;
        k.x = x;
        k.xm = xm;
        k.xc = xc;
        k.xb = xb;
        if (sized) {
            k.lineBytes = WindowState.lineBytes(k.accountBytes, v, e, u, x, xm, xc, xb, packedLast.length());
            bytes += k.lineBytes;
        }
    }

    /** The segment a decoded state starts with: its first record known, its keys carried in next. */
    static Segment decoded(String shardId, String first, int keys) {
        Segment s = new Segment(shardId, true, keys);
        s.start(first);
        return s;
    }

    private static final Segment EMPTY = new Segment("", true);

    /** What these records of one stream record would take as the only content of a segment (nothing is changed). */
    static int costAlone(List<RequestRecordParser.Accepted> records, String sequenceNumber) {
        return EMPTY.cost(records, sequenceNumber);
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
            cost += lineDelta(a.accountId(), a.intervalStart(), new long[] {c.valid(), c.errors(),
                c.unreachedErrors(), c.excludedErrors(), c.excludedMaintenance(), c.excludedCompromised(),
                c.excludedContentBan()}, f, sequenceNumber);
            return hasInterval(a.intervalStart()) ? cost : cost + WindowState.intervalEntryBytes(a.intervalStart());
        }
        Map<AggregateKey, long[]> sums = new LinkedHashMap<>();
        for (RequestRecordParser.Accepted a : records) {
            long[] s = sums.computeIfAbsent(new AggregateKey(a.accountId(), a.intervalStart()), k -> new long[7]);
            s[0] += a.counts().valid();
            s[1] += a.counts().errors();
            s[2] += a.counts().unreachedErrors();
            s[3] += a.counts().excludedErrors();
            s[4] += a.counts().excludedMaintenance();
            s[5] += a.counts().excludedCompromised();
            s[6] += a.counts().excludedContentBan();
        }
        Set<Long> newIntervals = new HashSet<>();
        for (Map.Entry<AggregateKey, long[]> e : sums.entrySet()) {
            long[] s = e.getValue();
            long interval = e.getKey().intervalStart();
            cost += lineDelta(e.getKey().accountId(), interval, s, f, sequenceNumber);
            if (!hasInterval(interval) && newIntervals.add(interval)) {
                cost += WindowState.intervalEntryBytes(interval);
            }
        }
        return cost;
    }

    /** How much a key's line grows (or, new, takes) when these sums and this last record are folded in. */
    private int lineDelta(String account, long interval, long[] d, String f, String seq) {
        Key k = find(account, interval);
        int packed = packedLength(f, seq);
        if (k != null) {
            return WindowState.lineBytes(k.accountBytes, k.v + d[0], k.e + d[1], k.u + d[2], k.x + d[3], k.xm + d[4],
                    k.xc + d[5], k.xb + d[6], packed) - k.lineBytes;
        }
        return WindowState.lineBytes(WindowState.escapedBytes(account), d[0], d[1], d[2], d[3], d[4], d[5], d[6],
                packed);
    }

    /** {@link WindowState#compressedLength}, remembered for the last record (its cost and its fold ask for it alike). */
    private int packedLength(String f, String seq) {
        if (first == null || f != first) {
            return WindowState.compressedLength(f, seq); // an empty segment (also the shared EMPTY): nothing kept
        }
        if (seq != packedFor) {
            packedLength = WindowState.compressedLength(f, seq);
            packedFor = seq;
        }
        return packedLength;
    }
}
