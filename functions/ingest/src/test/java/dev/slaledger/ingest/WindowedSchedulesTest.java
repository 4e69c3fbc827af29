package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.emulators.InMemoryRecordSource;
import dev.slaledger.emulators.KinesisEsm;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 3 on the fast path: 1,200 random schedules (1,000 with tumbling windows, 200 per
 * batch) of the Kinesis mapping ({@link KinesisEsm} over records in memory) against the real
 * ingest code on in-memory ports ({@link InMemoryStores}): random batch sizes, state budgets that
 * cut windows into several segments, crashes before or after the k-th write (the final invocation's
 * included), bisection, responses lost after success (a window's batches redelivered), windows
 * ended early, windows replayed from their start. Every schedule must end with the aggregates of
 * one clean delivery, every bad record quarantined and every late account-month marked.
 * {@code FaultInjectionIT} runs fewer, larger schedules on moto through the real DynamoDB store.
 */
class WindowedSchedulesTest {
    private static final Instant ARRIVAL_START = Instant.parse("2026-10-03T11:30:00Z");

    static InMemoryRecordSource source(TrafficGenerator traffic, Random rnd, Duration span) {
        InMemoryRecordSource source = new InMemoryRecordSource();
        for (List<KinesisEvent.KinesisEventRecord> shard : traffic.shards) {
            long step = Math.max(1, span.toMillis() / shard.size());
            long t = ARRIVAL_START.toEpochMilli() + rnd.nextInt(900_000);
            for (KinesisEvent.KinesisEventRecord r : shard) {
                t += 1 + (long) (rnd.nextDouble() * 2 * step);
                ByteBuffer data = r.getKinesis().getData().duplicate();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                source.add(new KinesisEsm.SourceRecord(r.getEventID().substring(0, r.getEventID().indexOf(':')),
                        r.getKinesis().getSequenceNumber(), r.getKinesis().getPartitionKey(), Instant.ofEpochMilli(t),
                        bytes));
            }
        }
        return source;
    }

    private static IngestService service(InMemoryStores stores) {
        return new IngestService(new RequestRecordParser(), stores.aggregateStore, stores.quarantineStore,
                stores.staleness, Events.CLOCK,
                () -> Retention.fromTerms(List.of(DefaultTerms.version()), Duration.ofDays(92)));
    }

    /** Runs one schedule; returns the mapping's statistics. */
    static KinesisEsm.Stats schedule(long seed, boolean windowed) {
        Random rnd = new Random(seed);
        TrafficGenerator traffic = new TrafficGenerator(seed, 1 + rnd.nextInt(3), 20 + rnd.nextInt(80),
                2 + rnd.nextInt(12), Events.CLOCK.instant());
        InMemoryStores stores = new InMemoryStores();
        IngestService service = service(stores);
        KinesisEsm.Function function;
        if (windowed) {
            int budget = rnd.nextBoolean() ? WindowedIngest.DEFAULT_BUDGET_BYTES : 200 + rnd.nextInt(1500);
            WindowedIngestHandler handler = new WindowedIngestHandler(new WindowedIngest(service, budget), Events.CLOCK);
            function = KinesisEsm.windowed(e -> handler.handleRequest(e, null));
        } else {
            IngestHandler handler = new IngestHandler(service, Events.CLOCK);
            function = KinesisEsm.perBatch(e -> handler.handleRequest(e, null));
        }
        KinesisEsm.Function faulty = invocation -> {
            if (rnd.nextInt(100) < 30) {
                stores.crashAt(1 + rnd.nextInt(8), rnd.nextBoolean());
            }
            try {
                return function.invoke(invocation);
            } finally {
                stores.disarm();
            }
        };
        KinesisEsm.Settings settings = new KinesisEsm.Settings(1 + rnd.nextInt(40), Duration.ofSeconds(5), 1, true,
                true, -1, windowed ? Duration.ofSeconds(rnd.nextBoolean() ? 900 : 60) : Duration.ZERO);
        KinesisEsm esm = new KinesisEsm(settings, source(traffic, rnd, Duration.ofMinutes(40)), faulty,
                KinesisEsm.Chaos.random(seed, 6, windowed ? 5 : 0, windowed ? 3 : 0));
        KinesisEsm.Stats stats;
        try {
            stats = esm.drain();
        } catch (KinesisEsm.Stuck stuck) {
            throw new AssertionError("seed " + seed + " (" + settings + "): " + esm.stats(), stuck);
        }

        assertThat(stores.aggregates()).as("seed %d: %s", seed, stats).isEqualTo(traffic.expected);
        assertThat(stores.quarantined).as("seed %d", seed).hasSize(traffic.bad);
        for (String accountMonth : traffic.lateAccountMonths) {
            assertThat(stores.staleMarks).as("seed %d", seed).contains(accountMonth);
        }
        assertThat(stats.discardedRecords).isZero();
        return stats;
    }

    @Test
    @DisplayName("Issue 18 / S2.5 tumbling windows: 1,000 schedules of redelivery, early termination, crashes in the final invocation and bisection: 0 double counts, 0 losses")
    void windowedSchedules() {
        long errors = 0;
        long lost = 0;
        long early = 0;
        long replays = 0;
        long bisections = 0;
        long finals = 0;
        for (long seed = 1; seed <= 1_000; seed++) {
            KinesisEsm.Stats s = schedule(seed, true);
            errors += s.functionErrors;
            lost += s.lostResponses;
            early += s.earlyTerminations;
            replays += s.windowReplays;
            bisections += s.bisections;
            finals += s.finalInvocations;
        }
        System.out.printf("1,000 windowed schedules: %d function errors (crashes), %d bisections, %d lost responses,"
                + " %d early terminations, %d window replays, %d final invocations%n", errors, bisections, lost, early,
                replays, finals);
        assertThat(errors).isPositive();
        assertThat(bisections).isPositive();
        assertThat(lost).isPositive();
        assertThat(early).isPositive();
        assertThat(replays).isPositive();
    }

    @Test
    @DisplayName("Issue 3.3 / S2.5 per-batch mode through the same mapping: 200 schedules, 0 double counts, 0 losses")
    void perBatchSchedules() {
        long partial = 0;
        for (long seed = 5_001; seed <= 5_200; seed++) {
            partial += schedule(seed, false).partialFailures;
        }
        assertThat(partial).isZero(); // the in-memory ports fail only by crashing; FaultInjectionIT covers FAIL
    }
}
