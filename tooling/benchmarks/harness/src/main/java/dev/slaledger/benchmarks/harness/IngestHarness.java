package dev.slaledger.benchmarks.harness;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.ingest.BatchAggregator;
import dev.slaledger.ingest.BatchOutcome;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.IngestService;
import dev.slaledger.ingest.RequestRecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Issue 3 item 8, not a timed test: run by hand, as docs/benchmarks.md says.
 *
 * <ol>
 * <li>records per second, one thread, of decode + validate + aggregate, side by side in the
 *     same run with a loop that only tokenizes the same bytes with Jackson;
 * <li>DynamoDB writes per 10,000 records of a realistic mix (100 accounts, one minute of
 *     traffic) against moto (server mode, single-threaded), next to the number of distinct keys.
 * </ol>
 */
public final class IngestHarness {
    private static final Instant NOW = Instant.parse("2026-10-03T12:10:00Z");
    private static final int RECORDS = 10_000;
    private static volatile long sink;

    private IngestHarness() {
    }

    /** 100 accounts, one minute (12:04:30-12:05:30, so it straddles an interval edge), mostly 2xx. */
    static List<byte[]> realisticMix(long seed) {
        Random rnd = new Random(seed);
        List<byte[]> out = new ArrayList<>(RECORDS);
        long start = Instant.parse("2026-10-03T12:04:30Z").toEpochMilli();
        for (int i = 0; i < RECORDS; i++) {
            String account = "account-" + (rnd.nextInt(100) + 1000);
            Instant t = Instant.ofEpochMilli(start + rnd.nextInt(60_000));
            int roll = rnd.nextInt(1000);
            String json;
            if (roll < 10) {
                json = "{\"accountId\":\"" + account + "\",\"timestamp\":\"" + t + "\",\"reached\":false,\"exclusion\":null}";
            } else {
                int status = roll < 20 ? 503 : roll < 80 ? 404 : 200;
                String exclusion = roll < 12 ? "\"maintenance\"" : "null";
                json = "{\"accountId\":\"" + account + "\",\"timestamp\":\"" + t + "\",\"status\":" + status
                        + ",\"reached\":true,\"exclusion\":" + exclusion + "}";
            }
            out.add(json.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static long tokenizeOnly(JsonFactory json, List<byte[]> records) throws IOException {
        long tokens = 0;
        for (byte[] b : records) {
            try (JsonParser p = json.createParser(b)) {
                while (p.nextToken() != null) {
                    tokens++;
                }
            }
        }
        return tokens;
    }

    private static long ingestCpu(RequestRecordParser parser, List<byte[]> records) {
        BatchAggregator batch = new BatchAggregator();
        for (int i = 0; i < records.size(); i++) {
            byte[] b = records.get(i);
            if (parser.parse(b, 0, b.length, NOW) instanceof RequestRecordParser.Accepted a) {
                batch.add(a.accountId(), a.intervalStart(), "shardId-000000000000", "1", a.counts(), i);
            }
        }
        return batch.size();
    }

    private static long parseOnly(RequestRecordParser parser, List<byte[]> records) {
        long accepted = 0;
        for (byte[] b : records) {
            if (parser.parse(b, 0, b.length, NOW) instanceof RequestRecordParser.Accepted) {
                accepted++;
            }
        }
        return accepted;
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> records = realisticMix(42);
        JsonFactory json = new JsonFactory();
        RequestRecordParser parser = new RequestRecordParser(Duration.ofDays(190));
        long bytes = records.stream().mapToLong(b -> b.length).sum();
        int rounds = 25;
        int reps = 20; // 200,000 records per measurement
        double[] tokenRate = new double[rounds];
        double[] ingestRate = new double[rounds];
        double[] parseRate = new double[rounds];
        for (int warm = 0; warm < 30; warm++) {
            sink += tokenizeOnly(json, records) + ingestCpu(parser, records) + parseOnly(parser, records);
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                sink += tokenizeOnly(json, records);
            }
            long t1 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                sink += ingestCpu(parser, records);
            }
            long t2 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                sink += parseOnly(parser, records);
            }
            long t3 = System.nanoTime();
            parseRate[r] = RECORDS * (double) reps / ((t3 - t2) / 1e9);
            tokenRate[r] = RECORDS * (double) reps / ((t1 - t0) / 1e9);
            ingestRate[r] = RECORDS * (double) reps / ((t2 - t1) / 1e9);
        }
        Arrays.sort(tokenRate);
        Arrays.sort(ingestRate);
        Arrays.sort(parseRate);
        double tokenMedian = tokenRate[rounds / 2];
        double ingestMedian = ingestRate[rounds / 2];
        System.out.printf("JDK %s, %d records of %.0f bytes on average, %d rounds of %d records each loop%n",
                Runtime.version(), RECORDS, bytes / (double) RECORDS, rounds, RECORDS * reps);
        System.out.printf("tokenize only (Jackson nextToken loop): median %,.0f records/s (min %,.0f, max %,.0f)%n",
                tokenMedian, tokenRate[0], tokenRate[rounds - 1]);
        System.out.printf("decode + validate + aggregate:          median %,.0f records/s (min %,.0f, max %,.0f)%n",
                ingestMedian, ingestRate[0], ingestRate[rounds - 1]);
        System.out.printf("(decode + validate alone:               median %,.0f records/s)%n", parseRate[rounds / 2]);
        System.out.printf("ratio: %.0f%% of the tokenize-only loop%n", 100 * ingestMedian / tokenMedian);

        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        RequestCounter counter = new RequestCounter();
        try (MotoServer moto = MotoServer.start(); var dynamo = moto.dynamo(counter)) {
            System.out.printf("engine: moto %s (server mode, single-threaded) on %s%n", moto.version(), moto.endpoint());
            IngestConfig config = IngestConfig.of("aggregates", "quarantine", "ledger");
            DynamoDbAggregateStore.createTable(dynamo, config.aggregatesTable());
            DynamoDbQuarantineStore.createTable(dynamo, config.quarantineTable());
            LedgerTable.create(dynamo, config.ledgerTable());
            IngestService service = new IngestWiring(config, dynamo, clock).service();
            List<StreamRecord> stream = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                stream.add(new StreamRecord("shardId-000000000000", Long.toString(1_000_000L + i), NOW, records.get(i)));
            }
            long keys = ingestCpu(parser, records);
            counter.reset();
            long t0 = System.nanoTime();
            BatchOutcome outcome = service.ingest(stream);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("DynamoDB: %d records -> %d distinct keys, %d UpdateItem, %d other writes, %d reads"
                            + " (%d ms against moto); aggregated %d, quarantined %d%n",
                    RECORDS, keys, counter.count("UpdateItem"),
                    counter.count("PutItem") + counter.count("BatchWriteItem"), counter.count("GetItem"), ms,
                    outcome.aggregated(), outcome.quarantined());
            counter.reset();
            service.ingest(stream);
            System.out.printf("DynamoDB, same 10,000 redelivered: %d UpdateItem (all conditional failures), %d GetItem%n",
                    counter.count("UpdateItem"), counter.count("GetItem"));
        }
        // exits at once (it did for DynamoDB Local's non-daemon threads; kept: sink keeps the JIT honest)
        System.exit(sink == 42 ? 1 : 0);
    }
}
