package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The mapping poller's delivery rules, one at a time, on records in memory. */
class KinesisEsmTest {
    private static final Instant T0 = Instant.parse("2026-10-14T12:00:00Z");

    private static InMemoryRecordSource records(int n, Duration apart) {
        InMemoryRecordSource source = new InMemoryRecordSource();
        for (int i = 1; i <= n; i++) {
            source.add(KinesisEsm.record("shardId-000000000000", Integer.toString(i), "k" + i,
                    T0.plus(apart.multipliedBy(i - 1)), "r" + i));
        }
        return source;
    }

    private static KinesisEsm.Settings settings(int batch, Duration window, Duration tumbling) {
        return new KinesisEsm.Settings(batch, window, 1, true, true, -1, tumbling);
    }

    private static List<String> seqs(KinesisEsm.Invocation inv) {
        return inv.records().stream().map(KinesisEsm.SourceRecord::sequenceNumber).toList();
    }

    @Test
    @DisplayName("a batch holds at most batchSize records arrived within the batching window of its first")
    void batchSizeAndBatchingWindow() {
        List<List<String>> batches = new ArrayList<>();
        new KinesisEsm(settings(4, Duration.ofMillis(2_500), Duration.ZERO), records(10, Duration.ofSeconds(1)),
                inv -> {
                    batches.add(seqs(inv));
                    return new KinesisEsm.Response(List.of(), null);
                }, KinesisEsm.Chaos.NONE).drain();
        assertThat(batches).containsExactly(List.of("1", "2", "3"), List.of("4", "5", "6"), List.of("7", "8", "9"),
                List.of("10"));
        batches.clear();
        new KinesisEsm(settings(4, Duration.ofSeconds(60), Duration.ZERO), records(10, Duration.ofSeconds(1)),
                inv -> {
                    batches.add(seqs(inv));
                    return new KinesisEsm.Response(List.of(), null);
                }, KinesisEsm.Chaos.NONE).drain();
        assertThat(batches).extracting(List::size).containsExactly(4, 4, 2);
    }

    @Test
    @DisplayName("a function error bisects the batch, and each half is retried on its own")
    void bisectOnError() {
        List<List<String>> batches = new ArrayList<>();
        boolean[] failed = {false};
        KinesisEsm.Stats stats = new KinesisEsm(settings(8, Duration.ofSeconds(60), Duration.ZERO),
                records(8, Duration.ofMillis(10)), inv -> {
                    batches.add(seqs(inv));
                    if (!failed[0]) {
                        failed[0] = true;
                        throw new IllegalStateException("first invocation fails");
                    }
                    return new KinesisEsm.Response(List.of(), null);
                }, KinesisEsm.Chaos.NONE).drain();
        assertThat(batches).containsExactly(List.of("1", "2", "3", "4", "5", "6", "7", "8"),
                List.of("1", "2", "3", "4"), List.of("5", "6", "7", "8"));
        assertThat(stats.bisections).isEqualTo(1);
    }

    @Test
    @DisplayName("a partial batch response checkpoints before the earliest failed record and resumes there")
    void partialBatchResponse() {
        List<List<String>> batches = new ArrayList<>();
        new KinesisEsm(settings(5, Duration.ofSeconds(60), Duration.ZERO), records(8, Duration.ofMillis(10)), inv -> {
            batches.add(seqs(inv));
            return new KinesisEsm.Response(batches.size() == 1 ? List.of("4", "3") : List.of(), null);
        }, KinesisEsm.Chaos.NONE).drain();
        assertThat(batches).containsExactly(List.of("1", "2", "3", "4", "5"), List.of("3", "4", "5", "6", "7"),
                List.of("8"));
    }

    @Test
    @DisplayName("retries stop after maxRetryAttempts and the records are discarded (to the on-failure destination)")
    void maxRetryAttempts() {
        int[] calls = {0};
        KinesisEsm.Stats stats = new KinesisEsm(new KinesisEsm.Settings(10, Duration.ofSeconds(60), 1, false, true, 2,
                Duration.ZERO), records(3, Duration.ofMillis(10)), inv -> {
                    calls[0]++;
                    throw new IllegalStateException("always");
                }, KinesisEsm.Chaos.NONE).drain();
        assertThat(calls[0]).isEqualTo(3);
        assertThat(stats.discardedRecords).isEqualTo(3);
    }

    @Test
    @DisplayName("tumbling windows: state carried between a window's batches, a final invocation per window, a fresh state after")
    void tumblingWindows() {
        List<String> log = new ArrayList<>();
        // 12 records 10 s apart from 12:00:00: windows of 60 s hold 6 each
        new KinesisEsm(settings(4, Duration.ofSeconds(60), Duration.ofSeconds(60)), records(12, Duration.ofSeconds(10)),
                inv -> {
                    int n = Integer.parseInt(inv.state().getOrDefault("n", "0")) + inv.records().size();
                    log.add((inv.finalInvoke() ? "final " : "") + inv.window().getStart() + " " + seqs(inv) + " n=" + n);
                    return new KinesisEsm.Response(List.of(), Map.of("n", Integer.toString(n)));
                }, KinesisEsm.Chaos.NONE).drain();
        assertThat(log).containsExactly(
                "2026-10-14T12:00:00Z [1, 2, 3, 4] n=4",
                "2026-10-14T12:00:00Z [5, 6] n=6",
                "final 2026-10-14T12:00:00Z [] n=6",
                "2026-10-14T12:01:00Z [7, 8, 9, 10] n=4",
                "2026-10-14T12:01:00Z [11, 12] n=6",
                "final 2026-10-14T12:01:00Z [] n=6");
    }

    @Test
    @DisplayName("a state over 1 MB ends the window early: a final invocation flagged isWindowTerminatedEarly, then a fresh state in the same window")
    void earlyTermination() {
        List<String> log = new ArrayList<>();
        String big = "x".repeat(KinesisEsm.STATE_LIMIT_BYTES);
        new KinesisEsm(settings(2, Duration.ofSeconds(60), Duration.ofSeconds(60)), records(4, Duration.ofSeconds(1)),
                inv -> {
                    log.add((inv.finalInvoke() ? "final" : "batch") + (inv.terminatedEarly() ? " early" : "") + " "
                            + seqs(inv) + " " + inv.state().keySet());
                    Map<String, String> state = new HashMap<>();
                    if (!inv.finalInvoke() && seqs(inv).contains("1")) {
                        state.put("big", big);
                    }
                    return new KinesisEsm.Response(List.of(), state);
                }, KinesisEsm.Chaos.NONE).drain();
        assertThat(log).containsExactly("batch [1, 2] []", "final early [] [big]", "batch [3, 4] []", "final [] []");
    }
}
