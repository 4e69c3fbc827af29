package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.emulators.InMemoryRecordSource;
import dev.slaledger.emulators.KinesisEsm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 item 1, the reproduction: the first invocation of a window applies part of its state (a
 * state-budget cut writes some keys), then dies; Lambda bisects that batch and retries the halves
 * with the state from before it. Whatever the budget and wherever the crash, each record must be
 * counted once and the shard must move on. Before the fix the state-size estimate charged a
 * segment's last record only when the state was decoded, so the retried second half cut the window
 * at another record than the first attempt: a key written by the first attempt then lay inside a
 * folded range of the retry, which the store refuses, forever (the shard stuck, the window's counts
 * dropped after the maximum record age).
 */
class BisectedRetryTest {
    private static final String SHARD = "shardId-000000000000";
    private static final Instant ARRIVAL = Instant.parse("2026-10-03T12:01:00Z");

    /** K1 K2 K3 K4 K5 K4: four new keys, a fifth that may not fit, then K4 again after it. */
    private static final String[] ACCOUNTS = {"acct-1", "acct-2", "acct-3", "acct-4", "acct-5", "acct-4"};

    private static String record(String account, int second) {
        return "{\"accountId\":\"" + account + "\",\"timestamp\":\"2026-10-03T12:01:" + (10 + second)
                + "Z\",\"status\":200}";
    }

    private static Map<String, IntervalCounts> expected() {
        Map<String, IntervalCounts> out = new TreeMap<>();
        for (String a : ACCOUNTS) {
            out.merge(a + "@1791028800", new IntervalCounts(1, 0, 0, 0), IntervalCounts::plus);
        }
        return out;
    }

    /** One window of one batch of six records; the first invocation crashes at its k-th write. */
    private static void run(int budget, int crashAtWrite, boolean afterLanding) {
        InMemoryStores stores = new InMemoryStores();
        IngestService service = new IngestService(new RequestRecordParser(), stores.aggregateStore,
                stores.quarantineStore, stores.staleness, Events.CLOCK,
                () -> Retention.fromTerms(List.of(DefaultTerms.version()), Duration.ofDays(92)));
        WindowedIngestHandler handler = new WindowedIngestHandler(new WindowedIngest(service, budget), Events.CLOCK);
        KinesisEsm.Function windowed = KinesisEsm.windowed(e -> handler.handleRequest(e, null));
        int[] invocations = {0};
        KinesisEsm.Function faulty = inv -> {
            if (invocations[0]++ == 0) {
                stores.crashAt(crashAtWrite, afterLanding);
            }
            try {
                return windowed.invoke(inv);
            } finally {
                stores.disarm();
            }
        };
        InMemoryRecordSource source = new InMemoryRecordSource();
        for (int i = 0; i < ACCOUNTS.length; i++) {
            source.add(KinesisEsm.record(SHARD, Integer.toString(i + 1), ACCOUNTS[i], ARRIVAL.plusMillis(i),
                    record(ACCOUNTS[i], i)));
        }
        KinesisEsm.Settings settings = new KinesisEsm.Settings(10, Duration.ofSeconds(5), 1, true, false, -1,
                Duration.ofSeconds(900));
        KinesisEsm esm = new KinesisEsm(settings, source, faulty, KinesisEsm.Chaos.NONE);
        try {
            esm.drain();
        } catch (KinesisEsm.Stuck stuck) {
            throw new AssertionError("budget " + budget + ", crash at write " + crashAtWrite
                    + (afterLanding ? " after" : " before") + " it lands: the shard is stuck (" + esm.stats() + ")",
                    stuck);
        }
        assertThat(stores.aggregates()).as("budget %d, crash at write %d %s", budget, crashAtWrite,
                afterLanding ? "after" : "before").isEqualTo(expected());
    }

    @Test
    @DisplayName("Issue 26.1 / S2.5 a window's first invocation applies part of its state, dies, is bisected and retried: every record counted once, the shard moves on (every budget 60-700 bytes, a crash before or after each write)")
    void bisectedRetryAfterPartialApplication() {
        for (int budget = 60; budget <= 700; budget++) {
            for (int k = 1; k <= 6; k++) {
                run(budget, k, true);
                run(budget, k, false);
            }
        }
    }
}
