package dev.slaledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Intervals;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Decodes and validates one D1 request record, in either shape, into the counts it adds to one
 * five-minute interval of one account (S2), or into the reason it must be quarantined.
 *
 * <p>Strict where D1 is (types, ranges, shapes); lenient only where D1 says adding fields is
 * free: unknown fields are skipped. A single streaming pass, no tree and no data binding.
 */
public final class RequestRecordParser {
    /** D1 / issue 3: a timestamp more than this ahead of the clock is quarantined. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(15);
    static final int MAX_ACCOUNT_ID_LENGTH = 256;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final long retentionSeconds;

    /**
     * @param retention how long an aggregate is kept (its TTL): older records are {@code TOO_OLD}
     */
    public RequestRecordParser(Duration retention) {
        this.retentionSeconds = retention.toSeconds();
    }

    /** Outcome of parsing one record. */
    public sealed interface Result permits Accepted, Rejected {
    }

    /** A valid record: what it adds to the interval starting at {@code intervalStart} (epoch seconds). */
    public record Accepted(String accountId, long intervalStart, IntervalCounts counts) implements Result {
    }

    /** A record that breaks D1. {@code detail} names the field; it never repeats a string value. */
    public record Rejected(QuarantineReason reason, String detail) implements Result {
    }

    private static final IntervalCounts VALID_OK = new IntervalCounts(1, 0, 0, 0);
    private static final IntervalCounts VALID_ERROR = new IntervalCounts(1, 1, 0, 0);
    private static final IntervalCounts VALID_EXCLUDED_ERROR = new IntervalCounts(1, 0, 0, 1);
    private static final IntervalCounts UNREACHED = new IntervalCounts(0, 0, 1, 0);
    private static final IntervalCounts UNREACHED_EXCLUDED = new IntervalCounts(0, 0, 0, 1);

    private static final int ABSENT = 0;
    private static final int OK = 1;
    private static final int BAD = 2;

    /** Parses {@code data[off, off+len)} against the clock reading {@code now}. */
    public Result parse(byte[] data, int off, int len, Instant now) {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(data, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Rejected(QuarantineReason.NOT_JSON, "not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "accountId" -> f.accountId(p, v);
                    case "timestamp" -> f.timestampState = f.instant(p, v);
                    case "intervalStart" -> f.intervalStartState = f.instant(p, v);
                    case "status" -> f.status(p, v);
                    case "reached" -> f.reached(v);
                    case "exclusion" -> f.exclusion(p, v);
                    case "valid" -> f.count(p, v, 0, name);
                    case "errors" -> f.count(p, v, 1, name);
                    case "unreachedErrors" -> f.count(p, v, 2, name);
                    case "excludedErrors" -> f.count(p, v, 3, name);
                    default -> p.skipChildren(); // D1: adding fields is free
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new Rejected(QuarantineReason.NOT_JSON, "data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            return new Rejected(QuarantineReason.NOT_JSON,
                    m != null && m.startsWith("Duplicate field") ? "a field given twice" : "malformed JSON");
        } catch (IOException e) {
            return new Rejected(QuarantineReason.NOT_JSON, "unreadable: " + e.getClass().getSimpleName());
        }
        return f.decide(now, retentionSeconds);
    }

    /** What one pass over the object saw; decided in a fixed order once the whole text is read. */
    private static final class Fields {
        String accountId;
        boolean accountIdWrongType;
        int timestampState = ABSENT;
        int intervalStartState = ABSENT;
        long seconds;
        int nanos;
        final int[] nanosOut = new int[1];
        int statusState = ABSENT;
        int status;
        String statusDetail;
        int reachedState = ABSENT;
        boolean reached = true;
        int exclusionState = ABSENT;
        boolean excluded;
        final long[] counts = new long[4];
        int countsPresent;
        String nonInteger;
        String negative;
        boolean requestFieldPresent;

        void accountId(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_STRING) {
                accountId = p.getText();
            } else if (v != JsonToken.VALUE_NULL) {
                accountIdWrongType = true;
                p.skipChildren();
            }
        }

        int instant(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return ABSENT;
            }
            if (v != JsonToken.VALUE_STRING) {
                p.skipChildren();
                return BAD;
            }
            long s = IsoInstants.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), nanosOut);
            if (s == IsoInstants.INVALID) {
                return BAD;
            }
            seconds = s;
            nanos = nanosOut[0];
            return OK;
        }

        void status(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return;
            }
            requestFieldPresent = true;
            if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                    && p.getIntValue() >= 100 && p.getIntValue() <= 599) {
                status = p.getIntValue();
                statusState = OK;
            } else {
                statusState = BAD;
                statusDetail = v.isNumeric() ? "status=" + p.getText() : "status is not an integer";
                p.skipChildren();
            }
        }

        void reached(JsonToken v) {
            if (v == JsonToken.VALUE_NULL) {
                return;
            }
            requestFieldPresent = true;
            if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                reached = v == JsonToken.VALUE_TRUE;
                reachedState = OK;
            } else {
                reachedState = BAD;
            }
        }

        void exclusion(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return;
            }
            requestFieldPresent = true;
            if (v == JsonToken.VALUE_STRING) {
                String s = p.getText();
                if (s.equals("maintenance") || s.equals("customer-compromised") || s.equals("content-ban")) {
                    excluded = true;
                    exclusionState = OK;
                    return;
                }
            }
            p.skipChildren();
            exclusionState = BAD;
        }

        void count(JsonParser p, JsonToken v, int index, String name) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return;
            }
            countsPresent |= 1 << index;
            if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                long n = p.getLongValue();
                counts[index] = n;
                if (n < 0 && negative == null) {
                    negative = name + "=" + n;
                }
            } else {
                if (nonInteger == null) {
                    nonInteger = name + (v.isNumeric() ? "=" + p.getText() : " is not a number");
                }
                p.skipChildren();
            }
        }

        Result decide(Instant now, long retentionSeconds) {
            if (accountIdWrongType) {
                return new Rejected(QuarantineReason.INVALID_ACCOUNT_ID, "accountId is not a string");
            }
            if (accountId == null || accountId.isEmpty()) {
                return new Rejected(QuarantineReason.MISSING_ACCOUNT_ID, "accountId");
            }
            if (accountId.length() > MAX_ACCOUNT_ID_LENGTH || hasControlCharacter(accountId)) {
                return new Rejected(QuarantineReason.INVALID_ACCOUNT_ID, "accountId too long or has control characters");
            }
            boolean request = timestampState != ABSENT;
            boolean aggregated = intervalStartState != ABSENT;
            if (request && aggregated) {
                return new Rejected(QuarantineReason.MIXED_SHAPE, "both timestamp and intervalStart");
            }
            if (!request && !aggregated) {
                return new Rejected(QuarantineReason.MISSING_TIMESTAMP, "timestamp or intervalStart");
            }
            if (request && countsPresent != 0) {
                return new Rejected(QuarantineReason.MIXED_SHAPE, "counts in a request record");
            }
            if (aggregated && requestFieldPresent) {
                return new Rejected(QuarantineReason.MIXED_SHAPE, "status/reached/exclusion in a pre-aggregated record");
            }
            String field = request ? "timestamp" : "intervalStart";
            if ((request ? timestampState : intervalStartState) == BAD) {
                return new Rejected(QuarantineReason.UNPARSEABLE_TIMESTAMP, field);
            }
            long limit = now.getEpochSecond() + MAX_AHEAD.toSeconds();
            if (seconds > limit || (seconds == limit && nanos > now.getNano())) {
                return new Rejected(QuarantineReason.FUTURE_TIMESTAMP, field + " more than 15 minutes ahead");
            }
            if (aggregated && (nanos != 0 || Math.floorMod(seconds, Intervals.SECONDS) != 0)) {
                return new Rejected(QuarantineReason.NOT_INTERVAL_START, "intervalStart");
            }
            long intervalStart = Math.floorDiv(seconds, Intervals.SECONDS) * Intervals.SECONDS;
            if (intervalStart + retentionSeconds <= now.getEpochSecond()) {
                return new Rejected(QuarantineReason.TOO_OLD, field + " older than the aggregate retention");
            }
            return request ? decideRequest(intervalStart) : decideAggregated(intervalStart);
        }

        private Result decideRequest(long intervalStart) {
            if (reachedState == BAD) {
                return new Rejected(QuarantineReason.BAD_REACHED, "reached is not a boolean");
            }
            if (exclusionState == BAD) {
                return new Rejected(QuarantineReason.UNKNOWN_EXCLUSION, "exclusion");
            }
            if (statusState == BAD) {
                return new Rejected(QuarantineReason.BAD_STATUS, statusDetail);
            }
            if (reached && statusState == ABSENT) {
                return new Rejected(QuarantineReason.BAD_STATUS, "status missing on a received request");
            }
            IntervalCounts counts;
            if (!reached) {
                counts = excluded ? UNREACHED_EXCLUDED : UNREACHED; // S2.3, S2.4
            } else if (status >= 500) {
                counts = excluded ? VALID_EXCLUDED_ERROR : VALID_ERROR; // S2.3; S2.4 still counts in V
            } else {
                counts = VALID_OK; // S2.2, S2.5: 1xx-4xx are valid, not errors
            }
            return new Accepted(accountId, intervalStart, counts);
        }

        private Result decideAggregated(long intervalStart) {
            if (nonInteger != null) {
                return new Rejected(QuarantineReason.NON_INTEGER_COUNT, nonInteger);
            }
            if (negative != null) {
                return new Rejected(QuarantineReason.NEGATIVE_COUNT, negative);
            }
            if ((countsPresent & 0b11) != 0b11) {
                return new Rejected(QuarantineReason.MISSING_COUNT, (countsPresent & 1) == 0 ? "valid" : "errors");
            }
            if (counts[1] > counts[0]) {
                return new Rejected(QuarantineReason.ERRORS_EXCEED_VALID,
                        "errors=" + counts[1] + " > valid=" + counts[0]);
            }
            return new Accepted(accountId, intervalStart,
                    new IntervalCounts(counts[0], counts[1], counts[2], counts[3]));
        }

        private static boolean hasControlCharacter(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.isISOControl(s.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
    }
}
