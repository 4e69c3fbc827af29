package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.emulators.InMemoryRecordSource;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.LambdaContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Issue 26 item 4: seeded fault schedules of the deployed handler under the deployed mapping (KinesisEsm
 * with kinesis-mapping.json's settings, the batch size and window length drawn per schedule), each checked
 * against an independent count of its input ({@link TrafficGenerator}: the aggregates one clean delivery
 * must give, computed from the S2 rules, every bad record, every late account-month): 0 lost, 0 counted
 * twice, and no shard stuck beyond the first clean retry (an attempt without an injected fault never fails,
 * but for the deliberate {@link WindowedIngest.BatchTooLargeForState} that asks the mapping to bisect).
 *
 * <p>What a schedule mixes, each from its seed: a crash before or after the k-th write of an invocation
 * (aggregates, quarantine, stale marks; the final invocation's included); a transient write failure; a
 * timeout after the invocation did its work (Lambda sees an error: retry, bisection); the time budget
 * crossed in the middle of a window's writes ({@link WindowedIngest.TimeBudgetExceeded}); faults aimed at
 * a window's last batch and at its final invocation (the window closing during the retry); bisection of a
 * window's first and later invocations; a retry with another batch size; responses lost after success;
 * a batch delivered again with the newer state; windows ended early or replayed from their start; state
 * budgets small enough to cut every window into segments; access-log payloads of up to 40 log events; and,
 * one schedule in 200, a window whose state reaches the budget at Lambda's 1 MB scale (tens of thousands
 * of keys), batches of up to 10,000 records. A failure names its seed: {@code -Dsla.faults.seed=N} replays it.
 */
final class FaultSchedules {
    /** The ports a schedule runs on: in memory, or the real stores on moto. */
    interface Target {
        IngestService service();

        void crashAt(int k, boolean after);

        void failAt(int k);

        void disarm();

        Map<String, IntervalCounts> aggregates();

        int quarantined();

        boolean staleMarked(String accountMonth);
    }

    /** What the schedules exercised, summed (each kind must occur). */
    static final class Tally {
        long schedules;
        long records;
        long invocations;
        long crashesBefore;
        long crashesAfter;
        long transientFailures;
        long timeouts;
        long timeBudgetsCrossed;
        long faultsOnFirstInvocation;
        long faultsOnLaterInvocation;
        long faultsOnFinalInvocation;
        long faultsOnWindowsLastBatch;
        long bisections;
        long retriesResized;
        long lostResponses;
        long deliveredAgain;
        long earlyTerminations;
        long windowReplays;
        long batchTooLarge;
        long segmentCuts;
        long bigStates;
        long accessLogSchedules;
        int maxStateBytes;
        long nanosBig;
        long nanosAccessLogs;
        long nanosOther;

        void add(KinesisEsm.Stats s) {
            invocations += s.invocations;
            bisections += s.bisections;
            retriesResized += s.retriesResized;
            lostResponses += s.lostResponses;
            deliveredAgain += s.deliveredAgain;
            earlyTerminations += s.earlyTerminations;
            windowReplays += s.windowReplays;
            maxStateBytes = Math.max(maxStateBytes, s.maxStateBytes);
        }

        @Override
        public String toString() {
            return String.format("%,d schedules, %,d request records, %,d invocations: crashes before/after a write %,d/%,d,"
                    + " transient write failures %,d, timeouts after the work %,d, time budgets crossed %,d; faults on a"
                    + " window's first / later / final invocation %,d / %,d / %,d, on a window's last batch %,d;"
                    + " bisections %,d, retries resized %,d, lost responses %,d, delivered again %,d, early terminations %,d,"
                    + " window replays %,d, batches too large for the state %,d, segment cuts %,d; %,d schedules at"
                    + " the 1 MB scale (largest state %,d bytes, %.1f s), %,d with access-log payloads (%.1f s), the rest %.1f s",
                    schedules, records,
                    invocations, crashesBefore, crashesAfter, transientFailures, timeouts, timeBudgetsCrossed,
                    faultsOnFirstInvocation, faultsOnLaterInvocation, faultsOnFinalInvocation, faultsOnWindowsLastBatch,
                    bisections, retriesResized, lostResponses, deliveredAgain, earlyTerminations, windowReplays,
                    batchTooLarge, segmentCuts, bigStates, maxStateBytes, nanosBig / 1e9, accessLogSchedules,
                    nanosAccessLogs / 1e9, nanosOther / 1e9);
        }
    }

    private static final Instant ARRIVAL_START = Instant.parse("2026-10-03T11:30:00Z");

    private FaultSchedules() {
    }

    /** The traffic's records as a stream in memory, arrivals spread over {@code span}. */
    static InMemoryRecordSource source(TrafficGenerator traffic, Random rnd, Duration span) {
        InMemoryRecordSource source = new InMemoryRecordSource();
        for (List<KinesisEvent.KinesisEventRecord> shard : traffic.shards) {
            long step = Math.max(1, span.toMillis() / Math.max(1, shard.size()));
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

    /** A window's worth of distinct keys: {@code accounts} accounts of 16-character ids in 3 intervals, one shard. */
    static TrafficGenerator bigState(int accounts, Instant now) {
        TrafficGenerator t = new TrafficGenerator(0, 0, 0, 1, now);
        java.math.BigInteger seq = new java.math.BigInteger("49590338271490256608559692538361571095921575989136588898");
        List<KinesisEvent.KinesisEventRecord> shard = new java.util.ArrayList<>();
        long base = Math.floorDiv(now.getEpochSecond() - 900, 300) * 300;
        for (int i = 0; i < 3; i++) {
            for (int a = 0; a < accounts; a++) {
                String account = String.format("acct-%011d", a);
                String json = "{\"accountId\":\"" + account + "\",\"intervalStart\":\"" + Instant.ofEpochSecond(base + 300L * i)
                        + "\",\"valid\":" + (1 + a % 7) + ",\"errors\":" + (a % 3 == 0 ? 1 : 0) + "}";
                seq = seq.add(java.math.BigInteger.valueOf(1 + a % 5));
                shard.add(TrafficGenerator.record("shardId-000000000000", seq.toString(), account, json));
                t.expected.merge(account + "@" + (base + 300L * i), new IntervalCounts(1 + a % 7, a % 3 == 0 ? 1 : 0, 0, 0),
                        IntervalCounts::plus);
                t.total++;
            }
        }
        t.shards.add(shard);
        return t;
    }

    /** Runs schedule {@code seed} on a fresh target; throws an AssertionError naming the seed on any failure. */
    static void run(long seed, Target target, Tally tally) {
        long t0 = System.nanoTime();
        Random rnd = new Random(seed);
        boolean big = seed % 200 == 37;
        boolean accessLogs = !big && rnd.nextInt(5) == 0;
        TrafficGenerator traffic = big ? bigState(6_000 + rnd.nextInt(1_500), Events.CLOCK.instant())
                : new TrafficGenerator(seed, 1 + rnd.nextInt(3), 20 + rnd.nextInt(100), 2 + rnd.nextInt(12),
                        Events.CLOCK.instant(), accessLogs ? 8 : 0, 40);
        KinesisEsm.Settings deployed = KinesisEsm.Settings.deployed();
        int batch = big ? (rnd.nextBoolean() ? deployed.batchSize() : 10_000) : 1 + rnd.nextInt(40);
        Duration window = big || rnd.nextBoolean() ? deployed.tumblingWindow() : Duration.ofSeconds(rnd.nextBoolean() ? 60 : 120);
        // the deployed batching window, or a longer one: with a few records a minute per shard, 5 s batches hold
        // one record, and only batches of several can be bisected or retried with another size
        Duration batching = big || rnd.nextInt(3) == 0 ? deployed.batchingWindow()
                : Duration.ofSeconds(rnd.nextBoolean() ? 60 : 300);
        KinesisEsm.Settings settings = deployed.withBatch(batch, batching).withTumblingWindow(window);
        int budget = big || rnd.nextBoolean() ? WindowedIngest.DEFAULT_BUDGET_BYTES : 200 + rnd.nextInt(1500);
        WindowedIngestHandler handler = new WindowedIngestHandler(new WindowedIngest(target.service(), budget),
                Events.CLOCK);
        int faultPercent = big ? 8 : 30;
        long[] cleanFailures = {0};
        String[] lastUnexpected = {null};
        KinesisEsm.Function function = inv -> {
            boolean aimed = inv.finalInvoke() || inv.windowEndsAfter();
            boolean inject = rnd.nextInt(100) < (aimed ? faultPercent + 20 : faultPercent);
            int kind = inject ? rnd.nextInt(10) : -1;
            TimeLeft timeLeft = new TimeLeft();
            Context context = LambdaContext.simulated("ingest", "schedule", 1024, timeLeft, line -> { });
            if (inject) {
                if (inv.finalInvoke()) {
                    tally.faultsOnFinalInvocation++;
                } else if (inv.state().isEmpty()) {
                    tally.faultsOnFirstInvocation++;
                } else {
                    tally.faultsOnLaterInvocation++;
                }
                if (inv.windowEndsAfter() && !inv.finalInvoke()) {
                    tally.faultsOnWindowsLastBatch++;
                }
                int k = 1 + rnd.nextInt(8);
                switch (kind) {
                    case 0, 1, 2 -> {
                        target.crashAt(k, false);
                        tally.crashesBefore++;
                    }
                    case 3, 4, 5 -> {
                        target.crashAt(k, true);
                        tally.crashesAfter++;
                    }
                    case 6 -> {
                        target.failAt(k);
                        tally.transientFailures++;
                    }
                    case 7 -> tally.timeouts++;
                    default -> {
                        timeLeft.budgetCrossedAfter(rnd.nextInt(6));
                        tally.timeBudgetsCrossed++;
                    }
                }
            }
            try {
                KinesisEsm.Response r = KinesisEsm.windowed(e -> handler.handleRequest(e, context)).invoke(inv);
                if (kind == 7) {
                    throw new InMemoryStores.Crash(); // killed after its work, before Lambda had the answer
                }
                if (r.state() != null) {
                    int cuts = 0;
                    for (String key : r.state().keySet()) {
                        cuts += key.startsWith("c") && key.endsWith("f") ? 1 : 0;
                    }
                    tally.segmentCuts += cuts;
                }
                return r;
            } catch (WindowedIngest.BatchTooLargeForState e) {
                tally.batchTooLarge++;
                throw e;
            } catch (RuntimeException | Error e) {
                if (!inject) {
                    cleanFailures[0]++;
                    lastUnexpected[0] = e.toString();
                }
                throw e;
            } finally {
                target.disarm();
            }
        };
        KinesisEsm.Chaos chaos = new KinesisEsm.Chaos() {
            @Override
            public boolean loseResponse(KinesisEsm.Invocation invocation) {
                return rnd.nextInt(100) < 5;
            }

            @Override
            public boolean deliverAgain(KinesisEsm.Invocation invocation) {
                return rnd.nextInt(100) < 4;
            }

            @Override
            public int retrySize(KinesisEsm.Invocation failed, int available) {
                return rnd.nextInt(100) < 25 ? 1 + rnd.nextInt(Math.max(1, available)) : -1;
            }

            @Override
            public boolean terminateEarly(KinesisEsm.Invocation invocation) {
                return !big && !invocation.finalInvoke() && rnd.nextInt(100) < 4;
            }

            @Override
            public boolean replayWindow(KinesisEsm.Invocation invocation) {
                return !big && !invocation.finalInvoke() && rnd.nextInt(100) < 3;
            }
        };
        Duration span = big ? Duration.ofMinutes(5) : window.multipliedBy(1 + rnd.nextInt(3)).plusSeconds(rnd.nextInt(60));
        KinesisEsm esm = new KinesisEsm(settings, source(traffic, rnd, span), function, chaos);
        String name = "seed " + seed + " (" + (big ? "1 MB scale, " : accessLogs ? "access logs, " : "") + "batch " + batch
                + " in " + batching.toSeconds() + " s, window " + window.toSeconds() + " s, budget " + budget + ")";
        KinesisEsm.Stats stats;
        try {
            stats = esm.drain();
        } catch (KinesisEsm.Stuck stuck) {
            throw new AssertionError(name + ": a shard is stuck: " + esm.stats(), stuck);
        }
        if (cleanFailures[0] > 0) {
            throw new AssertionError(name + ": " + cleanFailures[0] + " invocations without an injected fault failed ("
                    + lastUnexpected[0] + "): " + stats);
        }
        Map<String, IntervalCounts> got = target.aggregates();
        if (!got.equals(traffic.expected)) {
            Map<String, String> diff = new TreeMap<>();
            traffic.expected.forEach((k, v) -> {
                if (!v.equals(got.get(k))) {
                    diff.put(k, "expected " + v + ", got " + got.get(k));
                }
            });
            got.forEach((k, v) -> {
                if (!traffic.expected.containsKey(k)) {
                    diff.put(k, "expected nothing, got " + v);
                }
            });
            throw new AssertionError(name + ": aggregates differ from the independent count at " + diff.size()
                    + " keys, e.g. " + diff.entrySet().stream().limit(5).toList() + "; " + stats);
        }
        if (target.quarantined() != traffic.bad) {
            throw new AssertionError(name + ": " + target.quarantined() + " quarantined, " + traffic.bad + " bad; " + stats);
        }
        for (String accountMonth : traffic.lateAccountMonths) {
            if (!target.staleMarked(accountMonth)) {
                throw new AssertionError(name + ": late " + accountMonth + " not marked stale; " + stats);
            }
        }
        if (stats.discardedRecords != 0 || stats.maxStateBytes > WindowedIngest.STATE_LIMIT_BYTES) {
            throw new AssertionError(name + ": " + stats);
        }
        long nanos = System.nanoTime() - t0;
        if (big) {
            tally.nanosBig += nanos;
        } else if (accessLogs) {
            tally.nanosAccessLogs += nanos;
        } else {
            tally.nanosOther += nanos;
        }
        tally.schedules++;
        tally.records += traffic.total;
        tally.bigStates += big ? 1 : 0;
        tally.accessLogSchedules += accessLogs ? 1 : 0;
        tally.add(stats);
    }

    /**
     * An invocation's time left, read on each check: plenty, or (once {@link #budgetCrossedAfter} is
     * called) under the reserve after a number of checks.
     */
    static final class TimeLeft implements IntSupplier {
        private int checksLeft = -1;

        void budgetCrossedAfter(int checks) {
            checksLeft = checks;
        }

        @Override
        public int getAsInt() {
            if (checksLeft < 0) {
                return 300_000;
            }
            if (checksLeft == 0) {
                return 1_000;
            }
            checksLeft--;
            return 300_000;
        }
    }
}
