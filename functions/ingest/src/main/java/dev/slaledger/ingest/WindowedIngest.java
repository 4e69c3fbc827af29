package dev.slaledger.ingest;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.SequenceNumbers;
import dev.slaledger.core.traffic.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ingest use case (docs/ingest.md): the invocations of a shard's tumbling window fold their records
 * by (account, interval) into the state Lambda carries between them, and the folded state is written with
 * one conditional UpdateItem per key carrying the shard's high-water mark. A delivery outside a window
 * (a mapping without {@code TumblingWindowInSeconds}, a re-ingestion) is a window of one batch: the same
 * fold, the same write step, at once.
 *
 * <p><b>Exactly once, whatever the attempts.</b> A window is cut into <em>segments</em> only where its
 * records put it: before the stream record that would take the open segment over the state budget, by
 * the segment's exact encoded size, which {@link Segment} keeps from its content alone. So every attempt
 * at a batch (a retry, a bisected half, a batch of another size, a window replayed from its start)
 * cuts at the same records and each key's write covers the same range: a write already applied fails
 * its condition with a mark at or above the range ("duplicate"), never inside it. A key's write is its
 * carried sums as one range part from the segment's first record to the key's last carried record,
 * plus the current invocation's records one by one.
 *
 * <p><b>Only completed invocations are written, in order.</b> A segment cut inside an invocation is not
 * written there: it is carried closed in the state and written at the start of the next invocation (or by
 * the window's final one), before anything later. So no write ever holds a record of an invocation that
 * has not succeeded, records the mapping gives up on were never applied in part (docs/ingest.md, "Records
 * Lambda gives up on"), and a shard's segments are written in their order (a later write never moves a
 * key's mark past a segment not yet written). Two exceptions keep the state under Lambda's limit: an
 * invocation whose state would pass {@link #STATE_LIMIT_BYTES} fails at once ({@link BatchTooLargeForState})
 * for the mapping to bisect its batch; and one stream record whose keys alone exceed a fixed share of the
 * state (an access-log payload of thousands of accounts) is a segment of its own, written inside the
 * invocation it comes first in (the mapping bisects until it does), after the segment before it; the
 * items record that it was written so.
 *
 * <p>Bad records are quarantined at once by the invocation that sees them (idempotent: keyed by stream
 * position). Any failure throws: Lambda retries the batch with the state it had before it, and records
 * already folded into a newer state are recognised by the state's last record ({@code l}).
 */
public final class WindowedIngest {
    /** Lambda's limit on a shard's window state ("1 MB"); the state returned never passes it. */
    public static final int STATE_LIMIT_BYTES = 1_000_000;
    /** The default segment budget: a window is cut before the record that would take a segment past it. */
    public static final int DEFAULT_BUDGET_BYTES = 700_000;
    /** Below this much time left, no write is started: the invocation fails cleanly instead (retried). */
    public static final long TIME_RESERVE_MILLIS = 5_000;

    /** The returned state would pass Lambda's limit: fail so that the mapping bisects the batch. */
    public static final class BatchTooLargeForState extends RuntimeException {
        BatchTooLargeForState(int bytes, int records) {
            super("the window state would take " + bytes + " bytes (limit " + STATE_LIMIT_BYTES + ") after these "
                    + records + " records: failing so that the mapping bisects the batch");
        }
    }

    /** The invocation's time ran short before a write: fail before Lambda kills it mid-request (retried). */
    public static final class TimeBudgetExceeded extends RuntimeException {
        TimeBudgetExceeded(long remaining, int written, int keys) {
            super("time budget: " + remaining + " ms left with " + written + " of " + keys
                    + " keys written; failing before the next write (the mapping retries the invocation)");
        }
    }

    /** The time an invocation has left (Lambda's {@code Context#getRemainingTimeInMillis}). */
    @FunctionalInterface
    public interface TimeBudget {
        TimeBudget UNLIMITED = () -> Long.MAX_VALUE;

        long remainingMillis();
    }

    private final IngestService service;
    private final int budgetBytes;
    private final int aloneBytes;
    private final ShardEnds shardEnds;

    /**
     * @param service     the parse step and the stores
     * @param budgetBytes the segment budget (encoded state bytes): a window is cut before the record
     *                    that would take the open segment past it
     */
    public WindowedIngest(IngestService service, int budgetBytes) {
        this(service, budgetBytes, null);
    }

    /** @param shardEnds the reconciliation of ended parent shards (docs/ingest.md, "Resharding"); null: none */
    public WindowedIngest(IngestService service, int budgetBytes, ShardEnds shardEnds) {
        this.service = Objects.requireNonNull(service);
        if (budgetBytes <= 0 || budgetBytes > STATE_LIMIT_BYTES / 2 + STATE_LIMIT_BYTES / 4) {
            throw new IllegalArgumentException("state budget must be in 1.." + (STATE_LIMIT_BYTES * 3 / 4) + ": "
                    + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        // a closed segment (at most the budget) and the open one a single record starts must fit the limit
        this.aloneBytes = Math.min(budgetBytes, STATE_LIMIT_BYTES - budgetBytes - 1_000);
        this.shardEnds = shardEnds;
    }

    IngestService service() {
        return service;
    }

    /**
     * What one invocation did. {@code state} is what the function returns to Lambda; {@code outcome}
     * its metric line's counts ({@code aggregated} = folded + already folded).
     */
    public record Result(Map<String, String> state, BatchOutcome outcome, int segmentsWritten, int stateBytes) {
    }

    /** One invocation, without a time limit and without resharding (tests, tools). */
    public Result handle(String shardId, List<StreamRecord> records, Map<String, String> state, boolean last) {
        return handle(shardId, records, state, last, null, TimeBudget.UNLIMITED);
    }

    /**
     * One invocation of a shard's window.
     *
     * @param shardId   the shard (the event's {@code shardId})
     * @param records   the batch, in stream order (may be empty, e.g. on a final invocation)
     * @param state     the state Lambda carried from the window's previous invocation (null or empty at its start)
     * @param last      true on the window's final invocation ({@code isFinalInvokeForWindow}), when Lambda ended
     *                  it early ({@code isWindowTerminatedEarly}) and for a delivery outside a window: everything
     *                  is written and the state comes back empty
     * @param window    the window's length and the stream, for the reconciliation of ended parent shards (null: none)
     * @param time      the time the invocation has left
     */
    public Result handle(String shardId, List<StreamRecord> records, Map<String, String> state, boolean last,
            ShardEnds.Context window, TimeBudget time) {
        Instant now = service.clock().instant();
        long oldest = service.oldestIntervalStart(now);
        Writes writes = new Writes(time, service.lateData());
        if (shardEnds != null && window != null) {
            shardEnds.reconcileParents(shardId, window, this, time);
        }
        WindowState ws = WindowState.decode(shardId, state);
        for (Segment closed : ws.closed) { // cut by an invocation that succeeded: written now
            write(closed, null, now, writes, null, null);
        }
        List<StreamRecord> fresh = new ArrayList<>(records.size());
        List<StreamRecord> again = new ArrayList<>();
        for (StreamRecord r : records) {
            if (ws.last != null && SequenceNumbers.compare(r.sequenceNumber(), ws.last) <= 0) {
                again.add(r); // a redelivery of records this state already holds
            } else {
                fresh.add(r);
            }
        }
        // counted as request records (an access-log payload holds many), like the fresh ones
        int alreadyFolded = again.isEmpty() ? 0 : service.expand(again, now, oldest).size();
        StreamPayloads.Expanded in = service.expand(fresh, now, oldest);
        Fold fold = new Fold(shardId, ws.open, !last, in, now, writes);
        fold.run();
        int quarantineWritesBefore = service.quarantine().writesSent();
        if (!service.quarantine().storeAll(fold.bad).isEmpty()) {
            throw new IllegalStateException("quarantine writes failed: the batch is retried with the previous state");
        }
        writes.quarantineWrites += service.quarantine().writesSent() - quarantineWritesBefore;
        String lastSeen = fresh.isEmpty() ? ws.last : fresh.get(fresh.size() - 1).sequenceNumber();
        Map<String, String> out;
        int bytes;
        if (last) {
            for (Segment s : fold.closed) {
                write(s, in, now, writes, null, null);
            }
            write(fold.open, in, now, writes, null, null);
            out = new java.util.HashMap<>();
            bytes = 2;
        } else {
            bytes = WindowState.bytes(lastSeen, fold.closed, fold.open);
            if (bytes > STATE_LIMIT_BYTES) {
                throw new BatchTooLargeForState(bytes, records.size());
            }
            out = WindowState.encode(lastSeen, fold.closed, fold.open);
        }
        // a folded part the store refused (S7.5) is quarantined as one pre-aggregated record: it is
        // counted in and quarantined, beside this invocation's own records
        BatchOutcome outcome = new BatchOutcome(in.size() + alreadyFolded + writes.refusedParts,
                fold.folded + alreadyFolded - writes.refusedRecords, alreadyFolded + writes.duplicateRecords,
                fold.bad.size() + writes.refusedParts + writes.refusedRecords, 0, writes.keys, writes.aggregateWrites,
                writes.quarantineWrites, writes.staleMarks, Map.of(), in.controlMessages());
        return new Result(out, outcome, writes.segments, bytes);
    }

    /**
     * A delivery as a window of one batch (records of one shard, in stream order): the same fold and
     * write step as a window's final invocation. Used for deliveries outside a tumbling window and by
     * the reconciliation of an ended shard.
     */
    Result oneBatch(String shardId, List<StreamRecord> records, TimeBudget time) {
        return handle(shardId, records, null, true, null, time);
    }

    /**
     * Re-ingests records of a range the mapping gave up on ({@code rangeId}: its first sequence
     * number), each once: the one-batch fold, then {@link AggregateStore#recover} per key instead of the
     * mark-conditioned write (docs/ingest.md, "Records Lambda gives up on").
     */
    Result recover(String shardId, List<StreamRecord> records, String rangeId) {
        Instant now = service.clock().instant();
        long oldest = service.oldestIntervalStart(now);
        Writes writes = new Writes(TimeBudget.UNLIMITED, service.lateData());
        StreamPayloads.Expanded in = service.expand(records, now, oldest);
        Fold fold = new Fold(shardId, new Segment(shardId, false), false, in, now, writes);
        fold.run();
        int before = service.quarantine().writesSent();
        if (!service.quarantine().storeAll(fold.bad).isEmpty()) {
            throw new IllegalStateException("quarantine writes failed");
        }
        writes.quarantineWrites += service.quarantine().writesSent() - before;
        write(fold.open, in, now, writes, null, rangeId);
        BatchOutcome outcome = new BatchOutcome(in.size() + writes.refusedParts, fold.folded - writes.refusedRecords,
                writes.duplicateRecords, fold.bad.size() + writes.refusedParts + writes.refusedRecords, 0, writes.keys,
                writes.aggregateWrites, writes.quarantineWrites, writes.staleMarks, Map.of(), in.controlMessages());
        return new Result(Map.of(), outcome, writes.segments, 0);
    }

    /** The fold of one invocation's fresh request records into its open segment, cut where the records say. */
    private final class Fold {
        final String shardId;
        final boolean sized;
        final StreamPayloads.Expanded in;
        final Instant now;
        final Writes writes;
        Segment open;
        final List<Segment> closed = new ArrayList<>();
        final List<QuarantineEntry> bad = new ArrayList<>();
        int folded;

        Fold(String shardId, Segment open, boolean sized, StreamPayloads.Expanded in, Instant now, Writes writes) {
            this.shardId = shardId;
            this.open = open;
            this.sized = sized;
            this.in = in;
            this.now = now;
            this.writes = writes;
        }

        void run() {
            List<StreamRecord> requests = in.records();
            List<RequestRecordParser.Accepted> group = new ArrayList<>(1);
            List<Integer> groupIndexes = new ArrayList<>(1);
            StreamRecord groupRecord = null;
            for (int i = 0; i < in.size(); i++) {
                StreamRecord delivered = in.delivered(i);
                if (delivered != groupRecord && !group.isEmpty()) {
                    fold(groupRecord, group, groupIndexes);
                    group.clear();
                    groupIndexes.clear();
                }
                groupRecord = delivered;
                RequestRecordParser.Result result = in.result(i);
                if (result instanceof RequestRecordParser.Accepted a) {
                    group.add(a);
                    groupIndexes.add(i);
                } else if (result instanceof RequestRecordParser.Rejected rej) {
                    bad.add(new QuarantineEntry(requests.get(i), rej.reason(), rej.detail(), i, in.origin(i)));
                }
            }
            if (!group.isEmpty()) {
                fold(groupRecord, group, groupIndexes);
            }
        }

        /**
         * Folds the accepted request records of one stream record (never cut apart: they share its
         * sequence number). In a window, first the cut: if they would take the open segment past the
         * budget, it is closed before them; and if they alone pass {@link #aloneBytes}, they are a
         * segment of their own, written now.
         */
        private void fold(StreamRecord r, List<RequestRecordParser.Accepted> records, List<Integer> indexes) {
            String seq = r.sequenceNumber();
            boolean alone = false;
            if (sized) {
                if (Segment.costAlone(records, seq) > aloneBytes) {
                    alone = true;
                    // writes of a shard keep its records' order (a later write must never move a key's mark
                    // past a segment not yet written): such a record must be the first this invocation folds,
                    // when everything before it is from invocations that succeeded; else the mapping bisects
                    if (folded > 0 || !closed.isEmpty()) {
                        throw new BatchTooLargeForState(WindowState.bytes(null, closed, open), in.size());
                    }
                    write(open, in, now, writes, null, null);
                    open = new Segment(shardId, true);
                } else {
                    int cost = open.cost(records, seq);
                    if (!open.isEmpty() && open.bytes + cost > budgetBytes) {
                        closed.add(open);
                        open = new Segment(shardId, true);
                    }
                }
            }
            Segment target = alone ? new Segment(shardId, true) : open;
            for (int j = 0; j < records.size(); j++) {
                RequestRecordParser.Accepted a = records.get(j);
                target.fold(a.accountId(), a.intervalStart(), r.shardId(), seq, a.counts(), indexes.get(j));
            }
            folded += records.size();
            if (alone) {
                write(target, in, now, writes, seq, null);
            }
        }
    }

    /** What the writes of one invocation did. */
    private static final class Writes {
        final TimeBudget time;
        /** The late-data rule in the terms' zones, read once per invocation. */
        final LateData late;
        int segments;
        int keys;
        int aggregateWrites;
        int quarantineWrites;
        int staleMarks;
        int duplicateRecords;
        /** This invocation's records the store refused (they were folded first). */
        int refusedRecords;
        /** Carried sums the store refused, each quarantined as one pre-aggregated record. */
        int refusedParts;

        Writes(TimeBudget time, LateData late) {
            this.time = time;
            this.late = late;
        }
    }

    private record AccountMonth(String accountId, YearMonth month) {
    }

    /**
     * The write step, shared by every path (issue 26 item 2): one conditional UpdateItem per key of the
     * segment with the shard's high-water mark ({@link AggregateStore#apply}; {@link AggregateStore#recover}
     * for a re-ingested abandoned range), sums the store refuses for good quarantined (S7.5), then one
     * stale mark per late account-month, after the aggregates (the month-end protocol relies on this
     * order). Throws on any transient failure, and before a write the time left cannot cover.
     *
     * @param in           the invocation's request records (for refused records of its own), or null
     * @param writtenAlone the stream record this segment consists of, written inside its own invocation; or null
     * @param recoveryId   the abandoned range being re-ingested, or null
     */
    private void write(Segment s, StreamPayloads.Expanded in, Instant now, Writes w, String writtenAlone,
            String recoveryId) {
        if (s.isEmpty() || s.keys().isEmpty()) {
            return;
        }
        w.segments++;
        // S9.7: each late account-month with its cause, the first late key's first record in the stream
        Map<AccountMonth, RevisionCause> late = new LinkedHashMap<>();
        List<QuarantineEntry> refused = new ArrayList<>();
        int refusedRecords = 0;
        int refusedParts = 0;
        int written = 0;
        for (Segment.Key k : s.keys()) {
            long remaining = w.time.remainingMillis();
            if (remaining < TIME_RESERVE_MILLIS) {
                throw new TimeBudgetExceeded(remaining, written, s.keys().size());
            }
            KeyBatch batch = k.toBatch();
            if (writtenAlone != null) {
                batch.writtenAlone(writtenAlone);
            }
            AggregateStore.ApplyResult applied = recoveryId == null ? service.aggregates().apply(batch)
                    : service.aggregates().recover(batch, s.shardId, recoveryId);
            written++;
            w.keys++;
            w.aggregateWrites += applied.writes();
            w.duplicateRecords += applied.duplicateRecords();
            if (applied.refused() != null) {
                for (KeyBatch.Contribution c : applied.refused().records()) {
                    StreamRecord record;
                    if (c.recordIndex() >= 0) {
                        record = in.records().get(c.recordIndex());
                        refusedRecords++;
                        refused.add(new QuarantineEntry(record, applied.refused().reason(), applied.refused().detail(),
                                c.recordIndex(), in.origin(c.recordIndex())));
                    } else {
                        record = foldedRecord(k.key(), c);
                        refusedParts++;
                        refused.add(new QuarantineEntry(record, applied.refused().reason(), applied.refused().detail(),
                                refused.size()));
                    }
                }
            }
            if (applied.appliedRecords() + applied.duplicateRecords() > 0) {
                for (YearMonth month : w.late.monthsOf(k.interval)) {
                    if (w.late.mayHaveStatement(month, now)) {
                        KeyBatch.Contribution first = batch.contributions().get(0);
                        late.computeIfAbsent(new AccountMonth(k.account, month), am ->
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
                + n.excludedErrors() + kinds(n) + ",\"foldedFrom\":\"" + c.firstSequenceNumber() + "\"}";
        return new StreamRecord(c.shardId() + "#" + key.accountId() + "@" + key.intervalStart(), c.sequenceNumber(),
                Instant.EPOCH, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The excluded errors by kind of a folded part (S9.6), as D1 fields, when any is not zero. */
    private static String kinds(IntervalCounts n) {
        if ((n.excludedMaintenance() | n.excludedCompromised() | n.excludedContentBan()) == 0) {
            return "";
        }
        return ",\"excludedMaintenance\":" + n.excludedMaintenance() + ",\"excludedCustomerCompromised\":"
                + n.excludedCompromised() + ",\"excludedContentBan\":" + n.excludedContentBan();
    }

    /** The size of a state as Lambda receives it: a JSON object of strings, UTF-8. */
    static int jsonBytes(Map<String, String> state) {
        return WindowState.jsonBytes(state);
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
