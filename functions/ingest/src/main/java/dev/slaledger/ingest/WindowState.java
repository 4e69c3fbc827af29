package dev.slaledger.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shard's window state as Lambda carries it between invocations (a JSON object of strings, at most
 * 1 MB): the last record seen ({@code l}), the segments closed by a cut and not yet written
 * ({@code c<j>f}, {@code c<j>k<i>}), and the open segment ({@code f}, {@code k<i>}). Each segment holds,
 * per five-minute interval {@code i} (its start / 300), one line per account:
 * {@code account \t v,e,u,x,<the key's last record> \n}, counts of zero left empty ({@code x} followed by
 * {@code /m/c/b}, the excluded errors by kind (S9.6), when any of them is not zero), the last record
 * written as the digits after those it shares with the segment's first ({@code p:digits}), or whole
 * ({@code =digits}) when the lengths differ.
 *
 * <p>Sizes here are computed from the content alone, never from how it was built (decoded or folded in
 * memory, in one batch or in several): that is what makes the cut of a window depend on its records
 * alone. A segment's size is its encoding's, each of its entries charged as if its key had the longest
 * closed-segment prefix ({@code c99}), so that it bounds the segment's size whether it is carried open or
 * closed; {@link #bytes} is then within 3 bytes per entry above {@link #jsonBytes} of the encoding, never
 * below ({@code WindowStateTest}).
 */
final class WindowState {
    static final String LAST = "l";
    static final String FIRST = "f";
    static final String INTERVAL = "k";
    static final String CLOSED = "c";

    /** The last stream record the state has seen (folded, quarantined or skipped), or null. */
    final String last;
    /** Segments cut and not yet written, oldest first. */
    final List<Segment> closed;
    /** The open segment: empty when the state holds none. */
    final Segment open;

    WindowState(String last, List<Segment> closed, Segment open) {
        this.last = last;
        this.closed = closed;
        this.open = open;
    }

    static WindowState decode(String shardId, Map<String, String> state) {
        if (state == null || state.isEmpty()) {
            return new WindowState(null, new ArrayList<>(), new Segment(shardId, true));
        }
        String last = state.get(LAST);
        Map<Integer, Map<String, String>> closedEntries = new TreeMap<>();
        Map<String, String> openEntries = new HashMap<>();
        for (Map.Entry<String, String> e : state.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(CLOSED)) {
                int j = 1;
                while (j < k.length() && Character.isDigit(k.charAt(j))) {
                    j++;
                }
                closedEntries.computeIfAbsent(Integer.parseInt(k.substring(1, j)), x -> new HashMap<>())
                        .put(k.substring(j), e.getValue());
            } else if (!k.equals(LAST)) {
                openEntries.put(k, e.getValue());
            }
        }
        List<Segment> closed = new ArrayList<>();
        for (Map<String, String> entries : closedEntries.values()) {
            closed.add(segment(shardId, entries));
        }
        Segment open = openEntries.containsKey(FIRST) ? segment(shardId, openEntries) : new Segment(shardId, true);
        return new WindowState(last, closed, open);
    }

    private static Segment segment(String shardId, Map<String, String> entries) {
        String first = entries.get(FIRST);
        int chars = 0;
        for (String v : entries.values()) {
            chars += v.length();
        }
        Segment s = Segment.decoded(shardId, first, chars / 24); // a line is ~24 characters or more

        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (!e.getKey().startsWith(INTERVAL)) {
                continue;
            }
            long interval = Long.parseLong(e.getKey().substring(INTERVAL.length())) * 300;
            String v = e.getValue();
            int pos = 0;
            while (pos < v.length()) {
                int tab = v.indexOf('\t', pos);
                int end = v.indexOf('\n', tab);
                String account = v.substring(pos, tab);
                long[] n = new long[7];
                int p = tab + 1;
                for (int k = 0; k < 4; k++) {
                    long value = 0;
                    char c;
                    while ((c = v.charAt(p++)) != ',' && c != '/') {
                        value = value * 10 + (c - '0');
                    }
                    n[k] = value;
                    if (c == '/') { // x/m/c/b: the excluded errors by kind
                        for (int j = 4; j < 7; j++) {
                            value = 0;
                            while ((c = v.charAt(p++)) != ',' && c != '/') {
                                value = value * 10 + (c - '0');
                            }
                            n[j] = value;
                        }
                    }
                }
                s.carry(account, interval, n[0], n[1], n[2], n[3], n[4], n[5], n[6], v.substring(p, end));
                pos = end + 1;
            }
        }
        return s;
    }

    /** The state to hand back to Lambda: {@code l}, the closed segments numbered from 0, the open one. */
    static Map<String, String> encode(String last, List<Segment> closed, Segment open) {
        Map<String, String> out = new HashMap<>();
        if (last != null) {
            out.put(LAST, last);
        }
        for (int j = 0; j < closed.size(); j++) {
            put(out, CLOSED + j, closed.get(j));
        }
        put(out, "", open);
        return out;
    }

    private static void put(Map<String, String> out, String prefix, Segment s) {
        if (s.isEmpty()) {
            return;
        }
        out.put(prefix + FIRST, s.first);
        Map<Long, StringBuilder> byInterval = new LinkedHashMap<>();
        for (Segment.Key k : s.keys()) {
            StringBuilder sb = byInterval.computeIfAbsent(k.interval / 300, i -> new StringBuilder());
            sb.append(k.account).append('\t')
                    .append(str(k.v)).append(',').append(str(k.e)).append(',').append(str(k.u)).append(',')
                    .append(str(k.x));
            if ((k.xm | k.xc | k.xb) != 0) {
                sb.append('/').append(str(k.xm)).append('/').append(str(k.xc)).append('/').append(str(k.xb));
            }
            sb.append(',').append(k.packedLast()).append('\n');
        }
        byInterval.forEach((i, sb) -> out.put(prefix + INTERVAL + i, sb.toString()));
    }

    /** Closed segments a state may number ({@code c0} to {@code c99}): the prefix every entry is charged for. */
    static final int MAX_CLOSED = 100;
    private static final int PREFIX_RESERVE = 3;

    /**
     * The size of a state of these parts, from the segments' own counts: at least {@link #jsonBytes} of
     * {@link #encode}, and at most 3 bytes per entry above it.
     */
    static int bytes(String last, List<Segment> closed, Segment open) {
        if (closed.size() > MAX_CLOSED) {
            throw new IllegalStateException(closed.size() + " closed segments in one state");
        }
        int n = 2 + (last == null ? 0 : lastEntryBytes(last));
        for (Segment s : closed) {
            n += s.bytes;
        }
        return n + (open.isEmpty() ? 0 : open.bytes);
    }

    /** {@code "l":"<seq>",}. */
    static int lastEntryBytes(String sequenceNumber) {
        return 3 + 1 + sequenceNumber.length() + 2 + 1;
    }

    /** {@code "f":"<seq>",}, charged as {@code "c99f"}. */
    static int firstEntryBytes(String sequenceNumber) {
        return PREFIX_RESERVE + 3 + 1 + sequenceNumber.length() + 2 + 1;
    }

    /** {@code "k<i>":"...",} without its lines, charged as {@code "c99k<i>"}. */
    static int intervalEntryBytes(long intervalStart) {
        return PREFIX_RESERVE + INTERVAL.length() + Long.toString(intervalStart / 300).length() + 2 + 1 + 2 + 1;
    }

    /** One key's line inside the JSON string: the account, {@code \t} (2), four counts and commas, the last record, {@code \n} (2). */
    static int lineBytes(int accountBytes, long v, long e, long u, long x, String first, String last) {
        return lineBytes(accountBytes, v, e, u, x, 0, 0, 0, compressedLength(first, last));
    }

    /** {@code xm, xc, xb}: of {@code x}, the excluded errors by kind, written {@code /m/c/b} after it when any is not 0. */
    static int lineBytes(int accountBytes, long v, long e, long u, long x, long xm, long xc, long xb,
            int packedLength) {
        int kinds = (xm | xc | xb) == 0 ? 0 : 3 + digits(xm) + digits(xc) + digits(xb);
        return accountBytes + 2 + digits(v) + digits(e) + digits(u) + digits(x) + kinds + 4 + packedLength + 2;
    }

    private static int digits(long n) {
        if (n == 0) {
            return 0;
        }
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }

    /** The length of {@link #compress}{@code (first, seq)}, without building it. */
    static int compressedLength(String first, String seq) {
        if (first.length() != seq.length()) {
            return 1 + seq.length();
        }
        int p = first == seq ? seq.length() - 1 : commonPrefix(first, seq);
        return (p == 0 ? 1 : digits(p)) + 1 + seq.length() - p;
    }

    /**
     * How many leading characters {@code seq} shares with {@code first} (same length), at most all but
     * its last: the longest equal prefix, found by halving with {@link String#regionMatches} (which
     * compares many characters at a time) instead of a character at a time; a key's cost asks this
     * once per record.
     */
    static int commonPrefix(String first, String seq) {
        int lo = 0;
        int hi = seq.length() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (seq.regionMatches(0, first, 0, mid)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * A key's last record, short: the digits after those it shares with the segment's first (same
     * length), prefixed by how many were shared; or the whole number after '='.
     */
    static String compress(String first, String seq) {
        if (first.length() != seq.length()) {
            return "=" + seq;
        }
        int p = commonPrefix(first, seq);
        return p + ":" + seq.substring(p);
    }

    static String expand(String first, String packed) {
        if (packed.startsWith("=")) {
            return packed.substring(1);
        }
        int colon = packed.indexOf(':');
        int p = Integer.parseInt(packed.substring(0, colon));
        return first.substring(0, p) + packed.substring(colon + 1);
    }

    private static String str(long n) {
        return n == 0 ? "" : Long.toString(n);
    }


    /** The size of a state as Lambda receives it: a JSON object of strings, UTF-8 (one comma per entry counted). */
    static int jsonBytes(Map<String, String> state) {
        int n = 2;
        for (Map.Entry<String, String> e : state.entrySet()) {
            n += escapedBytes(e.getKey()) + 2 + 1 + escapedBytes(e.getValue()) + 2 + 1;
        }
        return n;
    }

    /** The bytes of {@code s} inside a JSON string (UTF-8, escapes), without the quotes. */
    static int escapedBytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') {
                n += 2;
            } else if (c < 0x20) {
                n += 6;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
