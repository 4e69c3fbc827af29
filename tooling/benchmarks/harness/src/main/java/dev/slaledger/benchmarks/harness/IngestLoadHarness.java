package dev.slaledger.benchmarks.harness;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestService;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.RequestRecordParser;
import dev.slaledger.ingest.WindowedIngest;
import dev.slaledger.ingest.WindowedIngestHandler;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.LambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issues 18 and 26, not a timed test: DynamoDB writes per (account, interval) of the deployed ingest
 * handler and its one write step under the Kinesis event source mapping as AWS runs it
 * ({@link KinesisEsm}: shards, batch size, batching window, tumbling windows), for production-like
 * loads, in three mappings: the deployed one ({@code KinesisEsm.Settings.deployed()}, tumbling windows
 * of 900 s), and as baselines the per-batch one deployed before issue 18 and the same with the largest
 * batch and batching window AWS allows (each batch then a window of one batch, written at once). Run by hand
 * (docs/benchmarks.md). The records come from {@link SimulatedTraffic} (in memory: tens of
 * millions of records cannot go through moto's single-threaded Kinesis in minutes); the writes go
 * to {@link CountingAggregateStore}, which counts the requests the DynamoDB store would send; the
 * {@code sample} case runs a small load through the real DynamoDB store on moto as well and prints
 * both counts side by side.
 *
 * <p>Arguments: case names ({@code k1}, {@code k1-diurnal}, {@code k1-bursty}, {@code k1-lag1s},
 * {@code k100}, {@code k100-16}, {@code one}, {@code sample}); none = all but
 * {@code sample}. {@code --windowed-only} runs only the tumbling-window mapping of each case;
 * {@code --windowed-batch=10000/60} gives it another batch size and batching window (seconds).
 */
public final class IngestLoadHarness {
    private static final Instant START = Instant.parse("2026-10-14T12:00:00Z"); // a multiple of 900 s
    private static final SimulatedTraffic.Lag KPL_LAG = new SimulatedTraffic.Lag(20, 100);

    private IngestLoadHarness() {
    }

    /** A mapping configuration under test. */
    record Mapping(String name, KinesisEsm.Settings settings) {
    }

    static final Mapping PER_BATCH = new Mapping("per batch (2,000 / 5 s)",
            new KinesisEsm.Settings(2_000, Duration.ofSeconds(5), 1, true, true, -1, Duration.ZERO));
    static final Mapping LARGEST_BATCH = new Mapping("per batch (10,000 / 300 s)",
            new KinesisEsm.Settings(10_000, Duration.ofSeconds(300), 1, true, true, -1, Duration.ZERO));
    /** The mapping the CDK app deploys (kinesis-mapping.json, issue 26): tumbling 900 s, 2,000 / 5 s. */
    static final Mapping WINDOWED = new Mapping("tumbling 900 s (2,000 / 5 s, deployed)",
            KinesisEsm.Settings.deployed());

    record Case(String name, String description, int shards, double[] rates, SimulatedTraffic.Process process,
            SimulatedTraffic.Lag lag, Duration duration, List<Mapping> mappings) {
    }

    static double[] uniform(int accounts, double rate) {
        double[] r = new double[accounts];
        Arrays.fill(r, rate);
        return r;
    }

    /** Lognormal rates (sigma 2: mean = 7.4 x median), scaled to the given mean: a long tail. */
    static double[] longTailed(int accounts, double mean, long seed) {
        Random rnd = new Random(seed);
        double[] r = new double[accounts];
        double sum = 0;
        for (int i = 0; i < accounts; i++) {
            r[i] = Math.exp(2 * rnd.nextGaussian());
            sum += r[i];
        }
        double scale = mean * accounts / sum;
        for (int i = 0; i < accounts; i++) {
            r[i] *= scale;
        }
        return r;
    }

    static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        List<Mapping> all = List.of(PER_BATCH, LARGEST_BATCH, WINDOWED);
        Duration half = Duration.ofMinutes(30);
        c.put("k1", new Case("k1", "1,000 accounts x 10 req/s, 8 shards, steady", 8, uniform(1_000, 10),
                SimulatedTraffic.Process.STEADY, KPL_LAG, half, all));
        c.put("k1-diurnal", new Case("k1-diurnal", "1,000 accounts x 10 req/s mean, 8 shards, diurnal (compressed)", 8,
                uniform(1_000, 10), SimulatedTraffic.Process.DIURNAL, KPL_LAG, half, List.of(PER_BATCH, WINDOWED)));
        c.put("k1-bursty", new Case("k1-bursty", "1,000 accounts x 10 req/s mean, 8 shards, bursty (on/off)", 8,
                uniform(1_000, 10), SimulatedTraffic.Process.BURSTY, KPL_LAG, half, List.of(PER_BATCH, WINDOWED)));
        c.put("k1-lag1s", new Case("k1-lag1s", "1,000 accounts x 10 req/s, 8 shards, steady, records 1-2 s late", 8,
                uniform(1_000, 10), SimulatedTraffic.Process.STEADY, new SimulatedTraffic.Lag(1_000, 1_000), half,
                List.of(WINDOWED)));
        c.put("k100", new Case("k100", "100,000 accounts, lognormal rates (mean 0.1 req/s), 32 shards", 32,
                longTailed(100_000, 0.1, 7), SimulatedTraffic.Process.STEADY, KPL_LAG, half, all));
        c.put("k100-16", new Case("k100-16", "100,000 accounts, lognormal rates (mean 0.1 req/s), 16 shards", 16,
                longTailed(100_000, 0.1, 7), SimulatedTraffic.Process.STEADY, KPL_LAG, half, List.of(WINDOWED)));
        c.put("one", new Case("one", "1 account x 2,000 req/s, 1 shard (over Kinesis' 1,000 records/s per shard)", 1,
                uniform(1, 2_000), SimulatedTraffic.Process.STEADY, KPL_LAG, half, all));
        c.put("sample", new Case("sample", "50 accounts x 10 req/s, 2 shards, 10 min (moto and counting store)", 2,
                uniform(50, 10), SimulatedTraffic.Process.STEADY, KPL_LAG, Duration.ofMinutes(10),
                List.of(PER_BATCH, WINDOWED)));
        return c;
    }

    record Result(long records, long keys, long requests, long writeUnits, double perKey, long p50, long p99, long max,
            double perKeyFullIntervals, KinesisEsm.Stats esm, double seconds) {
    }

    private static final QuarantineStore NO_BAD_RECORDS = new QuarantineStore() {
        @Override
        public Set<Integer> storeAll(List<QuarantineEntry> entries) {
            if (!entries.isEmpty()) {
                throw new IllegalStateException(entries.size() + " records quarantined: the generator makes none");
            }
            return Set.of();
        }

        @Override
        public int writesSent() {
            return 0;
        }
    };

    private static final StalenessMarker NO_LATE_DATA = new StalenessMarker() {
        @Override
        public void markStale(String accountId, YearMonth month) {
            throw new IllegalStateException("late data for " + month + ": the generator makes none");
        }

        @Override
        public void markMonthStale(YearMonth month) {
            throw new UnsupportedOperationException();
        }
    };

    /**
     * The deployed handler under the mapping: with windows, the window's invocations; without (the per-batch
     * baselines), each batch a window of its own, written at once: the one write step either way (issue 26).
     */
    static KinesisEsm.Function function(Mapping mapping, IngestService service, SettableClock clock, LambdaContext context) {
        WindowedIngestHandler handler = new WindowedIngestHandler(
                new WindowedIngest(service, WindowedIngest.DEFAULT_BUDGET_BYTES), clock);
        KinesisEsm.Function f = KinesisEsm.windowed(e -> handler.handleRequest(e, context));
        return inv -> {
            if (inv.finalInvoke()) {
                clock.set(Instant.parse(inv.window().getEnd()));
            } else if (!inv.records().isEmpty()) {
                clock.set(inv.records().get(inv.records().size() - 1).arrival());
            }
            return f.invoke(inv);
        };
    }

    static Result runCounting(Case c, Mapping mapping) {
        SettableClock clock = new SettableClock(START);
        CountingAggregateStore store = new CountingAggregateStore();
        Retention retention = Retention.fromTerms(List.of(DefaultTerms.version()), Duration.ofDays(92));
        IngestService service = new IngestService(new RequestRecordParser(), store, NO_BAD_RECORDS, NO_LATE_DATA,
                clock, () -> retention);
        SimulatedTraffic traffic = new SimulatedTraffic(c.shards(), c.rates(), c.process(), c.lag(), START,
                START.plus(c.duration()), 42);
        LambdaContext context = LambdaContext.counting("ingest", 300_000);
        long t0 = System.nanoTime();
        KinesisEsm.Stats stats = new KinesisEsm(mapping.settings(), traffic, function(mapping, service, clock, context),
                KinesisEsm.Chaos.NONE).drain();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long v = 0;
        long e = 0;
        long[] perKey = new long[store.items.size()];
        int i = 0;
        long full = 0;
        long fullWrites = 0;
        long lastInterval = START.plus(c.duration()).getEpochSecond() - 300;
        for (var entry : store.items.entrySet()) {
            v += entry.getValue().v;
            e += entry.getValue().e;
            perKey[i++] = entry.getValue().writes;
            long interval = entry.getKey().intervalStart();
            if (interval >= START.getEpochSecond() && interval <= lastInterval) {
                full++;
                fullWrites += entry.getValue().writes;
            }
        }
        if (v != traffic.generated || e != traffic.errors) {
            throw new IllegalStateException("counted " + v + " valid / " + e + " errors, generated " + traffic.generated
                    + " / " + traffic.errors);
        }
        Arrays.sort(perKey);
        return new Result(traffic.generated, perKey.length, store.requests, store.writeUnits,
                store.requests / (double) perKey.length, perKey[perKey.length / 2],
                perKey[(int) Math.min(perKey.length - 1, Math.ceil(perKey.length * 0.99) - 1)], perKey[perKey.length - 1],
                fullWrites / (double) full, stats, seconds);
    }

    /** The same load through the real DynamoDB store on moto: UpdateItem requests counted on the wire. */
    static long runOnMoto(MotoServer moto, Case c, Mapping mapping) {
        RequestCounter counter = new RequestCounter();
        try (DynamoDbClient dynamo = moto.dynamo(counter)) {
            String prefix = "load" + Integer.toHexString(mapping.name().hashCode() & 0xffff) + c.name();
            IngestConfig config = IngestConfig.of(prefix + "-aggregates", prefix + "-quarantine", prefix + "-ledger");
            DynamoDbAggregateStore.createTable(dynamo, config.aggregatesTable());
            DynamoDbQuarantineStore.createTable(dynamo, config.quarantineTable());
            LedgerTable.create(dynamo, config.ledgerTable());
            SettableClock clock = new SettableClock(START);
            IngestService service = new IngestWiring(config, dynamo, clock).service();
            SimulatedTraffic traffic = new SimulatedTraffic(c.shards(), c.rates(), c.process(), c.lag(), START,
                    START.plus(c.duration()), 42);
            counter.reset();
            new KinesisEsm(mapping.settings(), traffic, function(mapping, service, clock, LambdaContext.counting("ingest", 300_000)),
                    KinesisEsm.Chaos.NONE).drain();
            return counter.count("UpdateItem");
        }
    }

    public static void main(String[] args) {
        Map<String, Case> cases = cases();
        boolean windowedOnly = Arrays.asList(args).contains("--windowed-only");
        String windowedBatch = Arrays.stream(args).filter(a -> a.startsWith("--windowed-batch="))
                .map(a -> a.substring("--windowed-batch=".length())).findFirst().orElse(null);
        List<String> given = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        List<String> names = given.isEmpty() ? cases.keySet().stream().filter(n -> !n.equals("sample")).toList()
                : given;
        System.out.printf(Locale.ROOT, "JDK %s; simulated start %s; lag model for 'KPL': 20-120 ms%n",
                Runtime.version(), START);
        for (String name : names) {
            Case c = cases.get(name);
            if (c == null) {
                throw new IllegalArgumentException("no case " + name + "; cases: " + cases.keySet());
            }
            System.out.printf(Locale.ROOT, "%n== %s: %s, %s arrivals, lag %s, %d min simulated ==%n", c.name(),
                    c.description(), c.process().name().toLowerCase(Locale.ROOT), c.lag(), c.duration().toMinutes());
            System.out.println("| mapping | records | keys | UpdateItem | WCU | writes/key | p50 | p99 | max"
                    + " | writes/key (whole intervals) | invocations | max state (bytes) | run (s) |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            List<Result> results = new ArrayList<>();
            for (Mapping listed : c.mappings()) {
                if (windowedOnly && !listed.settings().windowed()) {
                    continue;
                }
                Mapping m = listed;
                if (windowedBatch != null && listed.settings().windowed()) {
                    // with windows the batch only sets how often the state passes through the function:
                    // the writes are cut by the records alone (docs/ingest.md), so they do not change
                    m = new Mapping("tumbling 900 s (" + windowedBatch + ")", listed.settings().withBatch(
                            Integer.parseInt(windowedBatch.split("/")[0]),
                            Duration.ofSeconds(Long.parseLong(windowedBatch.split("/")[1]))));
                }
                Result r = runCounting(c, m);
                results.add(r);
                System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.3f | %d | %d | %d | %.3f | %,d | %,d | %.1f |%n",
                        m.name(), r.records(), r.keys(), r.requests(), r.writeUnits(), r.perKey(), r.p50(), r.p99(),
                        r.max(), r.perKeyFullIntervals(), r.esm().invocations, r.esm().maxStateBytes, r.seconds());
            }
            if (!windowedOnly) {
                System.out.printf(Locale.ROOT, "ratio of writes to the per-batch baseline (%s): %s%n",
                        c.mappings().get(0).name(), ratios(results));
            }
            if (name.equals("sample")) {
                try (MotoServer moto = MotoServer.start()) {
                    System.out.printf("engine: moto %s (server mode, single-threaded) on %s%n", moto.version(),
                            moto.endpoint());
                    for (int k = 0; k < c.mappings().size(); k++) {
                        long t0 = System.nanoTime();
                        long sent = runOnMoto(moto, c, c.mappings().get(k));
                        System.out.printf(Locale.ROOT, "%s: UpdateItem sent to moto %,d, counted by the counting store %,d"
                                + " (%.0f s on moto)%n", c.mappings().get(k).name(), sent, results.get(k).requests(),
                                (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static String ratios(List<Result> results) {
        StringBuilder b = new StringBuilder();
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%.4fx ", r.requests() / (double) results.get(0).requests()));
        }
        return b.toString().trim();
    }
}
