package dev.slaledger.ingest;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.LogEventOrigin;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.core.traffic.SequenceNumbers;
import dev.slaledger.core.traffic.StreamRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ingest use case: one delivered batch of stream records in, aggregates, quarantined
 * records and stale marks out, and the position to redeliver from if something could not be
 * stored.
 *
 * <ol>
 * <li>parse and validate each record (D1); a bad one goes to quarantine, the batch goes on; a
 *     record of a month whose aggregates may have expired is {@code TOO_OLD} (S7.4, the
 *     {@link Retention} derived from the terms);
 * <li>group the good ones by (account, interval): one conditional write per key
 *     ({@link AggregateStore#apply}), which applies each record at most once ever; records the
 *     store refuses for good (S7.5: a count out of range, an item the table refuses) are
 *     quarantined too; only transient failures are redelivered;
 * <li>after the aggregates, set one stale mark per late account-month ({@link LateData});
 *     the order matters: a month-end that cleared a mark has seen the data written before it.
 * </ol>
 */
public final class IngestService {
    private final StreamPayloads payloads;
    private final AggregateStore aggregates;
    private final QuarantineStore quarantine;
    private final StalenessMarker stale;
    private final Clock clock;
    private final Supplier<Retention> retention;

    /**
     * @param retention asked once per batch (S7.4): which intervals are too old; it may read the
     *                  terms, and if it fails the batch is redelivered (a transient failure)
     */
    public IngestService(RequestRecordParser parser, AggregateStore aggregates,
            QuarantineStore quarantine, StalenessMarker stale, Clock clock, Supplier<Retention> retention) {
        this(new StreamPayloads(parser, new AccessLogMapper(AccessLogMapper.AccountSource.CLAIM)), aggregates,
                quarantine, stale, clock, retention);
    }

    /**
     * @param payloads what the stream records hold: D1 records and CloudWatch Logs subscription
     *                 payloads of API Gateway access logs (issue 21), each log event one request record
     */
    public IngestService(StreamPayloads payloads, AggregateStore aggregates,
            QuarantineStore quarantine, StalenessMarker stale, Clock clock, Supplier<Retention> retention) {
        this.payloads = Objects.requireNonNull(payloads);
        this.aggregates = Objects.requireNonNull(aggregates);
        this.quarantine = Objects.requireNonNull(quarantine);
        this.stale = Objects.requireNonNull(stale);
        this.clock = Objects.requireNonNull(clock);
        this.retention = Objects.requireNonNull(retention);
    }

    private record AccountMonth(String accountId, YearMonth month) {
    }

    /** S9.7: the first late record of an account-month, by its stream position and arrival. */
    private static RevisionCause lateCause(List<StreamRecord> records, List<Integer> indexes, Instant now) {
        if (indexes.isEmpty()) {
            return RevisionCause.lateTraffic(null, now);
        }
        StreamRecord first = records.get(indexes.get(0));
        return RevisionCause.lateTraffic(first.shardId() + ":" + first.sequenceNumber(), first.arrival());
    }

    public BatchOutcome ingest(List<StreamRecord> delivered) {
        Instant now = clock.instant();
        long oldestInterval;
        try {
            oldestInterval = retention.get().oldestIntervalStart(now);
        } catch (RuntimeException e) {
            return allFailed(delivered); // the terms could not be read: transient, redeliver the batch
        }
        // issue 21: from here on a "record" is one request record: a D1 stream record, or one log
        // event of a subscription payload at its stream record's position
        StreamPayloads.Expanded in = expand(delivered, now, oldestInterval);
        List<StreamRecord> records = in.records();
        BatchAggregator batch = new BatchAggregator();
        List<QuarantineEntry> bad = new ArrayList<>();
        parse(in, new ParsedRecords() {
            @Override
            public void accepted(int index, StreamRecord r, RequestRecordParser.Accepted a) {
                batch.add(a.accountId(), a.intervalStart(), r.shardId(), r.sequenceNumber(), a.counts(), index);
            }

            @Override
            public void rejected(int index, StreamRecord r, RequestRecordParser.Rejected rej, LogEventOrigin origin) {
                bad.add(new QuarantineEntry(r, rej.reason(), rej.detail(), index, origin));
            }
        });

        BitSet failed = new BitSet(records.size());
        int quarantineWritesBefore = quarantine.writesSent();
        for (int index : quarantine.storeAll(bad)) {
            failed.set(index);
        }
        int quarantined = bad.size() - failed.cardinality();

        int aggregated = 0;
        int duplicates = 0;
        int writes = 0;
        List<QuarantineEntry> refused = new ArrayList<>();
        Map<AccountMonth, List<Integer>> late = new LinkedHashMap<>();
        for (KeyBatch key : batch.keys()) {
            try {
                AggregateStore.ApplyResult applied = aggregates.apply(key);
                writes += applied.writes();
                duplicates += applied.duplicateRecords();
                BitSet notApplied = new BitSet();
                if (applied.refused() != null) {
                    // S7.5: retrying cannot fix it (out of range, refused by the table): quarantine
                    for (KeyBatch.Contribution c : applied.refused().records()) {
                        refused.add(new QuarantineEntry(records.get(c.recordIndex()), applied.refused().reason(),
                                applied.refused().detail(), c.recordIndex(), in.origin(c.recordIndex())));
                        notApplied.set(c.recordIndex());
                    }
                }
                aggregated += key.size() - applied.refusedRecords();
                if (applied.appliedRecords() + applied.duplicateRecords() == 0) {
                    continue;
                }
                for (YearMonth month : LateData.monthsOf(key.key().intervalStart())) {
                    if (LateData.mayHaveStatement(month, now)) {
                        List<Integer> indexes = late.computeIfAbsent(
                                new AccountMonth(key.key().accountId(), month), k -> new ArrayList<>());
                        for (int index : key.recordIndexes()) {
                            if (!notApplied.get(index)) {
                                indexes.add(index);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                writes++;
                for (int index : key.recordIndexes()) {
                    failed.set(index);
                }
            }
        }
        if (!refused.isEmpty()) {
            Set<Integer> notStored = quarantine.storeAll(refused);
            notStored.forEach(failed::set);
            quarantined += refused.size() - notStored.size();
        }

        int marks = 0;
        for (Map.Entry<AccountMonth, List<Integer>> m : late.entrySet()) {
            try {
                stale.markStale(m.getKey().accountId(), m.getKey().month(), lateCause(records, m.getValue(), now));
                marks++;
            } catch (RuntimeException e) {
                // aggregates are stored, but the mark must be retried: redeliver these records
                // (the aggregates deduplicate them, and the mark is set again).
                for (int index : m.getValue()) {
                    if (!failed.get(index)) {
                        failed.set(index);
                        aggregated--;
                    }
                }
            }
        }

        int failedCount = failed.cardinality();
        return new BatchOutcome(records.size(), aggregated, duplicates, quarantined, failedCount,
                batch.size(), writes, quarantine.writesSent() - quarantineWritesBefore, marks,
                retryFrom(records, failed), in.controlMessages());
    }

    /**
     * Where the parse step hands each request record: accepted (D1 counts of one key, with the
     * position of the stream record it came from) or rejected with its reason (the request record as
     * the quarantine stores it, and its log event when it came from an access-log payload).
     */
    interface ParsedRecords {
        void accepted(int index, StreamRecord position, RequestRecordParser.Accepted accepted);

        void rejected(int index, StreamRecord record, RequestRecordParser.Rejected rejected, LogEventOrigin origin);
    }

    /**
     * Step 1a: the delivered stream records as request records (a D1 record as it is, each log event
     * of a CloudWatch Logs subscription payload at its stream record's position), each parsed and
     * validated (D1, S7.4 {@code TOO_OLD} before {@code oldestInterval}).
     */
    StreamPayloads.Expanded expand(List<StreamRecord> delivered, Instant now, long oldestInterval) {
        return payloads.expand(delivered, now, oldestInterval);
    }

    /**
     * Step 1b: hands each request record of {@code in} to {@code out}, in stream order. Shared by the
     * per-batch path ({@link #ingest}) and the tumbling-window path ({@link WindowedIngest}), which
     * differ only in when they write. Indexes are those of {@code in.records()}.
     */
    void parse(StreamPayloads.Expanded in, ParsedRecords out) {
        List<StreamRecord> records = in.records();
        for (int i = 0; i < in.size(); i++) {
            RequestRecordParser.Result result = in.result(i);
            if (result instanceof RequestRecordParser.Accepted a) {
                out.accepted(i, in.delivered(i), a);
            } else if (result instanceof RequestRecordParser.Rejected rej) {
                out.rejected(i, records.get(i), rej, in.origin(i));
            }
        }
    }

    /** The oldest interval start accepted now (S7.4); throws if the terms cannot be read (transient). */
    long oldestIntervalStart(Instant now) {
        return retention.get().oldestIntervalStart(now);
    }

    AggregateStore aggregates() {
        return aggregates;
    }

    QuarantineStore quarantine() {
        return quarantine;
    }

    StalenessMarker staleness() {
        return stale;
    }

    Clock clock() {
        return clock;
    }

    private static BatchOutcome allFailed(List<StreamRecord> records) {
        BitSet all = new BitSet(records.size());
        all.set(0, records.size());
        return new BatchOutcome(records.size(), 0, 0, 0, records.size(), 0, 0, 0, 0, retryFrom(records, all));
    }

    /** Per shard, the earliest sequence number among the failed records. */
    private static Map<String, String> retryFrom(List<StreamRecord> records, BitSet failed) {
        Map<String, String> retryFrom = new HashMap<>();
        failed.stream().forEach(i -> retryFrom.merge(records.get(i).shardId(), records.get(i).sequenceNumber(),
                (a, b) -> SequenceNumbers.compare(a, b) <= 0 ? a : b));
        return retryFrom;
    }
}
