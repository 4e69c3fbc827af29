package dev.slaledger.emulators;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.TimeWindow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A Kinesis event source mapping as Lambda runs it, reduced to its delivery rules, over any
 * {@link RecordSource}: a real (emulated) stream on moto ({@link KinesisStreamSource}) for the
 * integration tests and the local runtime ({@code ./sla-local} on its emulators engine), or
 * records in memory ({@link InMemoryRecordSource}) for the local runtime's in-process engine, the
 * fault schedules and the load harness (millions of records through moto's single-threaded server
 * would take hours). Its settings come from the one definition the CDK app deploys
 * ({@link Settings#deployed()}: {@code kinesis-mapping.json} of functions/ingest).
 *
 * <p>What it does, per shard, in the records' arrival-time order (simulated time: the poller
 * never sleeps): batches of at most {@code batchSize} records whose arrivals lie within
 * {@code batchingWindow} of the batch's first; a function error retries the batch, split in halves
 * first when {@code bisectOnError}, until it succeeds, or until {@code maxRetryAttempts} retries or
 * {@code maxRecordAge} (measured on a simulated clock: the newest arrival seen plus the chaos' retry
 * delays; a record older than that is never sent, also one behind a batch retried that long) are
 * exhausted: then the batch is given up on, the on-failure destination receives the
 * message Lambda sends ({@code KinesisBatchInfo}: shard, first and last sequence numbers), and the
 * shard goes on after the batch. A partial batch response ({@code batchItemFailures}) checkpoints
 * just before the earliest failed record and resumes there; {@code parallelizationFactor} lanes per
 * shard, each holding the records of some partition keys, in order.
 *
 * <p>With a tumbling window ({@code tumblingWindow} > 0): records are grouped by the window of their
 * arrival (windows aligned to multiples of the length since the epoch), the state the function returns
 * is handed to the shard's next invocation of the same window, a retried batch gets the state from
 * before it (a batch given up on too: the window goes on with the state from before the batch), and
 * when the window ends the function is invoked once more with no records, {@code isFinalInvokeForWindow}
 * true and the state, retried until it succeeds (Lambda: "if the invocation fails, your function suspends
 * further processing until a successful invocation"); a returned state over 1 MB ends the window early
 * (that final invocation carries {@code isWindowTerminatedEarly} too, and the window goes on with a fresh
 * state).
 *
 * <p>Resharding, as Lambda documents it: a shard's children ({@link RecordSource#parents}) are read
 * only once all their parents have been read to their end, and a parent's open window ends at its end.
 * Lambda does not document a final invocation for that partial window: {@link Chaos#finalInvocationAtShardEnd}
 * says whether one comes (by default none, the case the function must survive).
 *
 * <p>{@link Chaos} adds what AWS may do besides: a response lost after the function succeeded (the
 * batch comes again, with the state from before it), a batch delivered again after it succeeded with the
 * newer state, a retry with another batch size, a window ended early for no reason the function can see,
 * a window replayed from its start with a fresh state. Not modelled: the poller's own timing
 * (invocations are instantaneous), enhanced fan-out, the 6 MB payload limit.
 */
public final class KinesisEsm {
    /** Lambda's limit on a window's state. */
    public static final int STATE_LIMIT_BYTES = 1_048_576;
    /** Where the definition the CDK app deploys is read from, on the class path (docs/ingest.md). */
    public static final String DEFINITION = "/dev/slaledger/ingest/kinesis-mapping.json";
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

    /**
     * The mapping's settings, as in {@code AWS::Lambda::EventSourceMapping}. {@code maxRetryAttempts}
     * and {@code maxRecordAge}: -1 and a negative duration mean "until the records expire".
     */
    public record Settings(int batchSize, Duration batchingWindow, int parallelizationFactor, boolean bisectOnError,
            boolean reportBatchItemFailures, int maxRetryAttempts, Duration tumblingWindow, Duration maxRecordAge) {
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
            Objects.requireNonNull(maxRecordAge);
        }

        /** Without a maximum record age. */
        public Settings(int batchSize, Duration batchingWindow, int parallelizationFactor, boolean bisectOnError,
                boolean reportBatchItemFailures, int maxRetryAttempts, Duration tumblingWindow) {
            this(batchSize, batchingWindow, parallelizationFactor, bisectOnError, reportBatchItemFailures,
                    maxRetryAttempts, tumblingWindow, Duration.ofSeconds(-1));
        }

        public boolean windowed() {
            return !tumblingWindow.isZero();
        }

        public Settings withTumblingWindow(Duration window) {
            return new Settings(batchSize, batchingWindow, parallelizationFactor, bisectOnError,
                    reportBatchItemFailures, maxRetryAttempts, window, maxRecordAge);
        }

        public Settings withBatch(int size, Duration window) {
            return new Settings(size, window, parallelizationFactor, bisectOnError, reportBatchItemFailures,
                    maxRetryAttempts, tumblingWindow, maxRecordAge);
        }

        /**
         * The ingest mapping the CDK app deploys, read from the same definition
         * ({@value #DEFINITION}, which this module's build copies from functions/ingest).
         */
        public static Settings deployed() {
            try (InputStream in = KinesisEsm.class.getResourceAsStream(DEFINITION)) {
                if (in == null) {
                    throw new IllegalStateException(DEFINITION + " is not on the class path: build with ./mvnw (the"
                            + " emulators module copies it from functions/ingest)");
                }
                return fromDefinition(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Settings from a definition in the shape of {@code kinesis-mapping.json} (CloudFormation's names). */
        public static Settings fromDefinition(JsonNode d) {
            Set<String> known = Set.of("comment", "StartingPosition", "BatchSize", "MaximumBatchingWindowInSeconds",
                    "TumblingWindowInSeconds", "BisectBatchOnFunctionError", "MaximumRetryAttempts",
                    "MaximumRecordAgeInSeconds", "ParallelizationFactor", "FunctionResponseTypes",
                    "StreamRetentionPeriodHours");
            d.fieldNames().forEachRemaining(f -> {
                if (!known.contains(f)) {
                    throw new IllegalStateException("kinesis-mapping.json: " + f + " is not modelled by KinesisEsm");
                }
            });
            boolean partial = false;
            for (JsonNode t : d.path("FunctionResponseTypes")) {
                partial |= "ReportBatchItemFailures".equals(t.asText());
            }
            return new Settings(required(d, "BatchSize").asInt(),
                    Duration.ofSeconds(required(d, "MaximumBatchingWindowInSeconds").asLong()),
                    required(d, "ParallelizationFactor").asInt(), required(d, "BisectBatchOnFunctionError").asBoolean(),
                    partial, required(d, "MaximumRetryAttempts").asInt(),
                    Duration.ofSeconds(required(d, "TumblingWindowInSeconds").asLong()),
                    Duration.ofSeconds(required(d, "MaximumRecordAgeInSeconds").asLong()));
        }

        private static JsonNode required(JsonNode d, String field) {
            JsonNode v = d.get(field);
            if (v == null || v.isNull()) {
                throw new IllegalStateException("kinesis-mapping.json: " + field + " is missing");
            }
            return v;
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

        /** The shard's parents (a split: one; a merge: two); none for a shard the stream started with. */
        default List<String> parents(String shardId) {
            return List.of();
        }

        /** Whether the shard has ended (split or merged): its records are all there, no more will come. */
        default boolean closed(String shardId) {
            return false;
        }
    }

    /**
     * One invocation as the function sees it. {@code windowEndsAfter} (not part of Lambda's event: for
     * fault injection) says whether these are the last records of their window.
     */
    public record Invocation(String shardId, List<SourceRecord> records, TimeWindow window, Map<String, String> state,
            boolean finalInvoke, boolean terminatedEarly, boolean retry, boolean windowEndsAfter, String streamArn) {
        public Invocation(String shardId, List<SourceRecord> records, TimeWindow window, Map<String, String> state,
                boolean finalInvoke, boolean terminatedEarly) {
            this(shardId, records, window, state, finalInvoke, terminatedEarly, false, false, ARN);
        }
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

        /** After this successful batch, Lambda delivers it again, with the state the function just returned. */
        default boolean deliverAgain(Invocation invocation) {
            return false;
        }

        /**
         * A failed batch is retried with this many records instead (from the same first record; may be
         * more than it had, up to the batch size and the window), or -1 to retry it as it was (or bisected).
         */
        default int retrySize(Invocation failed, int available) {
            return -1;
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

        /**
         * Whether Lambda invokes the function once more, final, for the window a shard's end cuts short
         * (not documented: by default it does not).
         */
        default boolean finalInvocationAtShardEnd(String shardId) {
            return false;
        }

        /** How long Lambda waits before retrying a failed invocation (the record age grows by it). */
        default Duration retryDelay(int attempt) {
            return Duration.ZERO;
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
        public long retriesResized;
        public long partialFailures;
        public long lostResponses;
        public long deliveredAgain;
        public long earlyTerminations;
        public long windowReplays;
        public long shardEnds;
        public long shardEndFinalInvocations;
        public long discardedRecords;
        public int maxStateBytes;
        /** The messages the on-failure destination received, as Lambda sends them (JSON). */
        public final List<String> onFailure = new ArrayList<>();

        @Override
        public String toString() {
            return "invocations " + invocations + " (final " + finalInvocations + "), records delivered "
                    + recordsDelivered + ", function errors " + functionErrors + ", bisections " + bisections
                    + ", retries resized " + retriesResized + ", partial failures " + partialFailures
                    + ", lost responses " + lostResponses + ", delivered again " + deliveredAgain
                    + ", early terminations " + earlyTerminations + ", window replays " + windowReplays
                    + ", shard ends " + shardEnds + " (final invocations " + shardEndFinalInvocations + ")"
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
        this(settings, source, function, chaos, ARN);
    }

    /** @param streamArn the stream's ARN, as the events and the on-failure messages carry it */
    public KinesisEsm(Settings settings, RecordSource source, Function function, Chaos chaos, String streamArn) {
        this.settings = Objects.requireNonNull(settings);
        this.source = Objects.requireNonNull(source);
        this.function = Objects.requireNonNull(function);
        this.chaos = Objects.requireNonNull(chaos);
        this.streamArn = Objects.requireNonNull(streamArn);
    }

    public Stats stats() {
        return stats;
    }

    /**
     * Delivers every record the source holds now, shard by shard (lane by lane), each shard only after its
     * parents, then ends the open windows (time passes their end; a closed shard's window ends at its end).
     * Returns when all are checkpointed or discarded.
     */
    public Stats drain() {
        List<String> shards = source.shards();
        Set<String> done = new HashSet<>();
        Set<String> all = new HashSet<>(shards);
        while (done.size() < shards.size()) {
            boolean progressed = false;
            for (String shard : shards) {
                if (done.contains(shard)) {
                    continue;
                }
                boolean ready = true;
                for (String p : source.parents(shard)) {
                    ready &= !all.contains(p) || done.contains(p);
                }
                if (!ready) {
                    continue;
                }
                for (int lane = 0; lane < settings.parallelizationFactor(); lane++) {
                    new Lane(shard, lane).run();
                }
                done.add(shard);
                progressed = true;
            }
            if (!progressed) {
                throw new IllegalStateException("shards whose parents never end: " + shards);
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
        /** The simulated clock: the newest arrival delivered, plus the retry delays. */
        Instant now = Instant.EPOCH;
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
                        if (source.closed(shardId)) {
                            stats.shardEnds++;
                            if (chaos.finalInvocationAtShardEnd(shardId)) {
                                stats.shardEndFinalInvocations++;
                                endWindow(false);
                            } // else: the window is considered closed, its state dropped
                        } else {
                            endWindow(false);
                        }
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
                List<SourceRecord> batch = nextBatch(settings.batchSize());
                deliver(batch);
            }
        }

        List<SourceRecord> nextBatch(int size) {
            List<SourceRecord> batch = new ArrayList<>();
            Instant first = buffer.peek().arrival();
            Instant until = first.plus(settings.batchingWindow());
            for (SourceRecord r : buffer) {
                if (batch.size() == size || r.arrival().isAfter(until)
                        || (settings.windowed() && windowOf(r) != windowStart)) {
                    break;
                }
                batch.add(r);
            }
            return batch;
        }

        /** Whether the records of {@code part}, the head of the buffer, are the last of their window. */
        boolean windowEndsAfter(List<SourceRecord> part) {
            if (!settings.windowed()) {
                return false;
            }
            int i = 0;
            for (SourceRecord r : buffer) {
                if (i++ == part.size()) {
                    return windowOf(r) != windowStart;
                }
            }
            return exhausted;
        }

        /** Delivers a batch until it is checkpointed (or given up); bisection splits it into sub-batches. */
        void deliver(List<SourceRecord> batch) {
            Deque<List<SourceRecord>> pending = new ArrayDeque<>();
            pending.push(batch);
            int attempts = 0;
            int consecutiveErrors = 0;
            while (!pending.isEmpty()) {
                List<SourceRecord> part = pending.peek();
                Instant newest = part.get(part.size() - 1).arrival();
                if (newest.isAfter(now)) {
                    now = newest;
                }
                if (!settings.maxRecordAge().isNegative()
                        && Duration.between(part.get(0).arrival(), now).compareTo(settings.maxRecordAge()) > 0) {
                    // too old to be sent at all: also the records behind a batch retried that long
                    pending.pop();
                    discard(part, "RecordAgeExceeded", attempts);
                    attempts = 0;
                    continue;
                }
                Invocation inv = new Invocation(shardId, part, window(), Map.copyOf(state), false, false,
                        attempts > 0, windowEndsAfter(part), streamArn);
                Response response;
                try {
                    response = invoke(inv);
                } catch (Throwable error) {
                    stats.functionErrors++;
                    attempts++;
                    if (++consecutiveErrors >= STUCK_AFTER) {
                        throw new Stuck(shardId, error);
                    }
                    now = now.plus(chaos.retryDelay(attempts));
                    String condition = givenUp(part, attempts);
                    if (condition != null) {
                        pending.pop();
                        discard(part, condition, attempts);
                        attempts = 0;
                        continue;
                    }
                    int resized = chaos.retrySize(inv, available());
                    if (resized > 0 && resized != part.size()) {
                        stats.retriesResized++;
                        pending.clear();
                        pending.push(nextBatch(Math.min(resized, settings.batchSize())));
                    } else if (settings.bisectOnError() && part.size() > 1) {
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
                    if (failedFrom == null && chaos.deliverAgain(inv)) {
                        stats.deliveredAgain++;
                        Invocation again = new Invocation(shardId, part, window(), Map.copyOf(state), false, false,
                                true, inv.windowEndsAfter(), streamArn);
                        try {
                            Response r = invoke(again);
                            state = r.state() == null ? new HashMap<>() : new HashMap<>(r.state());
                        } catch (Throwable error) {
                            stats.functionErrors++; // the duplicate failed: the state from before it stays
                        }
                    }
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

        /** How many records of the current window (or batch) the buffer holds from its head, up to the batch size. */
        int available() {
            fill(settings.batchSize() + 1);
            int n = 0;
            for (SourceRecord r : buffer) {
                if (n == settings.batchSize() || (settings.windowed() && windowOf(r) != windowStart)) {
                    break;
                }
                n++;
            }
            return n;
        }

        /** Why the mapping gives up on {@code part} after {@code attempts} failed attempts, or null (its age: before each attempt). */
        String givenUp(List<SourceRecord> part, int attempts) {
            if (settings.maxRetryAttempts() >= 0 && attempts > settings.maxRetryAttempts()) {
                return "RetryAttemptsExhausted";
            }
            return null;
        }

        void discard(List<SourceRecord> part, String condition, int attempts) {
            stats.discardedRecords += part.size();
            stats.onFailure.add(onFailureMessage(part, condition, attempts, now));
            for (int i = 0; i < part.size(); i++) {
                buffer.poll(); // skipped: the window goes on with the state from before them
            }
        }

        /** The window's final invocation, retried until it succeeds; then a fresh state. */
        void endWindow(boolean early) {
            if (early) {
                stats.earlyTerminations++;
            }
            int errors = 0;
            while (true) {
                Invocation inv = new Invocation(shardId, List.of(), window(), Map.copyOf(state), true, early,
                        errors > 0, true, streamArn);
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

    /** The message the on-failure destination receives for a Kinesis batch given up on (Lambda's shape). */
    private String onFailureMessage(List<SourceRecord> part, String condition, int attempts, Instant at) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("shardId", part.get(0).shardId());
        info.put("startSequenceNumber", part.get(0).sequenceNumber());
        info.put("endSequenceNumber", part.get(part.size() - 1).sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", part.get(0).arrival().toString());
        info.put("approximateArrivalOfLastRecord", part.get(part.size() - 1).arrival().toString());
        info.put("batchSize", part.size());
        info.put("streamArn", streamArn);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("requestContext", Map.of("requestId", "esm-" + stats.onFailure.size(), "functionArn",
                "arn:aws:lambda:eu-west-1:123456789012:function:ingest:live", "condition", condition,
                "approximateInvokeCount", attempts));
        message.put("responseContext", Map.of("statusCode", 200, "executedVersion", "1", "functionError", "Unhandled"));
        message.put("version", "1.0");
        message.put("timestamp", at.toString());
        message.put("KinesisBatchInfo", info);
        try {
            return new ObjectMapper().writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /**
     * A Kinesis handler on {@link KinesisTimeWindowEvent} ({@code e -> handler.handleRequest(e, context)}) as
     * the mapping invokes it: with the window, the state, the shard and the flags under a tumbling window;
     * without a window, as a plain Kinesis event (no window, no state, no flags) under a mapping without one.
     */
    public static Function windowed(
            java.util.function.Function<KinesisTimeWindowEvent, TimeWindowEventResponse> handler) {
        return inv -> {
            KinesisTimeWindowEvent event = new KinesisTimeWindowEvent();
            List<KinesisEvent.KinesisEventRecord> records = records(inv);
            event.setRecords(records);
            if (inv.window() != null) {
                event.setWindow(inv.window());
                event.setState(new HashMap<>(inv.state()));
                event.setShardId(inv.shardId());
                event.setEventSourceArn(inv.streamArn());
                event.setIsFinalInvokeForWindow(inv.finalInvoke());
                event.setIsWindowTerminatedEarly(inv.terminatedEarly());
            }
            TimeWindowEventResponse r = handler.apply(event);
            if (inv.window() != null && (r == null || r.getState() == null)) {
                throw new IllegalStateException("a windowed function must answer with a state");
            }
            List<String> failed = new ArrayList<>();
            if (r != null && r.getBatchItemFailures() != null) {
                r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
            return new Response(failed, r == null ? null : r.getState());
        };
    }

    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests";

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
            r.setEventSourceARN(inv.streamArn());
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
