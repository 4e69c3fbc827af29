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

    @Test
    @DisplayName("Issue 26.3 Settings.deployed() is kinesis-mapping.json of functions/ingest, the file the CDK app deploys (IngestMappingTest checks that side)")
    void deployedSettingsAreTheDefinition() throws Exception {
        com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                java.nio.file.Files.readString(java.nio.file.Path.of(
                        "../../functions/ingest/src/main/resources/dev/slaledger/ingest/kinesis-mapping.json")));
        KinesisEsm.Settings s = KinesisEsm.Settings.deployed();
        assertThat(s).isEqualTo(KinesisEsm.Settings.fromDefinition(d));
        assertThat(s.batchSize()).isEqualTo(d.get("BatchSize").asInt());
        assertThat(s.batchingWindow()).isEqualTo(Duration.ofSeconds(d.get("MaximumBatchingWindowInSeconds").asLong()));
        assertThat(s.tumblingWindow()).isEqualTo(Duration.ofSeconds(d.get("TumblingWindowInSeconds").asLong()));
        assertThat(s.bisectOnError()).isEqualTo(d.get("BisectBatchOnFunctionError").asBoolean());
        assertThat(s.maxRetryAttempts()).isEqualTo(d.get("MaximumRetryAttempts").asInt());
        assertThat(s.maxRecordAge()).isEqualTo(Duration.ofSeconds(d.get("MaximumRecordAgeInSeconds").asLong()));
        assertThat(s.parallelizationFactor()).isEqualTo(d.get("ParallelizationFactor").asInt());
        assertThat(s.reportBatchItemFailures()).isEqualTo(d.get("FunctionResponseTypes").toString()
                .contains("ReportBatchItemFailures"));
    }

    @Test
    @DisplayName("Issue 26.5 a split: the parent is read to its end before its children, and its open window ends at its end (no final invocation unless the chaos says one comes)")
    void splitParentBeforeChildren() {
        InMemoryRecordSource source = new InMemoryRecordSource();
        source.add(KinesisEsm.record("shardId-000000000000", "1", "a", T0, "p1"));
        source.add(KinesisEsm.record("shardId-000000000000", "2", "b", T0.plusSeconds(1), "p2"));
        source.split("shardId-000000000000", "shardId-000000000001", "shardId-000000000002");
        source.add(KinesisEsm.record("shardId-000000000001", "3", "a", T0.plusSeconds(2), "c1"));
        source.add(KinesisEsm.record("shardId-000000000002", "4", "b", T0.plusSeconds(3), "c2"));
        for (boolean finalAtEnd : new boolean[] {false, true}) {
            List<String> log = new ArrayList<>();
            KinesisEsm.Stats stats = new KinesisEsm(settings(10, Duration.ofSeconds(60), Duration.ofSeconds(900)), source,
                    inv -> {
                        log.add(inv.shardId().substring(inv.shardId().length() - 1) + (inv.finalInvoke() ? " final" : " ")
                                + seqs(inv) + " " + inv.state());
                        return new KinesisEsm.Response(List.of(), Map.of("from", inv.shardId()));
                    }, new KinesisEsm.Chaos() {
                        @Override
                        public boolean finalInvocationAtShardEnd(String shardId) {
                            return finalAtEnd;
                        }
                    }).drain();
            List<String> parent = finalAtEnd ? List.of("0 [1, 2] {}", "0 final[] {from=shardId-000000000000}")
                    : List.of("0 [1, 2] {}");
            assertThat(log.subList(0, parent.size())).as("final at the end %s", finalAtEnd).isEqualTo(parent);
            assertThat(log.subList(parent.size(), log.size())).containsExactly("1 [3] {}",
                    "1 final[] {from=shardId-000000000001}", "2 [4] {}", "2 final[] {from=shardId-000000000002}");
            assertThat(stats.shardEnds).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("Issue 26.5 a merge: both parents are read to their end before the child")
    void mergeParentsBeforeChild() {
        InMemoryRecordSource source = new InMemoryRecordSource();
        source.add(KinesisEsm.record("shardId-000000000000", "1", "a", T0, "a1"));
        source.add(KinesisEsm.record("shardId-000000000001", "1", "b", T0, "b1"));
        source.merge("shardId-000000000000", "shardId-000000000001", "shardId-000000000002");
        source.add(KinesisEsm.record("shardId-000000000002", "7", "a", T0.plusSeconds(5), "c1"));
        assertThat(source.parents("shardId-000000000002")).containsExactly("shardId-000000000000", "shardId-000000000001");
        List<String> shards = new ArrayList<>();
        new KinesisEsm(settings(10, Duration.ofSeconds(60), Duration.ofSeconds(900)), source, inv -> {
            if (!inv.finalInvoke()) {
                shards.add(inv.shardId());
            }
            return new KinesisEsm.Response(List.of(), Map.of());
        }, KinesisEsm.Chaos.NONE).drain();
        assertThat(shards.indexOf("shardId-000000000002")).isGreaterThan(shards.indexOf("shardId-000000000000"))
                .isGreaterThan(shards.indexOf("shardId-000000000001"));
    }

    @Test
    @DisplayName("Issue 26.6 records older than MaximumRecordAge are given up on, after retries and behind them: the on-failure destination gets each batch's shard and sequence range (KinesisBatchInfo), the window goes on with the state from before")
    void maxRecordAgeReportsTheRange() {
        for (int delayHours : new int[] {1, 7}) {
            List<String> log = new ArrayList<>();
            KinesisEsm.Settings s = new KinesisEsm.Settings(2, Duration.ofSeconds(60), 1, false, false, -1,
                    Duration.ofSeconds(900), Duration.ofHours(6));
            KinesisEsm.Stats stats = new KinesisEsm(s, records(6, Duration.ofSeconds(1)), inv -> {
                int n = Integer.parseInt(inv.state().getOrDefault("n", "0")) + inv.records().size();
                log.add((inv.finalInvoke() ? "final " : "") + seqs(inv) + " n=" + n);
                if (seqs(inv).contains("3")) {
                    throw new IllegalStateException("cannot take record 3");
                }
                return new KinesisEsm.Response(List.of(), Map.of("n", Integer.toString(n)));
            }, new KinesisEsm.Chaos() {
                @Override
                public Duration retryDelay(int attempt) {
                    return Duration.ofHours(delayHours);
                }
            }).drain();
            assertThat(stats.onFailure.get(0)).contains("\"condition\":\"RecordAgeExceeded\"",
                    "\"shardId\":\"shardId-000000000000\"", "\"startSequenceNumber\":\"3\"",
                    "\"endSequenceNumber\":\"4\"", "\"batchSize\":2", "\"streamArn\":\"arn:aws:kinesis:");
            if (delayHours == 1) {
                // the first try and 5 retries an hour apart: records 3 and 4 are then over 6 hours old; 5 and 6,
                // two seconds younger, are not, and the window goes on with the state from before 3 and 4
                assertThat(log).filteredOn(l -> l.startsWith("[3, 4]")).hasSize(6);
                assertThat(stats.discardedRecords).isEqualTo(2);
                assertThat(log).endsWith("[5, 6] n=4", "final [] n=4");
            } else {
                // one retry 7 hours later: 3 and 4 are too old, and so are 5 and 6 behind them, never sent
                assertThat(log).filteredOn(l -> l.startsWith("[3, 4]")).hasSize(1);
                assertThat(stats.discardedRecords).isEqualTo(4);
                assertThat(stats.onFailure).hasSize(2);
                assertThat(stats.onFailure.get(1)).contains("\"startSequenceNumber\":\"5\"",
                        "\"endSequenceNumber\":\"6\"");
                assertThat(log).noneMatch(l -> l.startsWith("[5, 6]")).endsWith("final [] n=2");
            }
            assertThat(log).startsWith("[1, 2] n=2");
        }
    }

    @Test
    @DisplayName("Issue 26.4 a failed batch may be retried with another batch size, and a successful one delivered again with the newer state")
    void retryWithAnotherSizeAndDeliverAgain() {
        List<List<String>> batches = new ArrayList<>();
        boolean[] failed = {false};
        KinesisEsm.Stats stats = new KinesisEsm(settings(4, Duration.ofSeconds(60), Duration.ofSeconds(900)),
                records(8, Duration.ofMillis(10)), inv -> {
                    if (!inv.finalInvoke()) {
                        batches.add(seqs(inv));
                    }
                    if (!failed[0]) {
                        failed[0] = true;
                        throw new IllegalStateException("first invocation fails");
                    }
                    return new KinesisEsm.Response(List.of(), Map.of("last", inv.records().isEmpty() ? ""
                            : seqs(inv).get(seqs(inv).size() - 1)));
                }, new KinesisEsm.Chaos() {
                    @Override
                    public int retrySize(KinesisEsm.Invocation f, int available) {
                        return 3;
                    }

                    @Override
                    public boolean deliverAgain(KinesisEsm.Invocation invocation) {
                        return seqs(invocation).contains("4");
                    }
                }).drain();
        assertThat(batches).containsExactly(List.of("1", "2", "3", "4"), List.of("1", "2", "3"), List.of("4", "5", "6", "7"),
                List.of("4", "5", "6", "7"), List.of("8"));
        assertThat(stats.retriesResized).isEqualTo(1);
        assertThat(stats.deliveredAgain).isEqualTo(1);
    }
}
