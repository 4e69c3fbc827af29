package dev.slaledger.emulators;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.TimeWindow;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A Kinesis event source mapping as Lambda runs it, reduced to its delivery rules, over any
 * {@link RecordSource}: a real (emulated) stream on moto ({@link KinesisStreamSource}) for the
 * integration tests and the local runtime ({@code ./sla-local} on its emulators engine), or
 * records generated in memory for the load harness (millions of records through moto's
 * single-threaded server would take hours).
 *
 * <p>What it does, per shard, in the records' arrival-time order (simulated time: the poller
 * never sleeps): batches of at most {@code batchSize} records whose arrivals lie within
 * {@code batchingWindow} of the batch's first; a function error retries the batch
 * ({@code maxRetryAttempts}, -1 = until it succeeds), split in halves first when
 * {@code bisectOnError}; a partial batch response ({@code batchItemFailures}) checkpoints just
 * before the earliest failed record and resumes there; {@code parallelizationFactor} lanes per
 * shard, each holding the records of some partition keys, in order. With a tumbling window
 * ({@code tumblingWindow} > 0): records are grouped by the window of their arrival (windows aligned
 * to multiples of the length since the epoch), the state the function returns is handed to the
 * shard's next invocation of the same window, a retried batch gets the state from before it, and
 * when the window ends the function is invoked once more with no records,
 * {@code isFinalInvokeForWindow} true and the state; a returned state over 1 MB ends the window
 * early (that final invocation carries {@code isWindowTerminatedEarly} too, and the window goes on
 * with a fresh state). The final invocation is retried like any other until it succeeds.
 *
 * <p>{@link Chaos} adds what AWS may do besides: a response lost after the function succeeded
 * (the batch comes again, with the state from before it), a window ended early for no reason the
 * function can see, a window replayed from its start with a fresh state. Not modelled: the
 * poller's own timing (invocations are instantaneous), resharding, enhanced fan-out, the 6 MB
 * payload limit, {@code maxRecordAge}.
 */
public final class KinesisEsm {
    /** Lambda's limit on a window's state. */
    public static final int STATE_LIMIT_BYTES = 1_048_576;
    /**
     * Where the poller stops retrying one invocation and throws {@link Stuck} (Lambda would go on
     * until the records expire: a shard that never moves, which a test must see as a failure).
     */
    public static final int STUCK_AFTER = 1_000;

    /** One invocation failed {@link #STUCK_AFTER} times in a row: the shard does not move. */
    public static final class Stuck extends IllegalStateException {
        Stuck(String shardId, Throwable last) {
            super("shard " + shardId + " stuck: the same invocation failed " + STUCK_AFTER + " times", last);
        }
    }

    /** The mapping's settings, as in {@code AWS::Lambda::EventSourceMapping}. */
    public record Settings(int batchSize, Duration batchingWindow, int parallelizationFactor, boolean bisectOnError,
            boolean reportBatchItemFailures, int maxRetryAttempts, Duration tumblingWindow) {
        public Settings {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batch size 1..10000: " + batchSize);
            }
            if (parallelizationFactor < 1 || parallelizationFactor > 10) {
                throw new IllegalArgumentException("parallelization factor 1..10: " + parallelizationFactor);
            }
            if (tumblingWindow.compareTo(Duration.ofSeconds(900)) > 0 || tumblingWindow.isNegative()) {
                throw new IllegalArgumentException("tumbling window 0..900 s: " + tumblingWindow);
            }
            if (!tumblingWindow.isZero() && parallelizationFactor != 1) {
                throw new IllegalArgumentException("this poller runs tumbling windows with parallelization factor 1 only");
            }
        }

        public boolean windowed() {
            return !tumblingWindow.isZero();
        }

        public Settings withTumblingWindow(Duration window) {
            return new Settings(batchSize, batchingWindow, parallelizationFactor, bisectOnError,
                    reportBatchItemFailures, maxRetryAttempts, window);
        }

        public Settings withBatch(int size, Duration window) {
            return new Settings(size, window, parallelizationFactor, bisectOnError, reportBatchItemFailures,
                    maxRetryAttempts, tumblingWindow);
        }
    }

    /** One stream record as a source hands it over. */
    public record SourceRecord(String shardId, String sequenceNumber, String partitionKey, Instant arrival,
            byte[] data) {
    }

    /** Where the records come from: a stream's shards, read in order after a position. */
    public interface RecordSource {
        List<String> shards();

        /** Up to {@code max} records of the shard after {@code afterSequence} (null: from the start), in order. */
        List<SourceRecord> read(String shardId, String afterSequence, int max);
    }

    /** One invocation as the function sees it. */
    public record Invocation(String shardId, List<SourceRecord> records, TimeWindow window, Map<String, String> state,
            boolean finalInvoke, boolean terminatedEarly) {
    }

    /** What the function answered: the sequence numbers it reports failed, and (windows) its state. */
    public record Response(List<String> batchItemFailures, Map<String, String> state) {
    }

    /** The function under the mapping; throwing anything (an Error too) is a function error. */
    @FunctionalInterface
    public interface Function {
        Response invoke(Invocation invocation);
    }

    /** What AWS may do beyond the delivery rules; {@link #NONE} does none of it. */
    public interface Chaos {
        Chaos NONE = new Chaos() {
        };

        /** The function succeeded but Lambda did not get the answer: the batch comes again. */
        default boolean loseResponse(Invocation invocation) {
            return false;
        }

        /** Lambda ends the current window early after this successful batch. */
        default boolean terminateEarly(Invocation invocation) {
            return false;
        }

        /**
         * Lambda replays the current window with a fresh state, after this batch, from its first record
         * or from where it last ended it early (no early termination is made among the replayed records).
         */
        default boolean replayWindow(Invocation invocation) {
            return false;
        }

        /** Each with its probability in percent, from a seed: reproducible schedules. */
        static Chaos random(long seed, int loseResponsePercent, int terminateEarlyPercent, int replayPercent) {
            Random rnd = new Random(seed);
            return new Chaos() {
                @Override
                public boolean loseResponse(Invocation invocation) {
                    return rnd.nextInt(100) < loseResponsePercent;
                }

                @Override
                public boolean terminateEarly(Invocation invocation) {
                    return !invocation.finalInvoke() && rnd.nextInt(100) < terminateEarlyPercent;
                }

                @Override
                public boolean replayWindow(Invocation invocation) {
                    return !invocation.finalInvoke() && rnd.nextInt(100) < replayPercent;
                }
            };
        }
    }

    /** What the run did. */
    public static final class Stats {
        public long invocations;
        public long recordsDelivered;
        public long finalInvocations;
        public long functionErrors;
        public long bisections;
        public long partialFailures;
        public long lostResponses;
        public long earlyTerminations;
        public long windowReplays;
        public long discardedRecords;
        public int maxStateBytes;

        @Override
        public String toString() {
            return "invocations " + invocations + " (final " + finalInvocations + "), records delivered "
                    + recordsDelivered + ", function errors " + functionErrors + ", bisections " + bisections
                    + ", partial failures " + partialFailures + ", lost responses " + lostResponses
                    + ", early terminations " + earlyTerminations + ", window replays " + windowReplays
                    + ", discarded " + discardedRecords + ", max state " + maxStateBytes + " bytes";
        }
    }

    private final Settings settings;
    private final RecordSource source;
    private final Function function;
    private final Chaos chaos;
    private final Stats stats = new Stats();
    private final String streamArn;

    public KinesisEsm(Settings settings, RecordSource source, Function function, Chaos chaos) {
        this.settings = Objects.requireNonNull(settings);
        this.source = Objects.requireNonNull(source);
        this.function = Objects.requireNonNull(function);
        this.chaos = Objects.requireNonNull(chaos);
        this.streamArn = "arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests";
    }

    public Stats stats() {
        return stats;
    }

    /**
     * Delivers every record the source holds now, shard by shard (lane by lane), then ends the
     * open windows (time passes their end). Returns when all are checkpointed or discarded.
     */
    public Stats drain() {
        for (String shard : source.shards()) {
            for (int lane = 0; lane < settings.parallelizationFactor(); lane++) {
                new Lane(shard, lane).run();
            }
        }
        return stats;
    }

    /** One shard (or one parallel lane of it): its checkpoint, window and state. */
    private final class Lane {
        final String shardId;
        final int lane;
        /** Records read and not yet checkpointed, in order. */
        final Deque<SourceRecord> buffer = new ArrayDeque<>();
        String readPosition;
        boolean exhausted;
        long windowStart = Long.MIN_VALUE;
        Map<String, String> state = new HashMap<>();
        /**
         * Records of a replay still to come again: no early termination among them (a replay re-runs
         * from the window's last cut, and Lambda's cuts of the first run are not made anew).
         */
        int replayRemaining;
        /** The window's records delivered so far, for a replay from its start. */
        final List<SourceRecord> windowRecords = new ArrayList<>();

        Lane(String shardId, int lane) {
            this.shardId = shardId;
            this.lane = lane;
        }

        boolean mine(SourceRecord r) {
            return settings.parallelizationFactor() == 1
                    || Math.floorMod(r.partitionKey().hashCode(), settings.parallelizationFactor()) == lane;
        }

        void fill(int wanted) {
            while (buffer.size() < wanted && !exhausted) {
                List<SourceRecord> read = source.read(shardId, readPosition, Math.max(wanted, 1000));
                if (read.isEmpty()) {
                    exhausted = true;
                    return;
                }
                readPosition = read.get(read.size() - 1).sequenceNumber();
                for (SourceRecord r : read) {
                    if (mine(r)) {
                        buffer.add(r);
                    }
                }
            }
        }

        long windowOf(SourceRecord r) {
            long w = settings.tumblingWindow().toMillis();
            return Math.floorDiv(r.arrival().toEpochMilli(), w) * w;
        }

        void run() {
            while (true) {
                fill(settings.batchSize() + 1);
                if (buffer.isEmpty()) {
                    if (settings.windowed() && windowStart != Long.MIN_VALUE) {
                        endWindow(false);
                    }
                    return;
                }
                SourceRecord head = buffer.peek();
                if (settings.windowed()) {
                    long w = windowOf(head);
                    if (windowStart != Long.MIN_VALUE && w != windowStart) {
                        endWindow(false);
                    }
                    if (windowStart == Long.MIN_VALUE) {
                        windowStart = w;
                        state = new HashMap<>();
                        windowRecords.clear();
                    }
                }
                List<SourceRecord> batch = nextBatch();
                deliver(batch);
            }
        }

        List<SourceRecord> nextBatch() {
            List<SourceRecord> batch = new ArrayList<>();
            Instant first = buffer.peek().arrival();
            Instant until = first.plus(settings.batchingWindow());
            for (SourceRecord r : buffer) {
                if (batch.size() == settings.batchSize() || r.arrival().isAfter(until)
                        || (settings.windowed() && windowOf(r) != windowStart)) {
                    break;
                }
                batch.add(r);
            }
            return batch;
        }

        /** Delivers a batch until it is checkpointed (or given up); bisection splits it into sub-batches. */
        void deliver(List<SourceRecord> batch) {
            Deque<List<SourceRecord>> pending = new ArrayDeque<>();
            pending.push(batch);
            int attempts = 0;
            int consecutiveErrors = 0;
            while (!pending.isEmpty()) {
                List<SourceRecord> part = pending.peek();
                Invocation inv = new Invocation(shardId, part, window(), Map.copyOf(state), false, false);
                Response response;
                try {
                    response = invoke(inv);
                } catch (Throwable error) {
                    stats.functionErrors++;
                    attempts++;
                    if (++consecutiveErrors >= STUCK_AFTER) {
                        throw new Stuck(shardId, error);
                    }
                    if (settings.maxRetryAttempts() >= 0 && attempts > settings.maxRetryAttempts()) {
                        pending.pop();
                        discard(part);
                        attempts = 0;
                        continue;
                    }
                    if (settings.bisectOnError() && part.size() > 1) {
                        stats.bisections++;
                        pending.pop();
                        int mid = part.size() / 2;
                        pending.push(new ArrayList<>(part.subList(mid, part.size())));
                        pending.push(new ArrayList<>(part.subList(0, mid)));
                    }
                    continue;
                }
                consecutiveErrors = 0;
                if (chaos.loseResponse(inv)) {
                    stats.lostResponses++;
                    continue; // the same part again, with the state from before it
                }
                String failedFrom = settings.reportBatchItemFailures() ? earliest(response.batchItemFailures(), part)
                        : null;
                int done = part.size();
                if (failedFrom != null) {
                    stats.partialFailures++;
                    done = indexOf(part, failedFrom);
                }
                if (settings.windowed()) {
                    state = response.state() == null ? new HashMap<>() : new HashMap<>(response.state());
                    int bytes = jsonBytes(state);
                    stats.maxStateBytes = Math.max(stats.maxStateBytes, bytes);
                    windowRecords.addAll(part.subList(0, done));
                }
                for (int i = 0; i < done; i++) {
                    buffer.poll();
                }
                pending.pop();
                attempts = 0;
                if (failedFrom != null) {
                    pending.clear(); // resume from the failed record: the rest of the buffer, as it is
                    return;
                }
                if (settings.windowed()) {
                    boolean replaying = replayRemaining > 0;
                    replayRemaining = Math.max(0, replayRemaining - done);
                    if (jsonBytes(state) > STATE_LIMIT_BYTES || (!replaying && chaos.terminateEarly(inv))) {
                        endWindow(true);
                        pending.clear();
                        return;
                    }
                    if (chaos.replayWindow(inv)) {
                        stats.windowReplays++;
                        for (int i = windowRecords.size() - 1; i >= 0; i--) {
                            buffer.push(windowRecords.get(i));
                        }
                        // the rest of this batch, if bisected, is still in the buffer after the replayed records
                        replayRemaining += windowRecords.size(); // and those of an earlier replay still to come
                        windowRecords.clear();
                        state = new HashMap<>();
                        pending.clear();
                        return;
                    }
                }
            }
        }

        void discard(List<SourceRecord> part) {
            stats.discardedRecords += part.size();
            for (int i = 0; i < part.size(); i++) {
                buffer.poll();
            }
        }

        /** The window's final invocation, retried until it succeeds; then a fresh state. */
        void endWindow(boolean early) {
            if (early) {
                stats.earlyTerminations++;
            }
            int errors = 0;
            while (true) {
                Invocation inv = new Invocation(shardId, List.of(), window(), Map.copyOf(state), true, early);
                try {
                    invoke(inv);
                } catch (Throwable error) {
                    stats.functionErrors++;
                    if (++errors >= STUCK_AFTER) {
                        throw new Stuck(shardId, error);
                    }
                    continue;
                }
                if (chaos.loseResponse(inv)) {
                    stats.lostResponses++;
                    continue;
                }
                break;
            }
            state = new HashMap<>();
            windowRecords.clear();
            if (!early) {
                windowStart = Long.MIN_VALUE;
            }
        }

        TimeWindow window() {
            if (!settings.windowed()) {
                return null;
            }
            return new TimeWindow(Instant.ofEpochMilli(windowStart).toString(),
                    Instant.ofEpochMilli(windowStart).plus(settings.tumblingWindow()).toString());
        }

        Response invoke(Invocation inv) {
            stats.invocations++;
            stats.recordsDelivered += inv.records().size();
            if (inv.finalInvoke()) {
                stats.finalInvocations++;
            }
            return function.invoke(inv);
        }
    }

    private static String earliest(List<String> failures, List<SourceRecord> part) {
        if (failures == null || failures.isEmpty()) {
            return null;
        }
        int best = Integer.MAX_VALUE;
        for (String f : failures) {
            best = Math.min(best, indexOf(part, f));
        }
        return part.get(best).sequenceNumber();
    }

    private static int indexOf(List<SourceRecord> part, String sequenceNumber) {
        for (int i = 0; i < part.size(); i++) {
            if (part.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        throw new IllegalStateException("batch item failure " + sequenceNumber + " is not in the delivered batch");
    }

    /** The size of a state as JSON (UTF-8), as Lambda measures it against its limit. */
    public static int jsonBytes(Map<String, String> state) {
        int n = 2;
        for (Map.Entry<String, String> e : state.entrySet()) {
            n += quoted(e.getKey()) + 1 + quoted(e.getValue()) + 1;
        }
        return n;
    }

    private static int quoted(String s) {
        int n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' ? 2 : c < 0x20 ? 6 : c < 0x80 ? 1
                    : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** A per-batch Kinesis handler ({@code e -> handler.handleRequest(e, null)}) as the mapping invokes it. */
    public static Function perBatch(java.util.function.Function<KinesisEvent, StreamsEventResponse> handler) {
        return inv -> {
            KinesisEvent event = new KinesisEvent();
            event.setRecords(records(inv));
            StreamsEventResponse r = handler.apply(event);
            List<String> failed = new ArrayList<>();
            if (r != null && r.getBatchItemFailures() != null) {
                r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
            return new Response(failed, null);
        };
    }

    /** A tumbling-window Kinesis handler ({@code e -> handler.handleRequest(e, null)}) as the mapping invokes it. */
    public static Function windowed(
            java.util.function.Function<KinesisTimeWindowEvent, TimeWindowEventResponse> handler) {
        return inv -> {
            KinesisTimeWindowEvent event = new KinesisTimeWindowEvent();
            event.setRecords(records(inv));
            event.setWindow(inv.window());
            event.setState(new HashMap<>(inv.state()));
            event.setShardId(inv.shardId());
            event.setEventSourceArn("arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests");
            event.setIsFinalInvokeForWindow(inv.finalInvoke());
            event.setIsWindowTerminatedEarly(inv.terminatedEarly());
            TimeWindowEventResponse r = handler.apply(event);
            if (r == null || r.getState() == null) {
                throw new IllegalStateException("a windowed function must answer with a state");
            }
            List<String> failed = new ArrayList<>();
            if (r.getBatchItemFailures() != null) {
                r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
            return new Response(failed, r.getState());
        };
    }

    /** The records of an invocation shaped as Lambda delivers them (events/ingest/). */
    public static List<KinesisEvent.KinesisEventRecord> records(Invocation inv) {
        List<KinesisEvent.KinesisEventRecord> out = new ArrayList<>(inv.records().size());
        for (SourceRecord s : inv.records()) {
            KinesisEvent.Record k = new KinesisEvent.Record();
            k.setSequenceNumber(s.sequenceNumber());
            k.setPartitionKey(s.partitionKey());
            k.setData(ByteBuffer.wrap(s.data()));
            k.setApproximateArrivalTimestamp(Date.from(s.arrival()));
            k.setKinesisSchemaVersion("1.0");
            KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
            r.setKinesis(k);
            r.setEventID(s.shardId() + ":" + s.sequenceNumber());
            r.setEventSource("aws:kinesis");
            r.setEventName("aws:kinesis:record");
            r.setEventVersion("1.0");
            r.setEventSourceARN("arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests");
            r.setAwsRegion("eu-west-1");
            out.add(r);
        }
        return out;
    }

    /** A source record from a string payload (tests). */
    public static SourceRecord record(String shardId, String sequenceNumber, String partitionKey, Instant arrival,
            String payload) {
        return new SourceRecord(shardId, sequenceNumber, partitionKey, arrival, payload.getBytes(StandardCharsets.UTF_8));
    }
}
