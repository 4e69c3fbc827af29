package dev.slaledger.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.ingest.CloudWatchLogsPayload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * What a line of {@code replay --traffic} is ({@code --traffic-format}, issue 21), and so which
 * stream record it becomes: a D1 record as it is, or an API Gateway access-log line (the format of
 * docs/ingest.md) wrapped in a CloudWatch Logs subscription payload, gzip, as a subscription filter
 * puts it on the stream. Ingest then reads it through the same path as in AWS: gunzip, the envelope,
 * the access-log mapping, the D1 rules, the quarantine with log group, stream and event id.
 */
enum TrafficFormat {
    D1("d1"),
    APIGW_ACCESS_LOG("apigw-access-log");

    /** The log group and stream a replayed access-log line is said to come from. */
    static final String LOG_GROUP = "sla-local-replay";
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final ObjectMapper LENIENT = new ObjectMapper();

    private final String option;

    TrafficFormat(String option) {
        this.option = option;
    }

    /** picocli: {@code d1} or {@code apigw-access-log}. */
    static TrafficFormat parse(String value) {
        for (TrafficFormat f : values()) {
            if (f.option.equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--traffic-format is d1 or apigw-access-log, not " + value);
    }

    @Override
    public String toString() {
        return option;
    }

    /** The stream record of line {@code lineNumber} of {@code file}. */
    byte[] record(byte[] line, int lineNumber, String file) {
        if (this == D1) {
            return line;
        }
        String message = new String(line, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length / 2 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out); JsonGenerator g = JSON.createGenerator(z)) {
            g.writeStartObject();
            g.writeStringField("messageType", "DATA_MESSAGE");
            g.writeStringField("owner", "000000000000");
            g.writeStringField("logGroup", LOG_GROUP);
            g.writeStringField("logStream", file);
            g.writeArrayFieldStart("subscriptionFilters");
            g.writeString("sla-ledger-access-logs");
            g.writeEndArray();
            g.writeArrayFieldStart("logEvents");
            g.writeStartObject();
            g.writeStringField("id", String.format("%056d", lineNumber));
            g.writeNumberField("timestamp", requestTime(message).map(Instant::toEpochMilli).orElse(0L));
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        return out.toByteArray();
    }

    /** When the record arrives on a timeline (D6): a D1 record's own rule, an access-log line at its request time. */
    Optional<Instant> arrival(byte[] record) {
        if (this == D1 || !CloudWatchLogsPayload.isGzip(record)) {
            return Timeline.arrival(record);
        }
        if (CloudWatchLogsPayload.decode(record) instanceof CloudWatchLogsPayload.Data d && d.events().size() == 1) {
            return requestTime(d.events().get(0).message());
        }
        return Optional.empty();
    }

    /** {@code requestTimeEpoch} of an access-log line (a number or a string of digits), if readable. */
    static Optional<Instant> requestTime(String line) {
        try {
            JsonNode n = LENIENT.readTree(line);
            JsonNode t = n == null ? null : n.get("requestTimeEpoch");
            if (t != null && (t.isIntegralNumber() || (t.isTextual() && t.asText().matches("[0-9]{1,18}")))) {
                return Optional.of(Instant.ofEpochMilli(t.asLong()));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
