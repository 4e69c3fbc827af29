package dev.slaledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.slaledger.core.traffic.QuarantineReason;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Maps one API Gateway access-log line, in the JSON format of docs/ingest.md ("API Gateway access
 * logs"), to one D1 request record (issue 21), which {@link RequestRecordParser} then validates
 * and counts like any other: one rule book for both sources.
 *
 * <p>What the mapping reads, for REST and HTTP APIs alike:
 * <ul>
 * <li>the account id: the field {@code claim} ({@code $context.authorizer.claims.<name>} or
 *     {@code $context.authorizer.<key>}) or {@code apiKeyId} ({@code $context.identity.apiKeyId},
 *     REST APIs), as configured ({@link AccountSource}); API Gateway writes {@code -} for a
 *     variable without a value, which is an absent account id;
 * <li>{@code requestTimeEpoch} ({@code $context.requestTimeEpoch}, epoch milliseconds): the D1
 *     {@code timestamp};
 * <li>{@code status} ({@code $context.status}): the status the caller got, as a JSON number or a
 *     string of digits (the documented format quotes every variable).
 * </ul>
 * Every logged request reached the provider's API (D1 {@code reached: true}): API Gateway's own 5xx
 * (502 integration failure, 504 integration timeout, 500 authorizer or configuration errors) are
 * 5xx answers of the provider's service, so errors (S2.3); 429 throttling and every 4xx are valid
 * requests and not errors (S2.5). The other fields of the format ({@code requestId},
 * {@code responseType}, {@code integrationStatus}, ...) are for operators reading the log group
 * and do not change the count; unknown fields are ignored. A line given twice the same known
 * field is {@code NOT_JSON}, as in D1.
 *
 * <p>An instance reuses its buffer: one per thread.
 */
public final class AccessLogMapper {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Which field of the access-log line holds the account id. */
    public enum AccountSource {
        /** {@code claim}: a claim of the authorizer (JWT, Cognito, or a Lambda authorizer's context key). */
        CLAIM("claim"),
        /** {@code apiKeyId}: the id of the API key the caller used (REST APIs with usage plans). */
        API_KEY_ID("apiKeyId");

        private final String field;

        AccountSource(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }

        /** {@code claim} or {@code apiKeyId} (the field name; case-insensitive). */
        public static AccountSource parse(String value) {
            for (AccountSource s : values()) {
                if (s.field.equalsIgnoreCase(value.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("the access-log account source is claim or apiKeyId, not: " + value);
        }

        @Override
        public String toString() {
            return field;
        }
    }

    /** The outcome of one line: the D1 record's bytes in {@link #buffer()} (length given), or why not. */
    public sealed interface Mapping permits Mapped, Unmappable {
    }

    /** The D1 record is {@code buffer()[0, length)}, valid until the next call. */
    public record Mapped(int length) implements Mapping {
    }

    /** The line cannot be a D1 record; {@code detail} names the access-log field, never its value. */
    public record Unmappable(QuarantineReason reason, String detail) implements Mapping {
    }

    private final AccountSource source;
    private byte[] buffer = new byte[256];

    public AccessLogMapper(AccountSource source) {
        this.source = Objects.requireNonNull(source);
    }

    public AccountSource source() {
        return source;
    }

    /** The bytes of the last {@link Mapped} record. */
    public byte[] buffer() {
        return buffer;
    }

    private static final int ACCOUNT = 1;
    private static final int TIME = 2;
    private static final int STATUS = 4;

    /** Maps one access-log line (a log event's {@code message}). */
    public Mapping map(String line) {
        String accountId = null;
        boolean accountWrongType = false;
        long epochMillis = 0;
        String timeProblem = null;
        int status = -1;
        String statusProblem = null;
        int seen = 0;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Unmappable(QuarantineReason.NOT_JSON, "access-log line: not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit;
                if (name.equals(source.field)) {
                    bit = ACCOUNT;
                    if (v == JsonToken.VALUE_STRING) {
                        accountId = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        accountWrongType = true;
                        p.skipChildren();
                    }
                } else if (name.equals("requestTimeEpoch")) {
                    bit = TIME;
                    long ms = integer(p, v);
                    if (ms == ABSENT) {
                        timeProblem = "absent";
                    } else if (ms == NOT_INTEGER) {
                        timeProblem = "not epoch milliseconds";
                    } else {
                        epochMillis = ms;
                    }
                } else if (name.equals("status")) {
                    bit = STATUS;
                    long s = integer(p, v);
                    if (s == ABSENT) {
                        statusProblem = "absent";
                    } else if (s < 100 || s > 599) {
                        statusProblem = "not an HTTP status";
                    } else {
                        status = (int) s;
                    }
                } else {
                    p.skipChildren(); // requestId, responseType, integrationStatus, anything else
                    continue;
                }
                if ((seen & bit) != 0) {
                    return new Unmappable(QuarantineReason.NOT_JSON, "access-log line: a field given twice");
                }
                seen |= bit;
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new Unmappable(QuarantineReason.NOT_JSON, "access-log line: data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            return new Unmappable(QuarantineReason.NOT_JSON, "access-log line: malformed JSON");
        } catch (IOException e) {
            return new Unmappable(QuarantineReason.NOT_JSON, "access-log line: unreadable");
        }
        if (accountWrongType) {
            return new Unmappable(QuarantineReason.INVALID_ACCOUNT_ID, "access-log " + source.field + ": not a string");
        }
        if (accountId == null || accountId.isEmpty() || accountId.equals("-")) {
            return new Unmappable(QuarantineReason.MISSING_ACCOUNT_ID, "access-log " + source.field
                    + ": absent (" + (source == AccountSource.CLAIM ? "an unauthenticated request or a claim the token lacks"
                            : "a request without an API key") + ")");
        }
        if (timeProblem != null || (seen & TIME) == 0) {
            return new Unmappable(timeProblem == null || timeProblem.equals("absent")
                    ? QuarantineReason.MISSING_TIMESTAMP : QuarantineReason.UNPARSEABLE_TIMESTAMP,
                    "access-log requestTimeEpoch: " + (timeProblem == null ? "absent" : timeProblem));
        }
        if (statusProblem != null || (seen & STATUS) == 0) {
            return new Unmappable(QuarantineReason.BAD_STATUS,
                    "access-log status: " + (statusProblem == null ? "absent" : statusProblem));
        }
        if (epochMillis < MIN_MILLIS || epochMillis > MAX_MILLIS) {
            return new Unmappable(QuarantineReason.UNPARSEABLE_TIMESTAMP, "access-log requestTimeEpoch: out of range");
        }
        int length = write(accountId, epochMillis, status);
        if (length < 0) {
            return new Unmappable(QuarantineReason.INVALID_ACCOUNT_ID,
                    "access-log " + source.field + ": not valid Unicode (a lone surrogate)");
        }
        return new Mapped(length);
    }

    /** Years 1970 to 9999: what an ISO-8601 D1 timestamp spells without a sign. */
    private static final long MIN_MILLIS = 0;
    private static final long MAX_MILLIS = 253_402_300_799_999L;
    private static final long ABSENT = Long.MIN_VALUE;
    private static final long NOT_INTEGER = Long.MIN_VALUE + 1;

    /** A JSON integer, or a string of ASCII digits; {@code -}, empty and null are absent. */
    private static long integer(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.LONG || p.getNumberType() == JsonParser.NumberType.INT
                        ? p.getLongValue() : NOT_INTEGER;
            }
            case VALUE_STRING -> {
                String s = p.getText();
                if (s.isEmpty() || s.equals("-")) {
                    return ABSENT;
                }
                if (s.length() > 18) {
                    return NOT_INTEGER;
                }
                long n = 0;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') {
                        return NOT_INTEGER;
                    }
                    n = n * 10 + (c - '0');
                }
                return n;
            }
            case VALUE_NULL -> {
                return ABSENT;
            }
            default -> {
                p.skipChildren();
                return NOT_INTEGER;
            }
        }
    }

    /**
     * Writes the D1 record into the reused buffer by hand (no generator per line):
     * {@code {"accountId":"...","timestamp":"yyyy-MM-ddTHH:mm:ss.SSSZ","status":NNN,"reached":true}}.
     * Returns its length, or -1 when the account id is not valid Unicode (a lone surrogate), which
     * no UTF-8 can hold.
     */
    private int write(String accountId, long epochMillis, int status) {
        int need = 96 + accountId.length() * 6;
        if (buffer.length < need) {
            buffer = new byte[Math.max(need, 256)];
        }
        byte[] b = buffer;
        int n = ascii(b, 0, "{\"accountId\":\"");
        for (int i = 0; i < accountId.length(); i++) {
            char c = accountId.charAt(i);
            if (c == '"' || c == '\\') {
                b[n++] = '\\';
                b[n++] = (byte) c;
            } else if (c < 0x20) {
                n = ascii(b, n, "\\u00");
                b[n++] = (byte) HEX[c >> 4];
                b[n++] = (byte) HEX[c & 15];
            } else if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | (c >> 6));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == accountId.length()
                        || !Character.isLowSurrogate(accountId.charAt(i + 1))) {
                    return -1;
                }
                int cp = Character.toCodePoint(c, accountId.charAt(++i));
                b[n++] = (byte) (0xF0 | (cp >> 18));
                b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[n++] = (byte) (0xE0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        n = ascii(b, n, "\",\"timestamp\":\"");
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(days);
        n = digits(b, n, date.getYear(), 4);
        b[n++] = '-';
        n = digits(b, n, date.getMonthValue(), 2);
        b[n++] = '-';
        n = digits(b, n, date.getDayOfMonth(), 2);
        b[n++] = 'T';
        n = digits(b, n, ms / 3_600_000, 2);
        b[n++] = ':';
        n = digits(b, n, ms / 60_000 % 60, 2);
        b[n++] = ':';
        n = digits(b, n, ms / 1000 % 60, 2);
        b[n++] = '.';
        n = digits(b, n, ms % 1000, 3);
        n = ascii(b, n, "Z\",\"status\":");
        n = digits(b, n, status, 3);
        n = ascii(b, n, ",\"reached\":true}");
        return n;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static int ascii(byte[] b, int n, String s) {
        for (int i = 0; i < s.length(); i++) {
            b[n++] = (byte) s.charAt(i);
        }
        return n;
    }

    private static int digits(byte[] b, int n, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            b[n + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return n + width;
    }
}
