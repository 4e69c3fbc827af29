package dev.slaledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.port.ShardEndLog;
import dev.slaledger.core.traffic.StreamRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator command that re-ingests records the Kinesis event source mapping gave up on (issue 26
 * item 6, docs/ingest.md "Records Lambda gives up on"), exactly once, while the stream still holds
 * them (the mapping gives up after 6 days, the stream keeps records 7).
 *
 * <pre>
 * AWS_REGION=... AGGREGATES_TABLE=... QUARANTINE_TABLE=... LEDGER_TABLE=... \
 *   java -cp functions/ingest/target/sla-ingest-0.1.0-SNAPSHOT-lambda.jar dev.slaledger.ingest.ReingestCommand \
 *   --message ingest-failed-message.json [--message ...]
 * </pre>
 *
 * <p>Each {@code --message} is the body of one message of the IngestFailed queue (the mapping's
 * on-failure destination: {@code KinesisBatchInfo} names the stream, the shard and the first and last
 * sequence numbers of the batch given up on); {@code --stream-arn A --shard S --from F --to T} names a
 * range by hand. The range's records are read back from the stream with their own sequence numbers,
 * parsed like any delivery (bad ones quarantined, idempotently), folded by (account, interval) and
 * added with one conditional UpdateItem per key keyed by the range (its first sequence number), never
 * by the high-water marks: later records moved those past the range, and a mark-based write would
 * skip these records without a word. No live write ever applied part of a batch the mapping gave up
 * on (only records of invocations that succeeded are written, {@link WindowedIngest}), so every record
 * of the range is added once; running the command again on the same range adds nothing.
 */
public final class ReingestCommand {
    /** A range to re-ingest. */
    record Range(String streamArn, String shardId, String first, String last) {
    }

    private ReingestCommand() {
    }

    public static void main(String[] args) {
        int code;
        try {
            List<Range> ranges = parse(args);
            IngestWiring wiring = IngestWiring.fromEnvironment();
            code = run(wiring, ranges, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("reingest: " + e.getMessage());
            System.err.println("usage: reingest --message FILE [--message FILE ...] | "
                    + "--stream-arn ARN --shard SHARD --from SEQUENCE --to SEQUENCE");
            code = 2;
        }
        System.exit(code);
    }

    /** The ranges the arguments name. */
    static List<Range> parse(String[] args) {
        List<Range> out = new ArrayList<>();
        String arn = null;
        String shard = null;
        String from = null;
        String to = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--message" -> out.add(fromMessage(read(Path.of(v))));
                case "--stream-arn" -> arn = v;
                case "--shard" -> shard = v;
                case "--from" -> from = v;
                case "--to" -> to = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (arn != null || shard != null || from != null || to != null) {
            if (arn == null || shard == null || from == null || to == null) {
                throw new IllegalArgumentException("--stream-arn, --shard, --from and --to go together");
            }
            out.add(new Range(arn, shard, from, to));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no range given");
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The range an on-failure destination message names ({@code KinesisBatchInfo}). */
    static Range fromMessage(String json) {
        JsonNode info;
        try {
            info = new ObjectMapper().readTree(json).path("KinesisBatchInfo");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON message: " + e.getMessage());
        }
        for (String field : List.of("streamArn", "shardId", "startSequenceNumber", "endSequenceNumber")) {
            if (!info.path(field).isTextual()) {
                throw new IllegalArgumentException("not an on-failure message of a Kinesis mapping: no KinesisBatchInfo."
                        + field);
            }
        }
        return new Range(info.get("streamArn").asText(), info.get("shardId").asText(),
                info.get("startSequenceNumber").asText(), info.get("endSequenceNumber").asText());
    }

    /** Re-ingests every range; returns the exit code (0: all done, 1: a range could not be). */
    static int run(IngestWiring wiring, List<Range> ranges, PrintStream out) {
        WindowedIngest windowed = new WindowedIngest(wiring.service(), WindowedIngest.DEFAULT_BUDGET_BYTES);
        ShardEndLog shardEnds = new dev.slaledger.adapter.dynamodb.DynamoDbShardEndLog(wiring.dynamo(),
                wiring.config().ledgerTable(), wiring.clock());
        int code = 0;
        for (Range r : ranges) {
            String name = r.shardId() + " " + r.first() + ".." + r.last();
            ShardEndLog.Progress reconciled = shardEnds.progress(r.shardId());
            if (reconciled.done() || reconciled.through() != null) {
                out.println(name + ": not re-ingested. The shard has ended and its last window was re-applied from"
                        + " the stream (docs/ingest.md, \"Resharding\"), which may already have counted records of this"
                        + " range; compare the range's records with the aggregates by hand.");
                code = 1;
                continue;
            }
            List<StreamRecord> records = new ArrayList<>();
            wiring.reader(r.streamArn()).readRange(r.shardId(), r.first(), r.last(), records::addAll);
            if (records.isEmpty() || !records.get(0).sequenceNumber().equals(r.first())) {
                out.println(name + ": not re-ingested. The stream no longer holds the range's first record (trimmed"
                        + " after the stream's retention, or not a record of this shard): only the producer's copy can"
                        + " restore it (docs/ingest.md).");
                code = 1;
                continue;
            }
            BatchOutcome o = windowed.recover(r.shardId(), records, r.first()).outcome();
            out.printf("%s: %d stream records, %d request records: %d added now, %d already re-ingested or written"
                    + " alone, %d quarantined; %d keys, %d writes, %d stale marks%n", name, records.size(), o.recordsIn(),
                    o.aggregated() - o.duplicates(), o.duplicates(), o.quarantined(), o.keys(), o.aggregateWrites(),
                    o.staleMarks());
        }
        return code;
    }
}
