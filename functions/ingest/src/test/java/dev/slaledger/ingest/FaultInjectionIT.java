package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.testkit.UsesEngines;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3.3 / 3.7 and issue 18 item 3: thousands of records on several shards, delivered by the
 * the event source mapping poller of tooling/emulators ({@link KinesisEsm}) that retries, bisects, resumes from reported
 * failures and redelivers batches whose answer it lost, while the function crashes after k of n
 * writes (before or after the write lands) or sees writes fail, through the real DynamoDB store on
 * moto. At the end the aggregates must equal one clean delivery: no double count, no loss.
 * The windowed schedules add windows ended early, windows replayed from their start and state
 * budgets small enough to cut a window into several segments; {@code WindowedSchedulesTest} runs
 * 1,000 more, smaller, on in-memory ports.
 */
@UsesEngines
class FaultInjectionIT {

    private record Run(TrafficGenerator traffic, KinesisEsm.Stats stats) {
    }

    private static Run run(long seed, Harness h, KinesisEsm.Function function, KinesisEsm.Settings settings,
            KinesisEsm.Chaos chaos, int shards, int recordsPerShard) {
        return run(seed, h, function, settings, chaos,
                new TrafficGenerator(seed, shards, recordsPerShard, 40, Events.CLOCK.instant()));
    }

    private static Run run(long seed, Harness h, KinesisEsm.Function function, KinesisEsm.Settings settings,
            KinesisEsm.Chaos chaos, TrafficGenerator traffic) {
        Random rnd = new Random(seed * 7919);
        KinesisEsm.Function faulty = invocation -> {
            if (rnd.nextInt(100) < 40) {
                FaultInjector.Mode mode = FaultInjector.Mode.values()[rnd.nextInt(3)];
                h.faults.arm(1 + rnd.nextInt(Math.max(1, Math.min(invocation.records().size() + 3, 60))), mode);
            }
            try {
                return function.invoke(invocation);
            } finally {
                h.faults.disarm();
            }
        };
        KinesisEsm esm = new KinesisEsm(settings, WindowedSchedulesTest.source(traffic, rnd, Duration.ofMinutes(40)),
                faulty, chaos);
        KinesisEsm.Stats stats = esm.drain();
        System.out.println("seed " + seed + ": " + traffic.total + " records, " + stats);
        assertThat(stats.discardedRecords).isZero();
        assertThat(h.aggregates()).isEqualTo(traffic.expected);
        assertThat(h.quarantine()).hasSize(traffic.bad);
        for (String accountMonth : traffic.lateAccountMonths) {
            String[] parts = accountMonth.split(" ");
            assertThat(h.staleMarks.staleMark(parts[0], YearMonth.parse(parts[1]))).as(accountMonth).isPresent();
        }
        return new Run(traffic, stats);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("Issue 3.3 per batch: random redelivery, bisection, partial failures and crashes after k of n writes: aggregates equal one clean delivery")
    void randomSchedules(long seed) {
        try (Harness h = new Harness(Events.CLOCK)) {
            IngestHandler handler = h.handler;
            KinesisEsm.Settings settings = new KinesisEsm.Settings(100 + new Random(seed).nextInt(100), Duration.ofSeconds(5),
                    1, true, true, -1, Duration.ZERO);
            Run r = run(seed, h, KinesisEsm.perBatch(e -> handler.handleRequest(e, null)), settings,
                    KinesisEsm.Chaos.random(seed, 8, 0, 0), 3, 1500);
            assertThat(r.stats().functionErrors).isPositive();
            assertThat(r.stats().partialFailures).isPositive();
            assertThat(r.stats().lostResponses).isPositive();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    @DisplayName("Issue 18 / S2.5 tumbling windows on moto: redelivered batches, windows ended early or replayed, crashes in the final invocation, bisection: aggregates equal one clean delivery")
    void windowedSchedules(long seed) {
        try (Harness h = new Harness(Events.CLOCK)) {
            Random rnd = new Random(seed);
            int budget = seed % 2 == 0 ? WindowedIngest.DEFAULT_BUDGET_BYTES : 600 + rnd.nextInt(1000);
            WindowedIngestHandler handler = h.windowed(Events.CLOCK, budget);
            KinesisEsm.Settings settings = new KinesisEsm.Settings(5 + rnd.nextInt(60), Duration.ofSeconds(5), 1, true,
                    true, -1, Duration.ofSeconds(seed % 2 == 0 ? 900 : 120));
            Run r = run(seed, h, KinesisEsm.windowed(e -> handler.handleRequest(e, null)), settings,
                    KinesisEsm.Chaos.random(seed, 6, 6, 3), 2, 400);
            assertThat(r.stats().functionErrors).isPositive();
            assertThat(r.stats().finalInvocations).isPositive();
        }
    }
    /** Issue 21: fewer accounts than the D1 runs: moto's ~160 conditional writes/s bound the run, not the events. */
    private static TrafficGenerator accessLogTraffic(long seed) {
        TrafficGenerator traffic = new TrafficGenerator(seed, 3, 250, 10, Events.CLOCK.instant(), 25);
        assertThat(traffic.logEvents).isGreaterThan(5_000);
        assertThat(traffic.controlMessages).isPositive();
        return traffic;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5})
    @DisplayName("Issue 21 per batch: stream records carrying hundreds of access-log events, next to D1 records: "
            + "redelivery, bisection and crashes after k of n writes count each log event once")
    void accessLogPayloads(long seed) {
        try (Harness h = new Harness(Events.CLOCK)) {
            IngestHandler handler = h.handler;
            KinesisEsm.Settings settings = new KinesisEsm.Settings(10 + new Random(seed).nextInt(20),
                    Duration.ofSeconds(5), 1, true, true, -1, Duration.ZERO);
            Run r = run(seed, h, KinesisEsm.perBatch(e -> handler.handleRequest(e, null)), settings,
                    KinesisEsm.Chaos.random(seed, 8, 0, 0), accessLogTraffic(seed));
            assertThat(r.stats().functionErrors).isPositive();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {14, 15})
    @DisplayName("Issue 21 / issue 18 tumbling windows over access-log payloads: windows ended early or replayed, "
            + "crashes in the final invocation, small state budgets: each log event counted once")
    void accessLogPayloadsWindowed(long seed) {
        try (Harness h = new Harness(Events.CLOCK)) {
            Random rnd = new Random(seed);
            int budget = seed % 2 == 0 ? WindowedIngest.DEFAULT_BUDGET_BYTES : 600 + rnd.nextInt(1000);
            WindowedIngestHandler handler = h.windowed(Events.CLOCK, budget);
            KinesisEsm.Settings settings = new KinesisEsm.Settings(5 + rnd.nextInt(20), Duration.ofSeconds(5), 1,
                    true, true, -1, Duration.ofSeconds(seed % 2 == 0 ? 900 : 120));
            Run r = run(seed, h, KinesisEsm.windowed(e -> handler.handleRequest(e, null)), settings,
                    KinesisEsm.Chaos.random(seed, 6, 6, 3), accessLogTraffic(seed));
            assertThat(r.stats().finalInvocations).isPositive();
        }
    }
}
