package dev.slaledger.ingest;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.core.traffic.StreamRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every ingest path stands on: the parse step (D1 records and CloudWatch Logs subscription
 * payloads, each validated: D1, S7.4 {@code TOO_OLD} against the {@link Retention} derived from the
 * terms) and the stores (aggregates, quarantine, stale marks). The use case itself, the fold by
 * (account, interval) and the write step, is {@link WindowedIngest}; {@link #ingest} is a delivery
 * outside a tumbling window, which is a window of one batch.
 */
public final class IngestService {
    private final StreamPayloads payloads;
    private final AggregateStore aggregates;
    private final QuarantineStore quarantine;
    private final StalenessMarker stale;
    private final Clock clock;
    private final Supplier<Retention> retention;

    /**
     * @param retention asked once per invocation (S7.4): which intervals are too old; it may read the
     *                  terms, and if it fails the invocation fails (a transient failure, retried)
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

    /**
     * A delivery outside a tumbling window (tools, harnesses, a hand re-ingestion): each shard's records
     * as a window of one batch, folded and written at once through the write step of
     * {@link WindowedIngest}. Throws on a transient failure (the caller delivers again: every record is
     * applied at most once).
     */
    public BatchOutcome ingest(List<StreamRecord> delivered) {
        Map<String, List<StreamRecord>> byShard = new LinkedHashMap<>();
        for (StreamRecord r : delivered) {
            byShard.computeIfAbsent(r.shardId(), s -> new ArrayList<>()).add(r);
        }
        WindowedIngest windowed = new WindowedIngest(this, WindowedIngest.DEFAULT_BUDGET_BYTES);
        BatchOutcome total = null;
        for (Map.Entry<String, List<StreamRecord>> shard : byShard.entrySet()) {
            BatchOutcome o = windowed.oneBatch(shard.getKey(), shard.getValue(), WindowedIngest.TimeBudget.UNLIMITED)
                    .outcome();
            total = total == null ? o : plus(total, o);
        }
        return total == null ? new BatchOutcome(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of()) : total;
    }

    private static BatchOutcome plus(BatchOutcome a, BatchOutcome b) {
        return new BatchOutcome(a.recordsIn() + b.recordsIn(), a.aggregated() + b.aggregated(),
                a.duplicates() + b.duplicates(), a.quarantined() + b.quarantined(), a.failed() + b.failed(),
                a.keys() + b.keys(), a.aggregateWrites() + b.aggregateWrites(),
                a.quarantineWrites() + b.quarantineWrites(), a.staleMarks() + b.staleMarks(), Map.of(),
                a.controlMessages() + b.controlMessages());
    }

    /**
     * The parse step: the delivered stream records as request records (a D1 record as it is, each log
     * event of a CloudWatch Logs subscription payload at its stream record's position), each parsed and
     * validated (D1, S7.4 {@code TOO_OLD} before {@code oldestInterval}).
     */
    StreamPayloads.Expanded expand(List<StreamRecord> delivered, Instant now, long oldestInterval) {
        return payloads.expand(delivered, now, oldestInterval);
    }

    /** The oldest interval start accepted now (S7.4); throws if the terms cannot be read (transient). */
    long oldestIntervalStart(Instant now) {
        return retention.get().oldestIntervalStart(now);
    }

    /** The late-data rule in the zones of the terms the retention was read from (S7.1, S1.4). */
    LateData lateData() {
        return LateData.inZones(retention.get().zones());
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
}
