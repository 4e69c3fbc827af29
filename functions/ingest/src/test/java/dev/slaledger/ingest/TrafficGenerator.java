package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.core.traffic.ExclusionKind;
import dev.slaledger.core.traffic.IntervalCounts;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random but reproducible stream traffic: D1 records of both shapes over many accounts and a
 * few intervals, some late (previous month), some bad, spread over shards as Kinesis would,
 * with the aggregates a single clean delivery must produce, computed here from the rules
 * (S2.2-S2.5), not by the code under test.
 */
final class TrafficGenerator {
    private static final ExclusionKind[] EXCLUSIONS = ExclusionKind.values();
    private static final BigInteger SEQ_BASE = new BigInteger("49590338271490256608559692538361571095921575989136588898");

    final List<List<KinesisEvent.KinesisEventRecord>> shards = new ArrayList<>();
    final Map<String, IntervalCounts> expected = new TreeMap<>();
    final java.util.Set<String> lateAccountMonths = new java.util.TreeSet<>();
    int bad;
    int total;

    TrafficGenerator(long seed, int shardCount, int recordsPerShard, int accounts, Instant now) {
        this(seed, shardCount, recordsPerShard, accounts, now, 0);
    }

    /**
     * @param accessLogPercent issue 21: this share of the stream records are CloudWatch Logs
     *                         subscription payloads of API Gateway access logs (1 to 300 log events
     *                         each, a few control messages and unreadable payloads); the rest D1
     */
    TrafficGenerator(long seed, int shardCount, int recordsPerShard, int accounts, Instant now, int accessLogPercent) {
        this(seed, shardCount, recordsPerShard, accounts, now, accessLogPercent, 300);
    }

    /** @param maxLogEvents the most log events one subscription payload holds */
    TrafficGenerator(long seed, int shardCount, int recordsPerShard, int accounts, Instant now, int accessLogPercent,
            int maxLogEvents) {
        this.maxLogEvents = maxLogEvents;
        Random rnd = new Random(seed);
        for (int s = 0; s < shardCount; s++) {
            String shard = String.format("shardId-%012d", s);
            List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
            BigInteger seq = SEQ_BASE.add(BigInteger.valueOf(s).shiftLeft(100));
            for (int i = 0; i < recordsPerShard; i++) {
                seq = seq.add(BigInteger.valueOf(1 + rnd.nextInt(1_000_000)));
                if (accessLogPercent > 0 && rnd.nextInt(100) < accessLogPercent) {
                    records.add(record(shard, seq.toString(), "cwl-" + i, accessLogPayload(rnd, accounts, now)));
                    continue;
                }
                String account = "acc-" + rnd.nextInt(accounts);
                String payload = payload(rnd, account, now);
                records.add(record(shard, seq.toString(), account, payload.getBytes(StandardCharsets.UTF_8)));
                total++;
            }
            shards.add(records);
        }
    }

    private String payload(Random rnd, String account, Instant now) {
        int kind = rnd.nextInt(100);
        boolean late = rnd.nextInt(50) == 0;
        long t = late ? Instant.parse("2026-09-20T00:00:00Z").getEpochSecond() + rnd.nextInt(86_400 * 5)
                : now.getEpochSecond() - rnd.nextInt(30 * 60);
        long interval = Math.floorDiv(t, 300) * 300;
        if (kind < 3) {
            bad++;
            return switch (rnd.nextInt(4)) {
                case 0 -> "{\"accountId\":\"" + account + "\",\"timestamp\":\"not a time\",\"status\":200}";
                case 1 -> "{\"accountId\":\"" + account + "\",\"intervalStart\":\"" + Instant.ofEpochSecond(interval)
                        + "\",\"valid\":1,\"errors\":2}";
                case 2 -> "{\"accountId\":\"" + account + "\",\"timestamp\":\"" + Instant.ofEpochSecond(t)
                        + "\",\"status\":503,\"exclusion\":\"weather\"}";
                default -> "{\"accountId\":" + account.length() + ",";
            };
        }
        IntervalCounts counts;
        String json;
        if (kind < 20) {
            long valid = rnd.nextInt(500);
            long errors = valid == 0 ? 0 : rnd.nextInt((int) Math.min(valid, 20) + 1);
            long unreached = rnd.nextInt(3);
            long excluded = rnd.nextInt(2);
            counts = new IntervalCounts(valid, errors, unreached, excluded);
            json = "{\"accountId\":\"" + account + "\",\"intervalStart\":\"" + Instant.ofEpochSecond(interval)
                    + "\",\"valid\":" + valid + ",\"errors\":" + errors + ",\"unreachedErrors\":" + unreached
                    + ",\"excludedErrors\":" + excluded + "}";
        } else {
            boolean reached = rnd.nextInt(20) != 0;
            int status = rnd.nextInt(10) == 0 ? 500 + rnd.nextInt(5) : (rnd.nextInt(10) == 0 ? 404 : 200);
            String exclusion = rnd.nextInt(15) == 0 ? EXCLUSIONS[rnd.nextInt(EXCLUSIONS.length)].wireName() : null;
            boolean error = !reached || status >= 500;
            long flagged = error && exclusion != null ? 1 : 0;
            counts = new IntervalCounts(reached ? 1 : 0, reached && status >= 500 && exclusion == null ? 1 : 0,
                    !reached && exclusion == null ? 1 : 0, flagged,
                    "maintenance".equals(exclusion) ? flagged : 0, "customer-compromised".equals(exclusion) ? flagged : 0,
                    "content-ban".equals(exclusion) ? flagged : 0); // S9.6: each kind kept
            json = "{\"accountId\":\"" + account + "\",\"timestamp\":\"" + Instant.ofEpochSecond(t, rnd.nextInt(1000) * 1_000_000L)
                    + "\",\"status\":" + status + ",\"reached\":" + reached + ",\"exclusion\":"
                    + (exclusion == null ? "null" : "\"" + exclusion + "\"") + "}";
        }
        expected.merge(account + "@" + interval, counts, IntervalCounts::plus);
        if (late) {
            lateAccountMonths.add(account + " " + java.time.YearMonth.from(
                    java.time.LocalDateTime.ofEpochSecond(interval, 0, java.time.ZoneOffset.UTC)));
        }
        return json;
    }

    /** Request records in subscription payloads (log events), counted in {@link #total} too. */
    int logEvents;
    private final int maxLogEvents;
    int controlMessages;

    /**
     * One subscription payload: mostly a DATA_MESSAGE of 1 to 300 access-log lines (statuses from
     * 200 to 504; API Gateway's 502/504 and every 5xx are errors, 429 and 4xx not: S2.3, S2.5), a
     * few bad lines; sometimes a control message (no request record) or a truncated gzip (one
     * quarantined request record).
     */
    private byte[] accessLogPayload(Random rnd, int accounts, Instant now) {
        int kind = rnd.nextInt(100);
        if (kind < 3) {
            controlMessages++;
            return AccessLogPayloads.gzip(AccessLogPayloads.controlMessage(now.toEpochMilli()));
        }
        if (kind < 5) {
            bad++;
            total++;
            byte[] whole = AccessLogPayloads.gzip(AccessLogPayloads.dataMessage("g", "s", List.of()));
            return java.util.Arrays.copyOf(whole, whole.length - 9);
        }
        int n = 1 + rnd.nextInt(maxLogEvents);
        List<AccessLogPayloads.LogEvent> events = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            String account = "acc-" + rnd.nextInt(accounts);
            boolean late = rnd.nextInt(50) == 0;
            long ms = late ? Instant.parse("2026-09-20T00:00:00Z").toEpochMilli() + rnd.nextInt(86_400_000) * 5L
                    : now.toEpochMilli() - rnd.nextInt(30 * 60 * 1000);
            Instant at = Instant.ofEpochMilli(ms);
            String line;
            if (rnd.nextInt(100) < 3) {
                bad++;
                line = switch (rnd.nextInt(3)) {
                    case 0 -> AccessLogPayloads.line("-", at, 401); // unauthenticated: no account
                    case 1 -> "{\"claim\":\"" + account + "\",\"requestTimeEpoch\":\"-\",\"status\":\"200\"}";
                    default -> "127.0.0.1 - - [03/Oct/2026] \"GET / HTTP/1.1\" 200";
                };
            } else {
                int status = STATUSES[rnd.nextInt(STATUSES.length)];
                line = AccessLogPayloads.line(account, at, status);
                long interval = Math.floorDiv(ms, 300_000L) * 300;
                expected.merge(account + "@" + interval, new IntervalCounts(1, status >= 500 ? 1 : 0, 0, 0),
                        IntervalCounts::plus);
                if (late) {
                    lateAccountMonths.add(account + " " + java.time.YearMonth.from(
                            java.time.LocalDateTime.ofEpochSecond(interval, 0, java.time.ZoneOffset.UTC)));
                }
            }
            events.add(new AccessLogPayloads.LogEvent(AccessLogPayloads.eventId(ms, j), now.toEpochMilli(), line));
        }
        logEvents += n;
        total += n;
        return AccessLogPayloads.gzip(AccessLogPayloads.dataMessage(AccessLogPayloads.REST_GROUP,
                "stream-" + rnd.nextInt(4), events));
    }

    private static final int[] STATUSES = {200, 200, 200, 201, 204, 400, 404, 429, 500, 502, 503, 504};

    static KinesisEvent.KinesisEventRecord record(String shard, String seq, String partitionKey, String payload) {
        return record(shard, seq, partitionKey, payload.getBytes(StandardCharsets.UTF_8));
    }

    static KinesisEvent.KinesisEventRecord record(String shard, String seq, String partitionKey, byte[] payload) {
        KinesisEvent.Record k = new KinesisEvent.Record();
        k.setSequenceNumber(seq);
        k.setPartitionKey(partitionKey);
        k.setData(ByteBuffer.wrap(payload));
        k.setApproximateArrivalTimestamp(new Date(1_791_029_100_000L));
        k.setKinesisSchemaVersion("1.0");
        KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
        r.setKinesis(k);
        r.setEventID(shard + ":" + seq);
        r.setEventSource("aws:kinesis");
        r.setEventName("aws:kinesis:record");
        r.setEventVersion("1.0");
        r.setEventSourceARN("arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests");
        r.setAwsRegion("eu-west-1");
        return r;
    }
}
