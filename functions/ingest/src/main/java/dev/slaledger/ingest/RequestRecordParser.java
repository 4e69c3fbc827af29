package dev.slaledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.ExclusionKind;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.traffic.QuarantineReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Decodes and validates one D1 request record, in either shape, into the counts it adds to one
 * five-minute interval of one account (S2), or into the reason it must be quarantined.
 *
 * <p>Strict where D1 is (types, ranges, shapes); lenient only where D1 says adding fields is
 * free: unknown fields are skipped. A single streaming pass, no tree and no data binding.
 * Records of the canonical shape producers write are read byte by byte ({@link #readCanonical});
 * any other text by Jackson; both fill the same {@code Fields}, decided by the same rules
 * ({@code RequestRecordFastPathTest} shows both give the same outcome).
 * An instance reuses its buffers: use one per thread (Lambda runs one batch at a time).
 */
public final class RequestRecordParser {
    /** D1 / issue 3: a timestamp more than this ahead of the clock is quarantined. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(15);
    static final int MAX_ACCOUNT_ID_LENGTH = 256;

    /**
     * Duplicate detection is done here, on the fields D1 defines, with a bit per field: Jackson's
     * own (STRICT_DUPLICATE_DETECTION) allocates a set per object and costs a third of the parse.
     * A duplicated unknown field is ignored like any unknown field.
     */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** A fixed retention (seconds) for {@link #parse(byte[], int, int, Instant)}; negative: none. */
    private final long retentionSeconds;
    private final Fields f = new Fields();
    /** Account ids seen lately: a batch repeats few accounts many times, so reuse their Strings. */
    private final String[] accountIds = new String[1024];

    /**
     * A parser whose {@link #parse(byte[], int, int, Instant)} keeps intervals for a fixed time:
     * a record is {@code TOO_OLD} once its interval start + {@code retention} has passed. (Ingest
     * itself derives the oldest interval from the terms, S7.4, and passes it to
     * {@link #parse(byte[], int, int, Instant, long)}; this form is for benchmarks and tools.)
     */
    public RequestRecordParser(Duration retention) {
        this.retentionSeconds = retention.toSeconds();
    }

    /** A parser for {@link #parse(byte[], int, int, Instant, long)}, which is told the oldest interval. */
    public RequestRecordParser() {
        this.retentionSeconds = -1;
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

    /** D1 field names, in the order producers write them; NEXT[i] is the field usually after NAMES[i]. */
    private static final SerializedString[] NAMES = {
        new SerializedString("accountId"), new SerializedString("timestamp"), new SerializedString("status"),
        new SerializedString("reached"), new SerializedString("exclusion"), new SerializedString("intervalStart"),
        new SerializedString("valid"), new SerializedString("errors"), new SerializedString("unreachedErrors"),
        new SerializedString("excludedErrors"), new SerializedString("excludedMaintenance"),
        new SerializedString("excludedCustomerCompromised"), new SerializedString("excludedContentBan")};
    private static final int[] NEXT = {1, 2, 3, 4, -1, 6, 7, 8, 9, -1, 11, 12, -1};

    private static int fieldIndex(String name) {
        return switch (name) {
            case "accountId" -> 0;
            case "timestamp" -> 1;
            case "status" -> 2;
            case "reached" -> 3;
            case "exclusion" -> 4;
            case "intervalStart" -> 5;
            case "valid" -> 6;
            case "errors" -> 7;
            case "unreachedErrors" -> 8;
            case "excludedErrors" -> 9;
            case "excludedMaintenance" -> 10;
            case "excludedCustomerCompromised" -> 11;
            case "excludedContentBan" -> 12;
            default -> -1;
        };
    }

    private static final IntervalCounts VALID_OK = new IntervalCounts(1, 0, 0, 0);
    private static final IntervalCounts VALID_ERROR = new IntervalCounts(1, 1, 0, 0);
    /** A received 5xx flagged with an exclusion, per {@link ExclusionKind} (ordinal): in V, not in E (S2.4). */
    private static final IntervalCounts[] VALID_EXCLUDED_ERROR = {new IntervalCounts(1, 0, 0, 1, 1, 0, 0),
        new IntervalCounts(1, 0, 0, 1, 0, 1, 0), new IntervalCounts(1, 0, 0, 1, 0, 0, 1)};
    private static final IntervalCounts UNREACHED = new IntervalCounts(0, 0, 1, 0);
    /** An unreached request flagged with an exclusion, per {@link ExclusionKind} (ordinal). */
    private static final IntervalCounts[] UNREACHED_EXCLUDED = {new IntervalCounts(0, 0, 0, 1, 1, 0, 0),
        new IntervalCounts(0, 0, 0, 1, 0, 1, 0), new IntervalCounts(0, 0, 0, 1, 0, 0, 1)};

    private static final int ABSENT = 0;
    private static final int OK = 1;
    private static final int BAD = 2;

    /**
     * Parses {@code data[off, off+len)} against the clock reading {@code now}, with the fixed
     * retention given at construction (none: nothing is {@code TOO_OLD}).
     */
    public Result parse(byte[] data, int off, int len, Instant now) {
        return parse(data, off, len, now,
                retentionSeconds < 0 ? Long.MIN_VALUE : now.getEpochSecond() - retentionSeconds + 1);
    }

    /**
     * Parses {@code data[off, off+len)} against the clock reading {@code now}: a record whose
     * interval starts before {@code oldestIntervalStart} (epoch seconds) is {@code TOO_OLD} (S7.4:
     * some month it may count in may already have lost aggregates to their TTL).
     */
    public Result parse(byte[] data, int off, int len, Instant now, long oldestIntervalStart) {
        f.reset();
        if (readCanonical(data, off, len)) {
            return f.decide(now, oldestIntervalStart);
        }
        return parseJackson(data, off, len, now, oldestIntervalStart);
    }

    /**
     * The fast path alone: the outcome of {@link #parse(byte[], int, int, Instant, long)} when the
     * record has the canonical shape ({@link #readCanonical}), else null. For the agreement tests.
     */
    Result parseCanonical(byte[] data, int off, int len, Instant now, long oldestIntervalStart) {
        f.reset();
        return readCanonical(data, off, len) ? f.decide(now, oldestIntervalStart) : null;
    }

    /** The general path alone (Jackson), which decides every record the fast path does not take. */
    Result parseJackson(byte[] data, int off, int len, Instant now, long oldestIntervalStart) {
        f.reset();
        try (JsonParser p = JSON.createParser(data, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Rejected(QuarantineReason.NOT_JSON, "not a JSON object");
            }
            JsonToken t;
            int expected = 0;
            while (true) {
                int field;
                if (expected >= 0 && p.nextFieldName(NAMES[expected])) {
                    field = expected; // the usual field order: a byte compare, no name lookup
                } else {
                    t = expected >= 0 ? p.currentToken() : p.nextToken();
                    if (t != JsonToken.FIELD_NAME) {
                        break;
                    }
                    field = fieldIndex(p.currentName());
                }
                JsonToken v = p.nextToken();
                int bit = switch (field) {
                    case 0 -> f.accountId(p, v);
                    case 1 -> f.timestamp(p, v);
                    case 2 -> f.status(p, v);
                    case 3 -> f.reached(v);
                    case 4 -> f.exclusion(p, v);
                    case 5 -> f.intervalStart(p, v);
                    case 6 -> f.count(p, v, 0, "valid");
                    case 7 -> f.count(p, v, 1, "errors");
                    case 8 -> f.count(p, v, 2, "unreachedErrors");
                    case 9 -> f.count(p, v, 3, "excludedErrors");
                    case 10 -> f.count(p, v, 4, "excludedMaintenance");
                    case 11 -> f.count(p, v, 5, "excludedCustomerCompromised");
                    case 12 -> f.count(p, v, 6, "excludedContentBan");
                    default -> {
                        p.skipChildren(); // D1: adding fields is free
                        yield 0;
                    }
                };
                if ((f.seenFields & bit) != 0) {
                    return new Rejected(QuarantineReason.NOT_JSON, "a field given twice");
                }
                f.seenFields |= bit;
                expected = field >= 0 ? NEXT[field] : -1;
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new Rejected(QuarantineReason.NOT_JSON, "data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            return new Rejected(QuarantineReason.NOT_JSON, "malformed JSON");
        } catch (IOException e) {
            return new Rejected(QuarantineReason.NOT_JSON, "unreadable: " + e.getClass().getSimpleName());
        }
        return f.decide(now, oldestIntervalStart);
    }

    /** {@code "name":} of each D1 field, as bytes, in the order of {@link #NAMES}. */
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
    /** {@code "wire-name"} of each {@link ExclusionKind}, by ordinal. */
    private static final ExclusionKind[] KINDS = ExclusionKind.values();
    private static final byte[][] KIND_BYTES = new byte[KINDS.length][];
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = ("\"" + NAMES[i].getValue() + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        for (ExclusionKind k : KINDS) {
            KIND_BYTES[k.ordinal()] = ("\"" + k.wireName() + "\"").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * The fast path (issue 32 item 3): reads {@code data[off, off+len)} byte by byte when it is a
     * record of the canonical shape, the one producers write, and fills {@link #f} with exactly
     * what the Jackson path would; returns false on any deviation, and the Jackson path then reads
     * the record from its start and decides it. The canonical shape: one object, no whitespace,
     * D1 fields only, each at most once and in the order of {@link #NAMES}; account ids of at most
     * {@link #MAX_ACCOUNT_ID_LENGTH} printable ASCII characters without escapes; instants of the
     * {@code ...Z} shape {@link IsoInstants#parseFastAscii} reads; status as three digits 100-599;
     * reached as true or false; exclusion as null or one of the {@link ExclusionKind} names; counts
     * as non-negative integers of at most 18 digits without leading zeros; nothing after the object.
     * Every such text is valid JSON with no duplicate, so the Jackson path sees the same values.
     *
     * <p>Bounded whatever {@code len} is: at most the 13 D1 fields, each name matched against at most
     * the 13 names and each value of bounded length (an account id 256 bytes, an instant 30, a count
     * 18 digits), so it finishes or gives up within about 1 KB of the text and a few thousand byte
     * compares; on hostile input the cost added to today's (the Jackson path, with its own limits)
     * is that constant.
     */
    private boolean readCanonical(byte[] b, int off, int len) {
        int end = off + len;
        if (len < 2 || b[off] != '{') {
            return false;
        }
        int i = off + 1;
        int field = -1;
        while (true) {
            int next = -1;
            for (int k = field + 1; k < NAME_BYTES.length; k++) {
                if (startsWith(b, i, end, NAME_BYTES[k])) {
                    next = k;
                    break;
                }
            }
            if (next < 0) {
                return false;
            }
            field = next;
            i += NAME_BYTES[field].length;
            i = switch (field) {
                case 0 -> fastAccountId(b, i, end);
                case 1 -> fastInstant(b, i, end, true);
                case 2 -> fastStatus(b, i, end);
                case 3 -> fastReached(b, i, end);
                case 4 -> fastExclusion(b, i, end);
                case 5 -> fastInstant(b, i, end, false);
                default -> fastCount(b, i, end, field - 6);
            };
            if (i < 0 || i >= end) {
                return false;
            }
            byte c = b[i++];
            if (c == '}') {
                return i == end;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    private static boolean startsWith(byte[] b, int i, int end, byte[] prefix) {
        if (end - i < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[i + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** A string of printable ASCII without escapes, at most {@link #MAX_ACCOUNT_ID_LENGTH} long. */
    private int fastAccountId(byte[] b, int i, int end) {
        if (i >= end || b[i] != '"') {
            return -1;
        }
        int start = ++i;
        int limit = Math.min(end, start + MAX_ACCOUNT_ID_LENGTH + 1);
        for (; i < limit; i++) {
            byte c = b[i];
            if (c == '"') {
                f.accountId = Fields.canonical(b, start, i - start, accountIds);
                return i + 1;
            }
            if (c < 0x20 || c == 0x7F || c == '\\') { // bytes >= 0x80 are negative: not ASCII
                return -1;
            }
        }
        return -1;
    }

    /** A string that {@link IsoInstants#parseFastAscii} reads (ASCII of the {@code ...Z} shape). */
    private int fastInstant(byte[] b, int i, int end, boolean timestamp) {
        if (i >= end || b[i] != '"') {
            return -1;
        }
        int start = ++i;
        int limit = Math.min(end, start + 31);
        while (i < limit && b[i] != '"') {
            i++;
        }
        if (i == limit) {
            return -1;
        }
        long s = IsoInstants.parseFastAscii(b, start, i - start, f.nanosOut);
        if (s == IsoInstants.INVALID) {
            return -1; // perhaps another shape the JDK reads: the Jackson path decides
        }
        if (timestamp) {
            f.timestampState = OK;
        } else {
            f.intervalStartState = OK;
        }
        f.seconds = s;
        f.nanos = f.nanosOut[0];
        return i + 1;
    }

    /** Three digits, 100 to 599. */
    private int fastStatus(byte[] b, int i, int end) {
        if (end - i < 3) {
            return -1;
        }
        int d0 = b[i] - '0';
        int d1 = b[i + 1] - '0';
        int d2 = b[i + 2] - '0';
        if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
            return -1;
        }
        f.requestFieldPresent = true;
        f.status = d0 * 100 + d1 * 10 + d2;
        f.statusState = OK;
        return i + 3;
    }

    private int fastReached(byte[] b, int i, int end) {
        boolean value;
        if (startsWith(b, i, end, TRUE)) {
            value = true;
        } else if (startsWith(b, i, end, FALSE)) {
            value = false;
        } else {
            return -1;
        }
        f.requestFieldPresent = true;
        f.reached = value;
        f.reachedState = OK;
        return i + (value ? TRUE.length : FALSE.length);
    }

    private int fastExclusion(byte[] b, int i, int end) {
        if (startsWith(b, i, end, NULL)) {
            return i + NULL.length; // as absent
        }
        for (ExclusionKind k : KINDS) {
            byte[] name = KIND_BYTES[k.ordinal()];
            if (startsWith(b, i, end, name)) {
                f.requestFieldPresent = true;
                f.excluded = k;
                f.exclusionState = OK;
                return i + name.length;
            }
        }
        return -1;
    }

    /** A non-negative integer of at most 18 digits (a long), without leading zeros. */
    private int fastCount(byte[] b, int i, int end, int index) {
        int start = i;
        long value = 0;
        if (i < end && b[i] == '0') {
            i++;
        } else {
            while (i < end && i - start < 18 && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i] - '0');
                i++;
            }
            if (i == start) {
                return -1;
            }
        }
        // a digit, '.', 'e' or 'E' next is not this shape: the caller wants ',' or '}'
        f.countsPresent |= 1 << index;
        if (value > CountLimits.PER_RECORD) {
            if (f.outOfRange == null) {
                f.outOfRange = COUNT_NAMES[index] + " above " + CountLimits.PER_RECORD + " (D1 per-record maximum)";
            }
        } else {
            f.counts[index] = value;
        }
        return i;
    }

    private static final String[] COUNT_NAMES = {"valid", "errors", "unreachedErrors", "excludedErrors",
        "excludedMaintenance", "excludedCustomerCompromised", "excludedContentBan"};

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
        /** The record's exclusion, when {@code exclusionState} is OK. */
        ExclusionKind excluded;
        final long[] counts = new long[7];
        int countsPresent;
        String nonInteger;
        String negative;
        String outOfRange;
        boolean requestFieldPresent;

        int seenFields;

        void reset() {
            accountId = null;
            accountIdWrongType = false;
            timestampState = ABSENT;
            intervalStartState = ABSENT;
            seconds = 0;
            nanos = 0;
            statusState = ABSENT;
            status = 0;
            statusDetail = null;
            reachedState = ABSENT;
            reached = true;
            exclusionState = ABSENT;
            excluded = null;
            java.util.Arrays.fill(counts, 0);
            countsPresent = 0;
            nonInteger = null;
            negative = null;
            outOfRange = null;
            requestFieldPresent = false;
            seenFields = 0;
        }

        /** The general path's account id: records off the canonical shape are rare, so it is not cached. */
        int accountId(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_STRING) {
                accountId = p.getText();
            } else if (v != JsonToken.VALUE_NULL) {
                accountIdWrongType = true;
                p.skipChildren();
            }
            return 1;
        }

        int timestamp(JsonParser p, JsonToken v) throws IOException {
            timestampState = instant(p, v);
            return 1 << 1;
        }

        int intervalStart(JsonParser p, JsonToken v) throws IOException {
            intervalStartState = instant(p, v);
            return 1 << 2;
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

        int status(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return 1 << 3;
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
            return 1 << 3;
        }

        int reached(JsonToken v) {
            if (v == JsonToken.VALUE_NULL) {
                return 1 << 4;
            }
            requestFieldPresent = true;
            if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                reached = v == JsonToken.VALUE_TRUE;
                reachedState = OK;
            } else {
                reachedState = BAD;
            }
            return 1 << 4;
        }

        int exclusion(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return 1 << 5;
            }
            requestFieldPresent = true;
            if (v == JsonToken.VALUE_STRING) {
                String s = p.getText();
                java.util.Optional<ExclusionKind> kind = ExclusionKind.parse(s);
                if (kind.isPresent()) {
                    excluded = kind.get();
                    exclusionState = OK;
                    return 1 << 5;
                }
            }
            p.skipChildren();
            exclusionState = BAD;
            return 1 << 5;
        }

        int count(JsonParser p, JsonToken v, int index, String name) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return 1 << (6 + index);
            }
            countsPresent |= 1 << index;
            if (v == JsonToken.VALUE_NUMBER_INT) {
                boolean big = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
                int sign = big ? p.getBigIntegerValue().signum() : Long.signum(p.getLongValue());
                if (sign < 0) {
                    if (negative == null) {
                        negative = name + (big ? " below -2^63" : "=" + p.getLongValue());
                    }
                } else if (big || p.getLongValue() > CountLimits.PER_RECORD) {
                    if (outOfRange == null) {
                        outOfRange = name + " above " + CountLimits.PER_RECORD + " (D1 per-record maximum)";
                    }
                } else {
                    counts[index] = p.getLongValue();
                }
            } else {
                if (nonInteger == null) {
                    nonInteger = name + (v.isNumeric() ? "=" + p.getText() : " is not a number");
                }
                p.skipChildren();
            }
            return 1 << (6 + index);
        }

        Result decide(Instant now, long oldestIntervalStart) {
            if (accountIdWrongType) {
                return new Rejected(QuarantineReason.INVALID_ACCOUNT_ID, "accountId is not a string");
            }
            if (accountId == null || accountId.isEmpty()) {
                return new Rejected(QuarantineReason.MISSING_ACCOUNT_ID, "accountId");
            }
            if (accountId.length() > MAX_ACCOUNT_ID_LENGTH) {
                return new Rejected(QuarantineReason.INVALID_ACCOUNT_ID, "accountId longer than "
                        + MAX_ACCOUNT_ID_LENGTH + " characters");
            }
            String badCharacter = badCharacter(accountId);
            if (badCharacter != null) {
                return new Rejected(QuarantineReason.INVALID_ACCOUNT_ID, badCharacter);
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
            if (intervalStart < oldestIntervalStart) {
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
                counts = excluded != null ? UNREACHED_EXCLUDED[excluded.ordinal()] : UNREACHED; // S2.3, S2.4
            } else if (status >= 500) {
                counts = excluded != null ? VALID_EXCLUDED_ERROR[excluded.ordinal()] : VALID_ERROR; // S2.3; S2.4 in V
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
            if (outOfRange != null) {
                return new Rejected(QuarantineReason.COUNT_OUT_OF_RANGE, outOfRange); // S7.5
            }
            if ((countsPresent & 0b11) != 0b11) {
                return new Rejected(QuarantineReason.MISSING_COUNT, (countsPresent & 1) == 0 ? "valid" : "errors");
            }
            if (counts[1] > counts[0]) {
                return new Rejected(QuarantineReason.ERRORS_EXCEED_VALID,
                        "errors=" + counts[1] + " > valid=" + counts[0]);
            }
            if (counts[4] + counts[5] + counts[6] > counts[3]) { // each at most 10^9: no overflow
                return new Rejected(QuarantineReason.EXCLUDED_KINDS_EXCEED_TOTAL, "excludedMaintenance="
                        + counts[4] + " + excludedCustomerCompromised=" + counts[5] + " + excludedContentBan="
                        + counts[6] + " > excludedErrors=" + counts[3]);
            }
            return new Accepted(accountId, intervalStart, new IntervalCounts(counts[0], counts[1], counts[2],
                    counts[3], counts[4], counts[5], counts[6]));
        }

        /** The account id of ASCII bytes, one String per id kept in a small cache (the fast path's). */
        static String canonical(byte[] c, int off, int len, String[] cache) {
            int h = 0;
            for (int i = off; i < off + len; i++) {
                h = 31 * h + c[i];
            }
            int slot = (h ^ (h >>> 16)) & (cache.length - 1);
            String cached = cache[slot];
            if (cached != null && cached.length() == len) {
                boolean same = true;
                for (int i = 0; i < len && same; i++) {
                    same = cached.charAt(i) == c[off + i];
                }
                if (same) {
                    return cached;
                }
            }
            String s = new String(c, off, len, StandardCharsets.ISO_8859_1);
            cache[slot] = s;
            return s;
        }

        /**
         * Why {@code s} is not a storable account id, or null: a control character, or a UTF-16
         * sequence that is not valid Unicode (a high surrogate not followed by a low one, a low one
         * not preceded by a high one). DynamoDB stores strings as UTF-8, where a lone surrogate
         * becomes '?': "ac\uD800me" and "ac\uDBFFme" would be one account (S7.5).
         */
        private static String badCharacter(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c)) {
                    return "accountId has control characters";
                }
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a valid pair: one supplementary code point
                } else if (Character.isSurrogate(c)) {
                    return "accountId is not valid Unicode (a lone surrogate)";
                }
            }
            return null;
        }
    }
}
