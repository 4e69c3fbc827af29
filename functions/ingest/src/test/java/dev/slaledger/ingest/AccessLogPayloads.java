package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Test helper (issue 21): CloudWatch Logs subscription payloads of API Gateway access-log lines in
 * the format of docs/ingest.md, gzip-compressed the way CloudWatch puts them on a Kinesis stream,
 * and the Kinesis records Lambda hands the function. It writes the fixtures in events/ingest/
 * ({@link #writeEventFiles}, checked by {@code AccessLogEventFilesTest}).
 */
final class AccessLogPayloads {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    static final String REST_GROUP = "/aws/apigateway/orders-api/prod/access";
    static final String HTTP_GROUP = "/aws/apigateway/catalog-http-api/access";
    static final String OWNER = "123456789012";

    private AccessLogPayloads() {
    }

    /** One log event: CloudWatch's id, its timestamp (epoch ms) and the line. */
    record LogEvent(String id, long timestamp, String message) {
    }

    /**
     * An access-log line of the documented format, every variable quoted as the format writes it;
     * {@code claim}/{@code apiKeyId} "-" when API Gateway had no value.
     */
    static String line(String claim, String apiKeyId, Instant requestTime, int status, String responseType,
            String integrationStatus) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("requestId", "req-" + requestTime.toEpochMilli() + "-" + status);
            g.writeStringField("requestTimeEpoch", Long.toString(requestTime.toEpochMilli()));
            g.writeStringField("httpMethod", "GET");
            g.writeStringField("resourcePath", "/orders/{id}");
            g.writeStringField("status", Integer.toString(status));
            g.writeStringField("claim", claim);
            g.writeStringField("apiKeyId", apiKeyId);
            g.writeStringField("responseType", responseType);
            g.writeStringField("integrationStatus", integrationStatus);
            g.writeStringField("integrationLatency", "-".equals(integrationStatus) ? "-" : "12");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** A line of a request API Gateway answered by itself from the integration's status, for an account. */
    static String line(String account, Instant requestTime, int status) {
        String responseType = switch (status) {
            case 502 -> "INTEGRATION_FAILURE";
            case 504 -> "INTEGRATION_TIMEOUT";
            case 429 -> "THROTTLED";
            default -> "-";
        };
        String integrationStatus = status == 502 || status == 504 || status == 429 ? "-" : Integer.toString(status);
        return line(account, "-", requestTime, status, responseType, integrationStatus);
    }

    /** A CloudWatch-looking event id: 56 digits, unique per (stream, n). */
    static String eventId(long timestampMillis, int n) {
        String digits = String.format("%020d%036d", timestampMillis, n);
        return digits.substring(0, 56);
    }

    static String dataMessage(String logGroup, String logStream, List<LogEvent> events) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("messageType", "DATA_MESSAGE");
            g.writeStringField("owner", OWNER);
            g.writeStringField("logGroup", logGroup);
            g.writeStringField("logStream", logStream);
            g.writeArrayFieldStart("subscriptionFilters");
            g.writeString("sla-ledger-access-logs");
            g.writeEndArray();
            g.writeArrayFieldStart("logEvents");
            for (LogEvent e : events) {
                g.writeStartObject();
                g.writeStringField("id", e.id());
                g.writeNumberField("timestamp", e.timestamp());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The message CloudWatch sends when a subscription filter is created, to check the destination. */
    static String controlMessage(long timestampMillis) {
        return "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\","
                + "\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"" + eventId(timestampMillis, 0) + "\",\"timestamp\":"
                + timestampMillis + ",\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.\"}]}";
    }

    static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A Kinesis record as Lambda gives it: data already base64-decoded. */
    static KinesisEvent.KinesisEventRecord kinesisRecord(String shardId, String sequenceNumber, byte[] data,
            Instant arrival) {
        KinesisEvent.Record k = new KinesisEvent.Record();
        k.setData(ByteBuffer.wrap(data));
        k.setSequenceNumber(sequenceNumber);
        k.setPartitionKey(Integer.toHexString(java.util.Arrays.hashCode(data)));
        k.setApproximateArrivalTimestamp(Date.from(arrival));
        k.setKinesisSchemaVersion("1.0");
        KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
        r.setKinesis(k);
        r.setEventID(shardId + ":" + sequenceNumber);
        r.setEventSource("aws:kinesis");
        return r;
    }

    // ---- the fixtures in events/ingest/ (clock 2026-10-03T12:10:00Z, as the other files) ----

    static final Instant T = Instant.parse("2026-10-03T12:00:00Z");

    /** The REST API payload: eight lines of one log stream (events/ingest/README.md lists them). */
    static String restPayload() {
        List<String> lines = List.of(
                line("acme", T.plusMillis(67_123), 200),
                line("acme", T.plusSeconds(120), 502),
                line("acme", T.plusSeconds(180), 504),
                line("acme", T.plusSeconds(210), 429),
                line("acme", T.plusSeconds(240), 404),
                line("acme", T.plusSeconds(250), 500),
                line("-", T.plusSeconds(260), 401),
                "203.0.113.9 - - [03/Oct/2026:12:04:30 +0000] \"GET /orders/1 HTTP/1.1\" 200 512");
        return dataMessage(REST_GROUP, "a1b2c3d4e5f60718293a4b5c6d7e8f90", events(lines, T.plusSeconds(300)));
    }

    /** The HTTP API payload: account ids from the authorizer's claim, numbers unquoted. */
    static String httpPayload() {
        List<String> lines = List.of(
                "{\"requestId\":\"Jk2xYfOqIAMEVbA=\",\"requestTimeEpoch\":" + T.plusSeconds(370).toEpochMilli()
                        + ",\"status\":503,\"claim\":\"globex\",\"responseType\":\"-\",\"integrationStatus\":\"503\","
                        + "\"integrationError\":\"-\"}",
                "{\"requestId\":\"Jk2xZgPqIAMEVcB=\",\"requestTimeEpoch\":" + T.plusSeconds(380).toEpochMilli()
                        + ",\"status\":200,\"claim\":\"globex\",\"responseType\":\"-\",\"integrationStatus\":\"200\","
                        + "\"integrationError\":\"-\"}");
        return dataMessage(HTTP_GROUP, "$default_2026-10-03-12", events(lines, T.plusSeconds(390)));
    }

    private static List<LogEvent> events(List<String> lines, Instant loggedAt) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(new LogEvent(eventId(loggedAt.toEpochMilli(), i), loggedAt.toEpochMilli() + i, lines.get(i)));
        }
        return out;
    }

    /** What the fixtures hold: file name -> Kinesis records (sequence number, payload). */
    static String eventFile(List<byte[]> payloads, List<String> sequenceNumbers, List<Instant> arrivals) {
        StringBuilder s = new StringBuilder("{\n  \"Records\": [\n");
        for (int i = 0; i < payloads.size(); i++) {
            String seq = sequenceNumbers.get(i);
            Instant at = arrivals.get(i);
            s.append("    {\n")
                    .append("      \"kinesis\": {\n")
                    .append("        \"kinesisSchemaVersion\": \"1.0\",\n")
                    .append("        \"partitionKey\": \"").append(String.format("%08x", i * 2654435761L & 0xffffffffL))
                    .append("\",\n")
                    .append("        \"sequenceNumber\": \"").append(seq).append("\",\n")
                    .append("        \"data\": \"").append(Base64.getEncoder().encodeToString(payloads.get(i)))
                    .append("\",\n")
                    .append("        \"approximateArrivalTimestamp\": ").append(at.getEpochSecond()).append('.')
                    .append(String.format("%03d", at.getNano() / 1_000_000)).append('\n')
                    .append("      },\n")
                    .append("      \"eventSource\": \"aws:kinesis\",\n")
                    .append("      \"eventVersion\": \"1.0\",\n")
                    .append("      \"eventID\": \"shardId-000000000000:").append(seq).append("\",\n")
                    .append("      \"eventName\": \"aws:kinesis:record\",\n")
                    .append("      \"invokeIdentityArn\": \"arn:aws:iam::123456789012:role/sla-ingest-role\",\n")
                    .append("      \"awsRegion\": \"eu-west-1\",\n")
                    .append("      \"eventSourceARN\": \"arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests\"\n")
                    .append("    }").append(i + 1 < payloads.size() ? "," : "").append('\n');
        }
        return s.append("  ]\n}\n").toString();
    }

    static final String SEQ_REST = "49590338271490256608559692538361571095921575989136600002";
    static final String SEQ_HTTP = "49590338271490256608559692538361571095921575989136600003";
    static final String SEQ_CONTROL = "49590338271490256608559692538361571095921575989136600001";

    /** The three files' texts, in the order of {@link #FILES}. */
    static List<String> eventFiles() {
        Instant arrival = Instant.parse("2026-10-03T12:06:40.500Z");
        String records = eventFile(List.of(gzip(restPayload()), gzip(httpPayload())), List.of(SEQ_REST, SEQ_HTTP),
                List.of(arrival, arrival.plusSeconds(1)));
        String control = eventFile(List.of(gzip(controlMessage(Instant.parse("2026-10-03T11:59:00Z").toEpochMilli()))),
                List.of(SEQ_CONTROL), List.of(Instant.parse("2026-10-03T11:59:00.250Z")));
        byte[] truncated = gzip(restPayload());
        String unreadable = eventFile(List.of(
                java.util.Arrays.copyOf(truncated, truncated.length / 2),
                gzip("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"" + REST_GROUP + "\",\"logEvents\":[]}"),
                gzip("{\"messageType\":\"SOMETHING_ELSE\",\"logGroup\":\"g\",\"logStream\":\"s\",\"logEvents\":[]}")),
                List.of("49590338271490256608559692538361571095921575989136600004",
                        "49590338271490256608559692538361571095921575989136600005",
                        "49590338271490256608559692538361571095921575989136600006"),
                List.of(arrival, arrival, arrival));
        return List.of(records, control, unreadable);
    }

    static final List<String> FILES = List.of("access-log-records.json", "access-log-control-message.json",
            "access-log-unreadable.json");

    /** Writes the fixtures ({@code -Dsla.events.write=true} on AccessLogEventFilesTest). */
    static void writeEventFiles(Path dir) throws IOException {
        List<String> texts = eventFiles();
        for (int i = 0; i < FILES.size(); i++) {
            Files.writeString(dir.resolve(FILES.get(i)), texts.get(i));
        }
    }
}
