package dev.slaledger.ingest;

import dev.slaledger.core.port.ShardEndLog;
import dev.slaledger.core.traffic.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resharding without trusting a final invocation (issue 26 item 5, docs/ingest.md "Resharding"). When a
 * shard is split or merged, Lambda reads the parent to its end before its children and considers the
 * parent's open tumbling window closed; it does not document a final invocation for that window, and
 * without one the window's state, which only the final invocation writes, would be dropped without an
 * error. So the first invocation on a child shard (in each container, once) looks its parents up and,
 * for each parent not yet reconciled, re-reads the parent's last window (and the one before it) from the
 * stream and applies it
 * through the write step as a delivery of its own: every record is a contribution of its own, so the
 * aggregates' high-water marks skip whatever a final invocation (if one came) already wrote, and count
 * the rest once. Progress is kept page by page in a {@link ShardEndLog}, so a reconciliation cut short
 * by the time budget resumes where it stopped.
 */
public final class ShardEnds {
    /** What a windowed invocation knows of its mapping: the stream, and the tumbling window's length. */
    public record Context(String streamArn, Duration window) {
        public Context {
            Objects.requireNonNull(streamArn);
            if (window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("no tumbling window: " + window);
            }
        }
    }

    /** Reads the stream as the reconciliation and the re-ingestion command need it. */
    public interface StreamReader {
        /** The shard's parents: none, one (a split) or two (a merge). */
        List<String> parents(String shardId);

        /** The approximate arrival of the shard's last record, or null if it holds none. */
        Instant lastArrival(String shardId);

        /**
         * Hands over the shard's records in stream order, page by page, from the first that arrived at or
         * after {@code from} (or, if {@code afterSequence} is given, the first after that record) to the
         * shard's end (a closed shard) or the newest record (an open one).
         */
        void read(String shardId, Instant from, String afterSequence, Consumer<List<StreamRecord>> page);

        /** Hands over the shard's records from {@code first} to {@code last} inclusive, page by page. */
        void readRange(String shardId, String first, String last, Consumer<List<StreamRecord>> page);
    }

    private final Function<String, StreamReader> readers;
    private final ShardEndLog log;
    /** Shards whose parents this container has seen reconciled. */
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    private long reconciledRecords;

    /** @param readers the reader of a stream, by its ARN (built on first use) */
    public ShardEnds(Function<String, StreamReader> readers, ShardEndLog log) {
        this.readers = Objects.requireNonNull(readers);
        this.log = Objects.requireNonNull(log);
    }

    /** Records re-read and re-applied by this container's reconciliations (tests, metrics). */
    public long reconciledRecords() {
        return reconciledRecords;
    }

    /** Before an invocation on {@code shardId}: reconciles its parents' ends, once per container. */
    void reconcileParents(String shardId, Context context, WindowedIngest ingest, WindowedIngest.TimeBudget time) {
        if (settled.contains(shardId)) {
            return;
        }
        StreamReader reader = readers.apply(context.streamArn());
        for (String parent : reader.parents(shardId)) {
            reconcile(reader, parent, context.window(), ingest, time);
        }
        settled.add(shardId);
    }

    private void reconcile(StreamReader reader, String parent, Duration window, WindowedIngest ingest,
            WindowedIngest.TimeBudget time) {
        ShardEndLog.Progress progress = log.progress(parent);
        if (progress.done()) {
            return;
        }
        Instant from = null;
        if (progress.through() == null) {
            Instant last = reader.lastArrival(parent);
            if (last == null) {
                log.done(parent);
                return;
            }
            long w = window.toMillis();
            // the start of the window before its last: windows are aligned on multiples of their length in
            // Lambda's examples, which its documentation does not promise; records of a window that ended
            // in full are all applied already, and come back as duplicates
            from = Instant.ofEpochMilli(Math.floorDiv(last.toEpochMilli(), w) * w - w);
        }
        reader.read(parent, from, progress.through(), page -> {
            if (page.isEmpty()) {
                return;
            }
            ingest.oneBatch(parent, page, time);
            reconciledRecords += page.size();
            log.applied(parent, page.get(page.size() - 1).sequenceNumber());
        });
        log.done(parent);
    }
}
