package dev.slaledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the payload a CloudWatch Logs subscription filter puts on a Kinesis stream (issue 21):
 * gzip-compressed JSON
 * {@code {"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"...","logStream":"...",
 * "subscriptionFilters":["..."],"logEvents":[{"id":"...","timestamp":1761480000000,"message":"..."}]}},
 * or a {@code CONTROL_MESSAGE} CloudWatch sends to check that the stream is reachable.
 *
 * <p>A D1 record is JSON text and never starts with the gzip magic bytes {@code 1f 8b}, so the two
 * shapes share a stream without a marker ({@link #isGzip}).
 *
 * <p>Anything that is not this shape is {@link Unreadable}: the gzip stream broken or longer than
 * {@link #MAX_INFLATED_BYTES} once inflated (CloudWatch's own payloads are at most about 1 MB), JSON
 * that is not an object, a missing {@code messageType}, or on a data message a missing
 * {@code logGroup}/{@code logStream}/{@code logEvents}, an event without a string {@code id} or
 * {@code message}, an event id given twice or longer than {@link #MAX_ID_LENGTH}, or a group or stream
 * name beyond CloudWatch's 512 characters. Unknown fields are ignored.
 */
public final class CloudWatchLogsPayload {
    /** A gzip bomb stops here; a real subscription payload is far below. */
    public static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;
    /** CloudWatch's own limit for log group and log stream names. */
    static final int MAX_NAME_LENGTH = 512;
    /**
     * CloudWatch event ids are 56 digits; a longer one is not CloudWatch's, and must not make a
     * quarantine key DynamoDB refuses (2,048 bytes with the shard id and sequence number).
     */
    static final int MAX_ID_LENGTH = 256;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private CloudWatchLogsPayload() {
    }

    /** What a payload turned out to be. */
    public sealed interface Decoded permits Data, Control, Unreadable {
    }

    /** Log events of one log stream, in the order CloudWatch gave them. */
    public record Data(String logGroup, String logStream, List<LogEvent> events) implements Decoded {
    }

    /** A {@code CONTROL_MESSAGE}: nothing to count. */
    public record Control() implements Decoded {
    }

    /** Not a subscription payload; {@code detail} says what is wrong, never quoting a value. */
    public record Unreadable(String detail) implements Decoded {
    }

    /** One log event: its id, CloudWatch's timestamp (epoch ms) and the log line. */
    public record LogEvent(String id, long timestamp, String message) {
    }

    /** True when the bytes start like a gzip stream (RFC 1952: 1f 8b). */
    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b;
    }

    /** Inflates and reads one payload. */
    public static Decoded decode(byte[] gzip) {
        byte[] json;
        try {
            json = inflate(gzip);
        } catch (ZipException | java.io.EOFException e) {
            return new Unreadable("subscription payload: not a complete gzip stream");
        } catch (IOException e) {
            return new Unreadable("subscription payload: " + e.getMessage());
        }
        return read(json);
    }

    static byte[] inflate(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
            byte[] all = in.readNBytes(MAX_INFLATED_BYTES + 1);
            if (all.length > MAX_INFLATED_BYTES) {
                throw new IOException("inflates beyond " + MAX_INFLATED_BYTES + " bytes");
            }
            return all;
        }
    }

    /** Reads the inflated JSON. */
    static Decoded read(byte[] json) {
        String messageType = null;
        String logGroup = null;
        String logStream = null;
        List<LogEvent> events = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Unreadable("subscription payload: not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "messageType" -> messageType = v == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "logGroup" -> logGroup = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "logStream" -> logStream = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "logEvents" -> {
                        if (v != JsonToken.START_ARRAY) {
                            return new Unreadable("subscription payload: logEvents is not an array");
                        }
                        events = new ArrayList<>();
                        String problem = events(p, events);
                        if (problem != null) {
                            return new Unreadable("subscription payload: " + problem);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new Unreadable("subscription payload: data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            return new Unreadable("subscription payload: malformed JSON");
        } catch (IOException e) {
            return new Unreadable("subscription payload: unreadable JSON");
        }
        if (messageType == null) {
            return new Unreadable("subscription payload: messageType absent");
        }
        if (messageType.equals("CONTROL_MESSAGE")) {
            return new Control();
        }
        if (!messageType.equals("DATA_MESSAGE")) {
            return new Unreadable("subscription payload: messageType neither DATA_MESSAGE nor CONTROL_MESSAGE");
        }
        if (logGroup == null || logStream == null || events == null) {
            return new Unreadable("subscription payload: " + (logGroup == null ? "logGroup" : logStream == null
                    ? "logStream" : "logEvents") + " absent");
        }
        if (logGroup.length() > MAX_NAME_LENGTH || logStream.length() > MAX_NAME_LENGTH) {
            return new Unreadable("subscription payload: logGroup or logStream longer than " + MAX_NAME_LENGTH);
        }
        return new Data(logGroup, logStream, events);
    }

    /** Reads the events array; null when fine, else what is wrong. */
    private static String events(JsonParser p, List<LogEvent> out) throws IOException {
        Set<String> ids = new HashSet<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String id = null;
            String message = null;
            long timestamp = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "id" -> id = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "message" -> message = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "timestamp" -> timestamp = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    default -> p.skipChildren();
                }
            }
            if (id == null || id.isEmpty() || message == null) {
                return "a log event without a string " + (id == null || id.isEmpty() ? "id" : "message");
            }
            if (id.length() > MAX_ID_LENGTH) {
                return "a log event id longer than " + MAX_ID_LENGTH;
            }
            if (!ids.add(id)) {
                return "a log event id given twice";
            }
            out.add(new LogEvent(id, timestamp, message));
        }
        return t == JsonToken.END_ARRAY ? null : "logEvents holds something other than objects";
    }
}
