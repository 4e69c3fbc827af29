package dev.slaledger.benchmarks.harness;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.ingest.AccessLogMapper;
import dev.slaledger.ingest.BatchAggregator;
import dev.slaledger.ingest.RequestRecordParser;
import dev.slaledger.ingest.StreamPayloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Issue 21 item 2, not a timed test: run by hand, as docs/benchmarks.md says. Log events per
 * second, one thread, of what ingest does with CloudWatch Logs subscription payloads before it
 * writes (gunzip, read the envelope, map each API Gateway access-log line to D1, validate it,
 * aggregate), side by side in the same run with the limit of any JSON decoder of the same bytes:
 * gunzip, then Jackson {@code nextToken()} over the envelope and over every line.
 */
public final class AccessLogParserHarness {
    private static final Instant NOW = Instant.parse("2026-10-03T12:10:00Z");
    private static final int PAYLOADS = 40;
    private static final int EVENTS_PER_PAYLOAD = 250;
    private static final JsonFactory JSON = new JsonFactory();
    private static volatile long sink;

    private AccessLogParserHarness() {
    }

    /** One access-log line of the documented REST format (every variable quoted, as API Gateway writes it). */
    private static String line(Random rnd, Instant t) throws IOException {
        int roll = rnd.nextInt(1000);
        int status = roll < 5 ? 502 : roll < 10 ? 504 : roll < 20 ? 429 : roll < 80 ? 404 : 200;
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("requestId", Long.toHexString(rnd.nextLong()) + "-" + Long.toHexString(rnd.nextLong()));
            g.writeStringField("requestTimeEpoch", Long.toString(t.toEpochMilli()));
            g.writeStringField("httpMethod", "GET");
            g.writeStringField("resourcePath", "/orders/{id}");
            g.writeStringField("status", Integer.toString(status));
            g.writeStringField("claim", "account-" + (rnd.nextInt(100) + 1000));
            g.writeStringField("apiKeyId", "-");
            g.writeStringField("responseType", status == 502 ? "INTEGRATION_FAILURE" : status == 504
                    ? "INTEGRATION_TIMEOUT" : status == 429 ? "THROTTLED" : "-");
            g.writeStringField("integrationStatus", status >= 429 && status != 404 ? "-" : Integer.toString(status));
            g.writeStringField("integrationLatency", Integer.toString(5 + rnd.nextInt(200)));
            g.writeEndObject();
        }
        return w.toString();
    }

    /** 40 payloads of 250 lines each: 100 accounts, one minute straddling an interval edge. */
    static List<StreamRecord> payloads(long seed) throws IOException {
        Random rnd = new Random(seed);
        long start = Instant.parse("2026-10-03T12:04:30Z").toEpochMilli();
        List<StreamRecord> out = new ArrayList<>();
        for (int p = 0; p < PAYLOADS; p++) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("messageType", "DATA_MESSAGE");
                g.writeStringField("owner", "123456789012");
                g.writeStringField("logGroup", "/aws/apigateway/orders-api/prod/access");
                g.writeStringField("logStream", "a1b2c3d4e5f60718293a4b5c6d7e8f9" + (p % 10));
                g.writeArrayFieldStart("subscriptionFilters");
                g.writeString("sla-ledger-access-logs");
                g.writeEndArray();
                g.writeArrayFieldStart("logEvents");
                for (int e = 0; e < EVENTS_PER_PAYLOAD; e++) {
                    long t = start + rnd.nextInt(60_000);
                    g.writeStartObject();
                    g.writeStringField("id", String.format("%020d%036d", t, p * EVENTS_PER_PAYLOAD + e));
                    g.writeNumberField("timestamp", t + 20);
                    g.writeStringField("message", line(rnd, Instant.ofEpochMilli(t)));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
                z.write(w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            out.add(new StreamRecord("shardId-000000000000",
                    "4959033827149025660855969253836157109592157598913" + String.format("%07d", p), NOW, gz.toByteArray()));
        }
        return out;
    }

    private static byte[] gunzip(byte[] b) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b), 8192)) {
            return in.readAllBytes();
        }
    }

    /** The limit: gunzip and tokenize the envelope; with {@code lines}, also tokenize every line. */
    private static long limit(List<StreamRecord> payloads, boolean lines) throws IOException {
        long tokens = 0;
        for (StreamRecord r : payloads) {
            try (JsonParser p = JSON.createParser(gunzip(r.data()))) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    tokens++;
                    if (lines && t == JsonToken.VALUE_STRING && "message".equals(p.currentName())) {
                        try (JsonParser q = JSON.createParser(p.getText())) {
                            while (q.nextToken() != null) {
                                tokens++;
                            }
                        }
                    }
                }
            }
        }
        return tokens;
    }

    private static long ingestCpu(StreamPayloads payloads, List<StreamRecord> records) {
        StreamPayloads.Expanded x = payloads.expand(records, NOW, Long.MIN_VALUE);
        BatchAggregator batch = new BatchAggregator();
        for (int i = 0; i < x.size(); i++) {
            if (x.result(i) instanceof RequestRecordParser.Accepted a) {
                StreamRecord r = x.delivered(i);
                batch.add(a.accountId(), a.intervalStart(), r.shardId(), r.sequenceNumber(), a.counts(), i);
            }
        }
        return batch.size();
    }

    public static void main(String[] args) throws Exception {
        List<StreamRecord> records = payloads(42);
        StreamPayloads payloads = new StreamPayloads(new RequestRecordParser(Duration.ofDays(190)),
                new AccessLogMapper(AccessLogMapper.AccountSource.CLAIM));
        long gzipBytes = records.stream().mapToLong(r -> r.data().length).sum();
        long jsonBytes = 0;
        for (StreamRecord r : records) {
            jsonBytes += gunzip(r.data()).length;
        }
        int events = PAYLOADS * EVENTS_PER_PAYLOAD;
        if (payloads.expand(records, NOW, Long.MIN_VALUE).size() != events) {
            throw new IllegalStateException("not every log event was read");
        }
        int rounds = 25;
        int reps = 10; // 100,000 log events per measurement
        double[] envelope = new double[rounds];
        double[] limit = new double[rounds];
        double[] ingest = new double[rounds];
        for (int warm = 0; warm < 30; warm++) {
            sink += limit(records, false) + limit(records, true) + ingestCpu(payloads, records);
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                sink += limit(records, false);
            }
            long t1 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                sink += limit(records, true);
            }
            long t2 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                sink += ingestCpu(payloads, records);
            }
            long t3 = System.nanoTime();
            envelope[r] = events * (double) reps / ((t1 - t0) / 1e9);
            limit[r] = events * (double) reps / ((t2 - t1) / 1e9);
            ingest[r] = events * (double) reps / ((t3 - t2) / 1e9);
        }
        Arrays.sort(envelope);
        Arrays.sort(limit);
        Arrays.sort(ingest);
        System.out.printf("JDK %s, %d payloads of %d access-log events (%.0f bytes gzip, %.0f bytes JSON per event),"
                + " %d rounds of %d events each loop%n", Runtime.version(), PAYLOADS, EVENTS_PER_PAYLOAD,
                gzipBytes / (double) events, jsonBytes / (double) events, rounds, events * reps);
        System.out.printf("gunzip + tokenize envelope:               median %,.0f events/s (min %,.0f, max %,.0f)%n",
                envelope[rounds / 2], envelope[0], envelope[rounds - 1]);
        System.out.printf("gunzip + tokenize envelope and each line: median %,.0f events/s (min %,.0f, max %,.0f)%n",
                limit[rounds / 2], limit[0], limit[rounds - 1]);
        System.out.printf("ingest (expand: gunzip, envelope, map, validate; aggregate): median %,.0f events/s (min %,.0f,"
                + " max %,.0f)%n", ingest[rounds / 2], ingest[0], ingest[rounds - 1]);
        System.out.printf("ratio: %.0f%% of gunzip + tokenize envelope and lines (%.0f%% of envelope only)%n",
                100 * ingest[rounds / 2] / limit[rounds / 2], 100 * ingest[rounds / 2] / envelope[rounds / 2]);
    }
}
