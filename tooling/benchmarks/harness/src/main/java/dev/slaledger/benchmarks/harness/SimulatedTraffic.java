package dev.slaledger.benchmarks.harness;

import dev.slaledger.emulators.KinesisEsm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The load harness's record source: request records of many accounts, generated on demand in
 * each shard's arrival order (millions of them would not fit in memory, nor go through moto's
 * Kinesis in minutes). Each account is a Poisson process of D1 request records (timestamp =
 * when the request happened) at its own rate, shaped by the arrival process; the record reaches
 * the stream {@code lag} later (its arrival timestamp, which is what Lambda's windows use). The
 * partition key is the account, so an account lives on one shard (hash of the key modulo the
 * shard count, as Kinesis maps an MD5 hash range per shard).
 */
final class SimulatedTraffic implements KinesisEsm.RecordSource {
    /** How an account's rate varies over time. */
    enum Process {
        /** The rate, constant. */
        STEADY,
        /** A compressed day: rate x (1 + 0.8 sin(2 pi t / 1 h)), so a 30-minute run climbs from trough to peak. */
        DIURNAL,
        /** On/off: 30-second bursts at 5x the rate, one period in five, quiet otherwise (same mean). */
        BURSTY
    }

    /** The delay from a request to its arrival on the stream: {@code fixedMs} plus uniform(0, {@code jitterMs}). */
    record Lag(long fixedMs, long jitterMs) {
        @Override
        public String toString() {
            return fixedMs + "-" + (fixedMs + jitterMs) + " ms";
        }
    }

    private static final String SEQ_PREFIX = "495903382714902566085596925383615710"; // 36 digits, then 20 of counter

    private final int shards;
    private final double[] rates;
    private final Process process;
    private final Lag lag;
    private final long startMs;
    private final long endMs;
    private final long seed;
    private final ShardGenerator[] generators;
    long generated;
    long errors;

    /**
     * @param rates requests per second of each account (account i is {@code acct-<i>})
     */
    SimulatedTraffic(int shards, double[] rates, Process process, Lag lag, Instant start, Instant end, long seed) {
        this.shards = shards;
        this.rates = rates;
        this.process = process;
        this.lag = lag;
        this.startMs = start.toEpochMilli();
        this.endMs = end.toEpochMilli();
        this.seed = seed;
        this.generators = new ShardGenerator[shards];
    }

    static String accountId(int i) {
        return String.format("acct-%06d", i);
    }

    static int shardOf(String accountId, int shards) {
        return Math.floorMod(accountId.hashCode() * 0x9E3779B1, shards);
    }

    @Override
    public List<String> shards() {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            out.add(String.format("shardId-%012d", s));
        }
        return out;
    }

    @Override
    public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
        int s = Integer.parseInt(shardId.substring("shardId-".length()));
        if (generators[s] == null) {
            generators[s] = new ShardGenerator(s);
        }
        return generators[s].next(max);
    }

    /** Rate multiplier of the arrival process at time t (ms), for an account. */
    private double shape(long t, int account) {
        return switch (process) {
            case STEADY -> 1;
            case DIURNAL -> 1 + 0.8 * Math.sin(2 * Math.PI * ((t - startMs) / 3_600_000.0) - Math.PI / 2);
            case BURSTY -> {
                long phase = Math.floorMod(t / 1000 + account * 37L, 150);
                yield phase < 30 ? 5 : 0;
            }
        };
    }

    private double maxShape() {
        return switch (process) {
            case STEADY -> 1;
            case DIURNAL -> 1.8;
            case BURSTY -> 5;
        };
    }

    /** One shard's accounts, merged in request time, reordered into arrival order. */
    private final class ShardGenerator {
        final int shard;
        final Random rnd;
        /** Next request time (ms, as double) per account of this shard: {time, account}. */
        final PriorityQueue<double[]> next = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        /** Generated records not yet handed over, by arrival: {arrival, requestTime, account, status}. */
        final PriorityQueue<long[]> pending = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        long counter;
        final String shardId;

        ShardGenerator(int shard) {
            this.shard = shard;
            this.shardId = String.format("shardId-%012d", shard);
            this.rnd = new Random(seed * 1_000_003 + shard);
            for (int a = 0; a < rates.length; a++) {
                if (rates[a] > 0 && shardOf(accountId(a), shards) == shard) {
                    next.add(new double[] {startMs + exp(rates[a] * maxShape()), a});
                }
            }
        }

        double exp(double perSecond) {
            return -Math.log(1 - rnd.nextDouble()) / perSecond * 1000.0;
        }

        List<KinesisEsm.SourceRecord> next(int max) {
            List<KinesisEsm.SourceRecord> out = new ArrayList<>(Math.min(max, 4096));
            while (out.size() < max) {
                double[] head = next.peek();
                long horizon = head == null || head[0] >= endMs ? Long.MAX_VALUE : (long) head[0];
                // every record still to be generated arrives at or after its request time >= horizon
                while (!pending.isEmpty() && pending.peek()[0] <= horizon && out.size() < max) {
                    out.add(record(pending.poll()));
                }
                if (out.size() >= max || horizon == Long.MAX_VALUE) {
                    if (horizon == Long.MAX_VALUE && pending.isEmpty()) {
                        break;
                    }
                    if (out.size() >= max) {
                        break;
                    }
                    continue;
                }
                next.poll();
                int a = (int) head[1];
                long t = (long) head[0];
                double lambdaMax = rates[a] * maxShape();
                if (rnd.nextDouble() * maxShape() < shape(t, a)) { // thinning: a non-homogeneous Poisson process
                    long arrival = t + lag.fixedMs() + (lag.jitterMs() == 0 ? 0 : (long) (rnd.nextDouble() * lag.jitterMs()));
                    long status = rnd.nextInt(1000) < 5 ? 503 : 200;
                    pending.add(new long[] {arrival, t, a, status});
                }
                head[0] += exp(lambdaMax); // from the exact time, not the millisecond it was rounded to
                next.add(head);
            }
            return out;
        }

        KinesisEsm.SourceRecord record(long[] r) {
            generated++;
            if (r[3] >= 500) {
                errors++;
            }
            String account = accountId((int) r[2]);
            String json = "{\"accountId\":\"" + account + "\",\"timestamp\":\"" + Instant.ofEpochMilli(r[1])
                    + "\",\"status\":" + r[3] + ",\"reached\":true,\"exclusion\":null}";
            String counter = Long.toString(++this.counter);
            String seq = SEQ_PREFIX + "0".repeat(20 - counter.length()) + counter;
            return new KinesisEsm.SourceRecord(shardId, seq, account, Instant.ofEpochMilli(r[0]),
                    json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
