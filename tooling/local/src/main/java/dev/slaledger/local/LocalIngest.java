package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.emulators.InMemoryRecordSource;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.LambdaContext;
import dev.slaledger.ingest.WindowedIngestHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The ingest function under the deployed event source mapping ({@link KinesisEsm}, settings
 * {@link #MAPPING}): records through the stream on moto ({@link KinesisOnMoto}), or, on the memory
 * engine, as a stream in this process; the windowed handler is invoked until every record is
 * checkpointed and the windows they opened are ended. Labels of quarantined records are kept by
 * sequence number.
 */
final class LocalIngest {
    /**
     * The mapping the CDK app deploys (kinesis-mapping.json: tumbling windows of 900 s, batches of up to
     * 2,000, bisection, retries until the records expire), on the deployed handler.
     */
    static final KinesisEsm.Settings MAPPING = KinesisEsm.Settings.deployed();
    /**
     * Sequence numbers (memory engine): a fixed 38-digit prefix and an 18-digit counter (always 18 digits
     * up to 10^17 records), so one is a string concatenation, not a BigInteger, per record.
     */
    private static final String SEQUENCE_PREFIX = "49590338271490256608559692538361571095";
    private static final long SEQUENCE_FIRST = 921575989136588898L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WindowedIngestHandler handler;
    private final KinesisOnMoto stream;
    private final SettableClock clock;
    private final PrintStream out;
    private final Function<String, LambdaContext> contexts;
    private final Map<String, String> labelsBySequence = new HashMap<>();
    private long nextSequence = SEQUENCE_FIRST;

    /** {@code stream}: the stream on moto, or null (the records go to the mapping in this process). */
    LocalIngest(WindowedIngestHandler handler, KinesisOnMoto stream, SettableClock clock, PrintStream out,
            Function<String, LambdaContext> contexts) {
        this.handler = handler;
        this.stream = stream;
        this.clock = clock;
        this.out = out;
        this.contexts = contexts;
    }

    Map<String, String> labelsBySequence() {
        return labelsBySequence;
    }

    /** Records in Kinesis events of up to 500 ({@link #batch}); {@code labels} name quarantined records. */
    LocalRuntime.IngestSummary ingest(List<byte[]> records, List<String> labels, Consumer<Integer> progress) {
        LocalRuntime.IngestSummary total = new LocalRuntime.IngestSummary(0, 0, 0, 0, 0);
        for (int from = 0; from < records.size(); from += LocalRuntime.KINESIS_BATCH) {
            int to = Math.min(records.size(), from + LocalRuntime.KINESIS_BATCH);
            int offset = from;
            total = total.plus(batch(records.subList(from, to), i -> labels.get(offset + i)));
            progress.accept(to - from);
        }
        return total;
    }

    /**
     * One Kinesis event of at most 500 records (increasing sequence numbers on one shard). The labels of
     * a batch are kept only when it quarantined something, so a stream of any length holds no
     * per-record state.
     */
    LocalRuntime.IngestSummary batch(List<byte[]> records, IntFunction<String> label) {
        if (records.size() > LocalRuntime.KINESIS_BATCH) {
            throw new IllegalArgumentException("a Kinesis event holds at most " + LocalRuntime.KINESIS_BATCH
                    + " records");
        }
        if (records.isEmpty()) {
            return new LocalRuntime.IngestSummary(0, 0, 0, 0, 0);
        }
        List<String> sequences;
        long[] counts;
        if (stream != null) {
            sequences = stream.put(records);
            counts = drain(stream.fromCheckpoint());
            stream.checkpoint();
        } else {
            String[] assigned = new String[records.size()];
            Instant arrival = clock.instant();
            InMemoryRecordSource source = new InMemoryRecordSource();
            for (int i = 0; i < records.size(); i++) {
                assigned[i] = SEQUENCE_PREFIX + nextSequence++;
                source.add(new KinesisEsm.SourceRecord("shardId-000000000000", assigned[i],
                        KinesisOnMoto.PARTITION_KEY, arrival, records.get(i)));
            }
            sequences = List.of(assigned);
            counts = drain(source);
        }
        if (counts[1] > 0) {
            for (int i = 0; i < sequences.size(); i++) {
                labelsBySequence.put(sequences.get(i), label.apply(i));
            }
        }
        return new LocalRuntime.IngestSummary(records.size(), counts[0], counts[1], counts[2], counts[3]);
    }

    /**
     * The deployed mapping over the records, the arrival the handler sees being the simulated clock's.
     * Returns aggregated, quarantined, failed (given up on) and batches (invocations with records), from
     * the handler's metric lines.
     */
    private long[] drain(KinesisEsm.RecordSource source) {
        long[] counts = new long[4];
        Date arrival = Date.from(clock.instant());
        KinesisEsm.Function function = KinesisEsm.windowed(event -> {
            event.getRecords().forEach(r -> r.getKinesis().setApproximateArrivalTimestamp(arrival));
            LambdaContext ctx = contexts.apply("sla-ingest");
            var response = handler.handleRequest(event, ctx);
            Map<String, Long> metrics = metricLine(ctx);
            counts[0] += metrics.getOrDefault("Aggregated", 0L);
            counts[1] += metrics.getOrDefault("Quarantined", 0L);
            counts[3] += event.getRecords().isEmpty() ? 0 : 1;
            return response;
        });
        KinesisEsm.Stats stats;
        try {
            stats = new KinesisEsm(MAPPING, source, function, KinesisEsm.Chaos.NONE).drain();
        } catch (KinesisEsm.Stuck stuck) {
            throw new IllegalStateException("ingest failed on the same batch " + KinesisEsm.STUCK_AFTER + " times: "
                    + stuck.getCause(), stuck);
        }
        if (stats.discardedRecords > 0) {
            out.println("  ingest failed on " + stats.discardedRecords + " records: the mapping gave up on them");
        }
        counts[2] = stats.discardedRecords;
        return counts;
    }

    /** The counts of the ingest handler's CloudWatch EMF line. */
    private static Map<String, Long> metricLine(LambdaContext ctx) {
        for (String line : ctx.lines()) {
            if (line.startsWith("{\"_aws\"")) {
                try {
                    JsonNode n = JSON.readTree(line);
                    Map<String, Long> metrics = new HashMap<>();
                    n.fields().forEachRemaining(e -> {
                        if (e.getValue().isNumber()) {
                            metrics.put(e.getKey(), e.getValue().asLong());
                        }
                    });
                    return metrics;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("the ingest handler logged no metric line");
    }
}
