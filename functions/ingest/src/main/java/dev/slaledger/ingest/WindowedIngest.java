package dev.slaledger.ingest;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.LogEventOrigin;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.SequenceNumbers;
import dev.slaledger.core.traffic.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ingest use case under a Kinesis mapping with tumbling windows (issue 18, docs/ingest.md
 * "Tumbling windows"): the invocations of a shard's window fold their records into the state
 * Lambda carries between them, and only the window's final invocation writes, one conditional
 * UpdateItem per (account, interval) the window saw instead of one per batch.
 *
 * <p>Exactly once, on the same per-shard high-water marks as the per-batch path: a window's
 * <em>segment</em> is a run of one shard's records, from {@code f} (its first accepted record) to
 * the last record seen; its write for a key is conditional on the key's mark being below
 * {@code f}, and sets the mark to the segment's last sequence number. Segments are cut only by the
 * window's end and by the state budget, which depends on the records alone, so every attempt at
 * a segment (a retried final invocation, a redelivered or bisected batch) writes the same range:
 * the condition then fails with a mark at or above the range, which means "already applied". A mark
 * inside the range (another writer applied part of it) is refused ({@link AggregateStore.PartlyApplied}).
 *
 * <p>Bad records are quarantined at once, by the invocation that sees them (idempotent: keyed by
 * stream position). Any failure throws: Lambda retries the batch with the state it had before it,
 * and records already folded into a newer state are recognised by the state's last sequence
 * number, so a state never counts a record twice.
 */
public final class WindowedIngest {
    /** Lambda's limit on a shard's window state ("1 MB"); beyond it Lambda ends the window early. */
    public static final int STATE_LIMIT_BYTES = 1_000_000;
    /** The default budget: the state is written out (a segment ends) before it would pass this. */
    public static final int DEFAULT_BUDGET_BYTES = 800_000;
    /**
     * What a key is charged on entering the state: its account id plus this (separators, 4 counts of
     * 7 digits, its last sequence number's 30 last digits).
     */
    static final int KEY_RESERVE_BYTES = 68;

    private static final String FIRST = "f";
    private static final String LAST = "l";
    private static final String INTERVAL_PREFIX = "k";

    private final IngestService service;
    private final int budgetBytes;

    /**
     * @param service     the per-batch service whose parse step and stores this path shares
     * @param budgetBytes the state size (serialised JSON, bytes) at which a segment is written out
     */
    public WindowedIngest(IngestService service, int budgetBytes) {
        this.service = Objects.requireNonNull(service);
        if (budgetBytes <= 0 || budgetBytes > STATE_LIMIT_BYTES) {
            throw new IllegalArgumentException("state budget must be in 1.." + STATE_LIMIT_BYTES + ": " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /**
     * What one invocation did. {@code state} is what the function returns to Lambda;
     * {@code outcome} its metric line's counts ({@code aggregated} = folded + already folded).
     */
    public record Result(Map<String, String> state, BatchOutcome outcome, int segmentsWritten, int stateBytes) {
    }

    /**
     * One invocation of a shard's window.
     *
     * @param shardId the shard (the event's {@code shardId})
     * @param records the batch, in stream order (may be empty, e.g. on a final invocation)
     * @param state   the state Lambda carried from the window's previous invocation (null or empty at its start)
     * @param last    true on the window's final invocation ({@code isFinalInvokeForWindow}) and when Lambda
     *                ended it early ({@code isWindowTerminatedEarly}): the state is written out
     */
    public Result handle(String shardId, List<StreamRecord> records, Map<String, String> state, boolean last) {
        Instant now = service.clock().instant();
        long oldest = service.oldestIntervalStart(now);
        Segment segment = Segment.decode(shardId, state);
        List<StreamRecord> fresh = new ArrayList<>(records.size());
        List<StreamRecord> again = new ArrayList<>();
        for (StreamRecord r : records) {
            if (segment.last != null && SequenceNumbers.compare(r.sequenceNumber(), segment.last) <= 0) {
                again.add(r); // a redelivery of records this state already holds
            } else {
                fresh.add(r);
            }
        }
        // counted as request records (an access-log payload holds many), like the fresh ones
        int alreadyFolded = again.isEmpty() ? 0 : service.expand(again, now, oldest).size();
        Writes writes = new Writes();
        List<QuarantineEntry> bad = new ArrayList<>();
        Segment[] current = {segment};
        int[] folded = {0};
        // the request records (a log event of an access-log payload is one, at its stream record's
        // position): refused contributions are quarantined as these
        StreamPayloads.Expanded in = service.expand(fresh, now, oldest);
        List<StreamRecord> requests = in.records();
        service.parse(in, new IngestService.ParsedRecords() {
            @Override
            public void accepted(int index, StreamRecord r, RequestRecordParser.Accepted a) {
                Segment s = current[0];
                // a segment is cut only between stream records: the log events of one payload share
                // its sequence number, so a key written by the first segment would refuse the rest
                if (!s.holds(a.accountId(), a.intervalStart())
                        && s.bytes + keyCost(a.accountId()) > budgetBytes
                        && !r.sequenceNumber().equals(s.last)) {
                    write(s, requests, now, writes);
                    s = current[0] = new Segment(shardId, s.last);
                }
                s.fold(a.accountId(), a.intervalStart(), r, a.counts(), index);
                folded[0]++;
            }

            @Override
            public void rejected(int index, StreamRecord r, RequestRecordParser.Rejected rej, LogEventOrigin origin) {
                bad.add(new QuarantineEntry(r, rej.reason(), rej.detail(), index, origin));
                current[0].seen(r.sequenceNumber());
            }
        });
        int quarantineWritesBefore = service.quarantine().writesSent();
        if (!service.quarantine().storeAll(bad).isEmpty()) {
            throw new IllegalStateException("quarantine writes failed: the batch is retried with the previous state");
        }
        Segment s = current[0];
        Map<String, String> out;
        int bytes;
        if (last) {
            write(s, requests, now, writes);
            out = new HashMap<>();
            bytes = 2;
        } else {
            out = s.encode();
            bytes = jsonBytes(out);
            if (bytes > budgetBytes) { // counts grew past their reserve: write out now rather than risk the limit
                write(s, requests, now, writes);
                out = new Segment(shardId, s.last).encode();
                bytes = jsonBytes(out);
            }
        }
        // a folded part the store refused (S7.5) is quarantined as one pre-aggregated record: it is
        // counted in and quarantined, beside this invocation's own records
        BatchOutcome outcome = new BatchOutcome(in.size() + alreadyFolded + writes.refusedParts,
                folded[0] + alreadyFolded - writes.refusedRecords, alreadyFolded,
                bad.size() + writes.refusedParts + writes.refusedRecords, 0, writes.keys, writes.aggregateWrites,
                service.quarantine().writesSent() - quarantineWritesBefore + writes.quarantineWrites,
                writes.staleMarks, Map.of(), in.controlMessages());
        return new Result(out, outcome, writes.segments, bytes);
    }

    private static final class Writes {
        int segments;
        int keys;
        int aggregateWrites;
        int quarantineWrites;
        int staleMarks;
        /** This invocation's records the store refused (they were folded first). */
        int refusedRecords;
        /** Carried sums the store refused, each quarantined as one pre-aggregated record. */
        int refusedParts;
    }

    private record AccountMonth(String accountId, YearMonth month) {
    }

    /** Writes a segment out: one conditional UpdateItem per key, then the stale marks. Throws on any failure. */
    private void write(Segment s, List<StreamRecord> fresh, Instant now, Writes w) {
        if (s.keys.isEmpty()) {
            return;
        }
        w.segments++;
        Map<AccountMonth, RevisionCause> late = new java.util.LinkedHashMap<>(); // S9.7: the first late record
        List<QuarantineEntry> refused = new ArrayList<>();
        int refusedRecords = 0;
        int refusedParts = 0;
        for (Map.Entry<AggregateKey, KeyState> e : s.keys.entrySet()) {
            KeyBatch batch = e.getValue().toBatch(e.getKey(), s.shardId, s.first);
            AggregateStore.ApplyResult applied = service.aggregates().apply(batch);
            w.keys++;
            w.aggregateWrites += applied.writes();
            if (applied.refused() != null) {
                for (KeyBatch.Contribution c : applied.refused().records()) {
                    StreamRecord record = c.recordIndex() >= 0 ? fresh.get(c.recordIndex())
                            : foldedRecord(e.getKey(), c);
                    if (c.recordIndex() >= 0) {
                        refusedRecords++;
                    } else {
                        refusedParts++;
                    }
                    refused.add(new QuarantineEntry(record, applied.refused().reason(), applied.refused().detail(),
                            refused.size()));
                }
            }
            if (applied.appliedRecords() + applied.duplicateRecords() > 0) {
                for (YearMonth month : LateData.monthsOf(e.getKey().intervalStart())) {
                    if (LateData.mayHaveStatement(month, now)) {
                        KeyBatch.Contribution first = batch.contributions().get(0);
                        late.putIfAbsent(new AccountMonth(e.getKey().accountId(), month),
                                RevisionCause.lateTraffic(first.shardId() + ":" + first.firstSequenceNumber(), now));
                    }
                }
            }
        }
        if (!refused.isEmpty()) {
            int before = service.quarantine().writesSent();
            if (!service.quarantine().storeAll(refused).isEmpty()) {
                throw new IllegalStateException("quarantine of refused aggregates failed: retried");
            }
            w.quarantineWrites += service.quarantine().writesSent() - before;
            w.refusedRecords += refusedRecords;
            w.refusedParts += refusedParts;
        }
        for (Map.Entry<AccountMonth, RevisionCause> m : late.entrySet()) { // after the aggregates (the protocol)
            service.staleness().markStale(m.getKey().accountId(), m.getKey().month(), m.getValue());
            w.staleMarks++;
        }
    }

    /**
     * A folded part the store refused for good (S7.5): quarantined as the pre-aggregated D1 record
     * it amounts to, keyed by its shard, account and interval (one per key and range) at the range's
     * last sequence number, so it can be corrected and sent again.
     */
    private static StreamRecord foldedRecord(AggregateKey key, KeyBatch.Contribution c) {
        IntervalCounts n = c.counts();
        String json = "{\"accountId\":" + jsonString(key.accountId()) + ",\"intervalStart\":\""
                + Instant.ofEpochSecond(key.intervalStart()) + "\",\"valid\":" + n.valid() + ",\"errors\":"
                + n.errors() + ",\"unreachedErrors\":" + n.unreachedErrors() + ",\"excludedErrors\":"
                + n.excludedErrors() + ",\"foldedFrom\":\"" + c.firstSequenceNumber() + "\"}";
        return new StreamRecord(c.shardId() + "#" + key.accountId() + "@" + key.intervalStart(), c.sequenceNumber(),
                Instant.EPOCH, json.getBytes(StandardCharsets.UTF_8));
    }

    static int keyCost(String accountId) {
        return jsonStringBytes(accountId) + KEY_RESERVE_BYTES;
    }

    /** One key's part of a segment: the sums the state carried in, and this invocation's records. */
    private static final class KeyState {
        IntervalCounts base = IntervalCounts.ZERO;
        /** The key's last record among those the carried sums hold (null: none). */
        String baseLast;
        final List<Object[]> fresh = new ArrayList<>(2); // {StreamRecord, IntervalCounts, Integer index}

        IntervalCounts total() {
            IntervalCounts t = base;
            for (Object[] f : fresh) {
                t = t.plus((IntervalCounts) f[1]);
            }
            return t;
        }

        String lastSequenceNumber() {
            return fresh.isEmpty() ? baseLast : ((StreamRecord) fresh.get(fresh.size() - 1)[0]).sequenceNumber();
        }

        /**
         * The key's write: the carried sums as one part covering the segment's first record up to the
         * key's own last carried record (whole or nothing), then this invocation's records one by one.
         */
        KeyBatch toBatch(AggregateKey key, String shardId, String first) {
            KeyBatch b = new KeyBatch(key);
            if (baseLast != null) {
                b.addRange(shardId, first, baseLast, base, -1);
            }
            for (Object[] f : fresh) {
                StreamRecord r = (StreamRecord) f[0];
                b.add(r.shardId(), r.sequenceNumber(), (IntervalCounts) f[1], (Integer) f[2]);
            }
            return b;
        }
    }

    /** A shard's window segment: the state carried in plus what this invocation folded. */
    private static final class Segment {
        final String shardId;
        /** First accepted record of the segment (null while it has none). */
        String first;
        /** Last record seen (folded, quarantined or skipped). */
        String last;
        final Map<AggregateKey, KeyState> keys = new LinkedHashMap<>();
        int bytes;

        Segment(String shardId, String last) {
            this.shardId = shardId;
            this.last = last;
            this.bytes = 16 + (last == null ? 0 : last.length() + 8);
        }

        boolean holds(String accountId, long intervalStart) {
            return keys.containsKey(new AggregateKey(accountId, intervalStart));
        }

        void seen(String sequenceNumber) {
            last = sequenceNumber;
        }

        void fold(String accountId, long intervalStart, StreamRecord r, IntervalCounts counts, int index) {
            if (first == null) {
                first = r.sequenceNumber();
                bytes += first.length() + 8;
            }
            KeyState k = keys.computeIfAbsent(new AggregateKey(accountId, intervalStart), key -> {
                bytes += keyCost(accountId);
                return new KeyState();
            });
            k.fresh.add(new Object[] {r, counts, index});
            last = r.sequenceNumber();
        }

        static Segment decode(String shardId, Map<String, String> state) {
            String last = state == null ? null : state.get(LAST);
            Segment s = new Segment(shardId, last);
            if (state == null || state.get(FIRST) == null) {
                return s;
            }
            s.first = state.get(FIRST);
            s.bytes += s.first.length() + 8;
            for (Map.Entry<String, String> e : state.entrySet()) {
                if (!e.getKey().startsWith(INTERVAL_PREFIX)) {
                    continue;
                }
                long interval = Long.parseLong(e.getKey().substring(INTERVAL_PREFIX.length())) * 300;
                String v = e.getValue();
                int pos = 0;
                while (pos < v.length()) {
                    int tab = v.indexOf('\t', pos);
                    int end = v.indexOf('\n', tab);
                    String account = v.substring(pos, tab);
                    String[] n = v.substring(tab + 1, end).split(",", -1);
                    KeyState k = new KeyState();
                    k.base = new IntervalCounts(num(n[0]), num(n[1]), num(n[2]), num(n[3]));
                    k.baseLast = expand(s.first, n[4]);
                    s.keys.put(new AggregateKey(account, interval), k);
                    s.bytes += keyCost(account);
                    pos = end + 1;
                }
            }
            return s;
        }

        Map<String, String> encode() {
            Map<String, String> out = new HashMap<>();
            if (last != null) {
                out.put(LAST, last);
            }
            if (first == null) {
                return out;
            }
            out.put(FIRST, first);
            Map<Long, StringBuilder> byInterval = new LinkedHashMap<>();
            for (Map.Entry<AggregateKey, KeyState> e : keys.entrySet()) {
                IntervalCounts t = e.getValue().total();
                byInterval.computeIfAbsent(e.getKey().intervalStart() / 300, i -> new StringBuilder())
                        .append(e.getKey().accountId()).append('\t').append(str(t.valid())).append(',')
                        .append(str(t.errors())).append(',').append(str(t.unreachedErrors())).append(',')
                        .append(str(t.excludedErrors())).append(',')
                        .append(compress(first, e.getValue().lastSequenceNumber())).append('\n');
            }
            byInterval.forEach((i, sb) -> out.put(INTERVAL_PREFIX + i, sb.toString()));
            return out;
        }

        /**
         * A key's last sequence number, short: the digits after those it shares with the segment's
         * first (same length), prefixed by how many were shared; or the whole number after '='.
         */
        static String compress(String first, String seq) {
            if (first.length() != seq.length()) {
                return "=" + seq;
            }
            int p = 0;
            while (p < seq.length() - 1 && seq.charAt(p) == first.charAt(p)) {
                p++;
            }
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

        private static long num(String s) {
            return s.isEmpty() ? 0 : Long.parseLong(s);
        }
    }

    /** The size of the state as Lambda receives it: a JSON object of strings, UTF-8. */
    static int jsonBytes(Map<String, String> state) {
        int n = 2;
        for (Map.Entry<String, String> e : state.entrySet()) {
            n += jsonStringBytes(e.getKey()) + 1 + jsonStringBytes(e.getValue()) + 1;
        }
        return n;
    }

    private static int jsonStringBytes(String s) {
        int n = 2;
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

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
