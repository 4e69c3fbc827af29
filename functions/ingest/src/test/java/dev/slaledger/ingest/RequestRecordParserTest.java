package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.QuarantineReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestRecordParserTest {
    private static final Instant NOW = Instant.parse("2026-10-03T12:10:00Z");
    private static final long T1200 = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
    private final RequestRecordParser parser = new RequestRecordParser(Duration.ofDays(190));

    private RequestRecordParser.Result parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 0, b.length, NOW);
    }

    private IntervalCounts counts(String json) {
        RequestRecordParser.Result r = parse(json);
        assertThat(r).isInstanceOf(RequestRecordParser.Accepted.class);
        return ((RequestRecordParser.Accepted) r).counts();
    }

    private QuarantineReason reason(String json) {
        RequestRecordParser.Result r = parse(json);
        assertThat(r).as(json).isInstanceOf(RequestRecordParser.Rejected.class);
        return ((RequestRecordParser.Rejected) r).reason();
    }

    private static String req(String rest) {
        return "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:01:07.123Z\"" + rest + "}";
    }

    private static String agg(String counts) {
        return "{\"accountId\":\"acme\",\"intervalStart\":\"2026-10-03T12:00:00Z\"" + counts + "}";
    }

    @Test
    @DisplayName("S2.1 a request lands in the 5-minute interval holding its timestamp")
    void interval() {
        RequestRecordParser.Result r = parse(req(",\"status\":200"));
        assertThat(r).isEqualTo(new RequestRecordParser.Accepted("acme", T1200, new IntervalCounts(1, 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            S2.2 2xx received is valid                      | ,"status":200                                       | 1 | 0 | 0 | 0 | 0 | 0 | 0
            S2.5 4xx is valid, not an error                 | ,"status":429,"reached":true                        | 1 | 0 | 0 | 0 | 0 | 0 | 0
            S2.3 received 5xx is an error                   | ,"status":503,"reached":true,"exclusion":null       | 1 | 1 | 0 | 0 | 0 | 0 | 0
            S2.3 not reached is an error, not valid         | ,"reached":false                                    | 0 | 0 | 1 | 0 | 0 | 0 | 0
            S2.3 not reached with a status is still unreached | ,"status":504,"reached":false                     | 0 | 0 | 1 | 0 | 0 | 0 | 0
            S2.4 excluded 5xx is not an error but stays valid | ,"status":500,"exclusion":"maintenance"           | 1 | 0 | 0 | 1 | 1 | 0 | 0
            S2.4 excluded unreached is not an error         | ,"reached":false,"exclusion":"customer-compromised" | 0 | 0 | 0 | 1 | 0 | 1 | 0
            S2.4 S9.6 an excluded 5xx keeps its kind        | ,"status":503,"exclusion":"content-ban"             | 1 | 0 | 0 | 1 | 0 | 0 | 1
            S2.4 an exclusion on a success changes nothing  | ,"status":200,"exclusion":"content-ban"             | 1 | 0 | 0 | 0 | 0 | 0 | 0
            D1 reached null defaults to true                | ,"status":502,"reached":null                        | 1 | 1 | 0 | 0 | 0 | 0 | 0
            """)
    void requestShapeCounts(String rule, String fields, long v, long e, long u, long x, long m, long c, long b) {
        assertThat(counts(req(fields))).as(rule).isEqualTo(new IntervalCounts(v, e, u, x, m, c, b));
    }

    @Test
    @DisplayName("D1 pre-aggregated shape: counts as given, unreached and excluded default to 0")
    void aggregatedShape() {
        assertThat(counts(agg(",\"valid\":1200,\"errors\":3,\"unreachedErrors\":2,\"excludedErrors\":1")))
                .isEqualTo(new IntervalCounts(1200, 3, 2, 1));
        assertThat(counts(agg(",\"valid\":5,\"errors\":5"))).isEqualTo(new IntervalCounts(5, 5, 0, 0));
        assertThat(counts(agg(",\"valid\":0,\"errors\":0,\"unreachedErrors\":9"))).isEqualTo(new IntervalCounts(0, 0, 9, 0));
    }

    @Test
    @DisplayName("D1 S9.6 pre-aggregated shape: excluded errors may be given by kind, within excludedErrors; more is quarantined")
    void aggregatedKinds() {
        assertThat(counts(agg(",\"valid\":100,\"errors\":3,\"excludedErrors\":9,\"excludedMaintenance\":4,"
                + "\"excludedCustomerCompromised\":2,\"excludedContentBan\":1")))
                .isEqualTo(new IntervalCounts(100, 3, 0, 9, 4, 2, 1));
        assertThat(counts(agg(",\"valid\":100,\"errors\":3,\"excludedErrors\":2,\"excludedContentBan\":2")))
                .isEqualTo(new IntervalCounts(100, 3, 0, 2, 0, 0, 2));
        assertThat(reason(agg(",\"valid\":100,\"errors\":3,\"excludedErrors\":2,\"excludedMaintenance\":2,"
                + "\"excludedContentBan\":1"))).isEqualTo(QuarantineReason.EXCLUDED_KINDS_EXCEED_TOTAL);
        assertThat(reason(agg(",\"valid\":100,\"errors\":3,\"excludedMaintenance\":1")))
                .isEqualTo(QuarantineReason.EXCLUDED_KINDS_EXCEED_TOTAL);
        assertThat(reason(agg(",\"valid\":100,\"errors\":3,\"excludedErrors\":5,\"excludedMaintenance\":-1")))
                .isEqualTo(QuarantineReason.NEGATIVE_COUNT);
    }

    @Test
    @DisplayName("D1 adding fields is free: unknown fields, nested or not, are ignored")
    void unknownFieldsIgnored() {
        assertThat(counts(req(",\"status\":200,\"region\":\"eu\",\"trace\":{\"id\":[1,2,{\"x\":null}]}")))
                .isEqualTo(new IntervalCounts(1, 0, 0, 0));
    }

    @Test
    @DisplayName("D1 a timestamp exactly 15 minutes ahead is accepted, one millisecond more is quarantined")
    void fifteenMinutesAhead() {
        assertThat(parse("{\"accountId\":\"a\",\"timestamp\":\"2026-10-03T12:25:00Z\",\"status\":200}"))
                .isInstanceOf(RequestRecordParser.Accepted.class);
        assertThat(reason("{\"accountId\":\"a\",\"timestamp\":\"2026-10-03T12:25:00.001Z\",\"status\":200}"))
                .isEqualTo(QuarantineReason.FUTURE_TIMESTAMP);
        assertThat(reason("{\"accountId\":\"a\",\"intervalStart\":\"2026-10-03T12:30:00Z\",\"valid\":1,\"errors\":0}"))
                .isEqualTo(QuarantineReason.FUTURE_TIMESTAMP);
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            NOT_JSON              | 'not json'
            NOT_JSON              | '[1,2]'
            NOT_JSON              | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":200'
            NOT_JSON              | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":200}{}'
            NOT_JSON              | '{"accountId":"acme","status":200,"status":500,"timestamp":"2026-10-03T12:01:00Z"}'
            MISSING_ACCOUNT_ID    | '{"timestamp":"2026-10-03T12:01:00Z","status":200}'
            MISSING_ACCOUNT_ID    | '{"accountId":"","timestamp":"2026-10-03T12:01:00Z","status":200}'
            MISSING_ACCOUNT_ID    | '{"accountId":null,"timestamp":"2026-10-03T12:01:00Z","status":200}'
            INVALID_ACCOUNT_ID    | '{"accountId":42,"timestamp":"2026-10-03T12:01:00Z","status":200}'
            INVALID_ACCOUNT_ID    | '{"accountId":"a\\u0000b","timestamp":"2026-10-03T12:01:00Z","status":200}'
            MISSING_TIMESTAMP     | '{"accountId":"acme","status":200}'
            MIXED_SHAPE           | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","intervalStart":"2026-10-03T12:00:00Z","valid":1,"errors":0}'
            MIXED_SHAPE           | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":1,"errors":0,"status":200}'
            UNPARSEABLE_TIMESTAMP | '{"accountId":"acme","timestamp":"2026-10-03 12:01:00","status":200}'
            UNPARSEABLE_TIMESTAMP | '{"accountId":"acme","timestamp":"2026-02-30T12:01:00Z","status":200}'
            UNPARSEABLE_TIMESTAMP | '{"accountId":"acme","timestamp":1790942460,"status":200}'
            TOO_OLD               | '{"accountId":"acme","timestamp":"2026-03-01T00:00:00Z","status":200}'
            NOT_INTERVAL_START    | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:01Z","valid":1,"errors":0}'
            NOT_INTERVAL_START    | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00.5Z","valid":1,"errors":0}'
            BAD_STATUS            | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z"}'
            BAD_STATUS            | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":99}'
            BAD_STATUS            | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":600}'
            BAD_STATUS            | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":"200"}'
            BAD_STATUS            | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":200.0}'
            BAD_STATUS            | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":900,"reached":false}'
            BAD_REACHED           | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":200,"reached":1}'
            UNKNOWN_EXCLUSION     | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":503,"exclusion":"Maintenance"}'
            UNKNOWN_EXCLUSION     | '{"accountId":"acme","timestamp":"2026-10-03T12:01:00Z","status":503,"exclusion":true}'
            NEGATIVE_COUNT        | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":10,"errors":0,"unreachedErrors":-1}'
            NON_INTEGER_COUNT     | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":1e3,"errors":0}'
            NON_INTEGER_COUNT     | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":"10","errors":0}'
            COUNT_OUT_OF_RANGE    | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":99999999999999999999,"errors":0}'
            COUNT_OUT_OF_RANGE    | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":1000000001,"errors":0}'
            NEGATIVE_COUNT        | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":10,"errors":-99999999999999999999}'
            INVALID_ACCOUNT_ID    | '{"accountId":"ac\\uD800me","timestamp":"2026-10-03T12:01:00Z","status":200}'
            MISSING_COUNT         | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":10}'
            MISSING_COUNT         | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","errors":0}'
            ERRORS_EXCEED_VALID   | '{"accountId":"acme","intervalStart":"2026-10-03T12:00:00Z","valid":10,"errors":11}'
            """)
    @DisplayName("D1 every rule a record can break has its quarantine reason")
    void rejections(QuarantineReason expected, String json) {
        assertThat(reason(json)).isEqualTo(expected);
    }

    @Test
    @DisplayName("D1 a rejection's detail names the field and never repeats a string value")
    void detailHasNoStringValues() {
        RequestRecordParser.Rejected r = (RequestRecordParser.Rejected) parse(
                "{\"accountId\":\"alice@example.com\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":503,\"exclusion\":\"alice@example.com\"}");
        assertThat(r.reason()).isEqualTo(QuarantineReason.UNKNOWN_EXCLUSION);
        assertThat(r.detail()).isEqualTo("exclusion").doesNotContain("alice");
    }

    @ParameterizedTest(name = "D1 S7.5 {0} at the per-record maximum is accepted, one more is COUNT_OUT_OF_RANGE")
    @CsvSource({"valid", "errors", "unreachedErrors", "excludedErrors"})
    void perRecordCountBound(String field) {
        long max = CountLimits.PER_RECORD;
        assertThat(max).isEqualTo(1_000_000_000L);
        assertThat(parse(countsWith(field, max))).isInstanceOf(RequestRecordParser.Accepted.class);
        RequestRecordParser.Result r = parse(countsWith(field, max + 1));
        assertThat(r).isInstanceOf(RequestRecordParser.Rejected.class);
        assertThat(((RequestRecordParser.Rejected) r).reason()).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        assertThat(((RequestRecordParser.Rejected) r).detail()).isEqualTo(field + " above 1000000000 (D1 per-record maximum)");
    }

    /** A pre-aggregated record with {@code field} = n, valid at the maximum otherwise (so errors <= valid holds). */
    private static String countsWith(String field, long n) {
        long max = CountLimits.PER_RECORD;
        return agg(",\"valid\":" + (field.equals("valid") ? n : max) + ",\"errors\":" + (field.equals("errors") ? n : 0)
                + ",\"unreachedErrors\":" + (field.equals("unreachedErrors") ? n : 0)
                + ",\"excludedErrors\":" + (field.equals("excludedErrors") ? n : 0));
    }

    @Test
    @DisplayName("D1 S7.5 the counts of the audit (valid near Long.MAX_VALUE) are COUNT_OUT_OF_RANGE, not accepted")
    void nearLongMaxIsOutOfRange() {
        assertThat(reason(agg(",\"valid\":" + Long.MAX_VALUE + ",\"errors\":0"))).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        assertThat(reason(agg(",\"valid\":" + (Long.MAX_VALUE - 1) + ",\"errors\":" + (Long.MAX_VALUE - 1))))
                .isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
        // order: a negative count is reported before an out-of-range one
        assertThat(reason(agg(",\"valid\":2000000000,\"errors\":-1"))).isEqualTo(QuarantineReason.NEGATIVE_COUNT);
        // and out of range before a missing field or errors > valid
        assertThat(reason(agg(",\"errors\":2000000000"))).isEqualTo(QuarantineReason.COUNT_OUT_OF_RANGE);
    }

    @ParameterizedTest(name = "S7.5 accountId {0} is not valid Unicode: INVALID_ACCOUNT_ID")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a lone high surrogate        | 'ac\\uD800me'
            another lone high surrogate  | 'ac\\uDBFFme'
            a lone low surrogate         | 'ac\\uDC00me'
            a high surrogate at the end  | 'acme\\uD800'
            a low then a high surrogate  | 'ac\\uDC00\\uD800me'
            two high surrogates          | 'ac\\uD800\\uD800\\uDC00'
            """)
    void loneSurrogates(String what, String escaped) {
        RequestRecordParser.Result r = parse("{\"accountId\":\"" + escaped + "\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}");
        assertThat(r).as(what).isInstanceOf(RequestRecordParser.Rejected.class);
        assertThat(((RequestRecordParser.Rejected) r).reason()).isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
        assertThat(((RequestRecordParser.Rejected) r).detail()).isEqualTo("accountId is not valid Unicode (a lone surrogate)");
    }

    @Test
    @DisplayName("S7.5 the audit's two ids (\\uD800 and \\uDBFF) are both quarantined, never merged; a surrogate pair is fine")
    void surrogatePairsAccepted() {
        assertThat(reason("{\"accountId\":\"ac\\uD800me\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}"))
                .isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
        assertThat(reason("{\"accountId\":\"ac\\uDBFFme\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}"))
                .isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
        RequestRecordParser.Result escaped = parse("{\"accountId\":\"ac\\uD83D\\uDE00me\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}");
        RequestRecordParser.Result raw = parse("{\"accountId\":\"ac\uD83D\uDE00me\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}");
        assertThat(escaped).isEqualTo(new RequestRecordParser.Accepted("ac\uD83D\uDE00me", T1200, new IntervalCounts(1, 0, 0, 0)));
        assertThat(raw).isEqualTo(escaped);
    }

    @Test
    @DisplayName("S7.5 a surrogate encoded straight into the UTF-8 bytes (ED A0 80, not valid UTF-8) is quarantined, not stored")
    void surrogateInUtf8Bytes() {
        byte[] prefix = "{\"accountId\":\"ac".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "me\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[prefix.length + 3 + suffix.length];
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        b[prefix.length] = (byte) 0xED;
        b[prefix.length + 1] = (byte) 0xA0;
        b[prefix.length + 2] = (byte) 0x80;
        System.arraycopy(suffix, 0, b, prefix.length + 3, suffix.length);
        RequestRecordParser.Result r = parser.parse(b, 0, b.length, NOW);
        assertThat(r).isInstanceOf(RequestRecordParser.Rejected.class);
        assertThat(((RequestRecordParser.Rejected) r).reason()).isIn(QuarantineReason.INVALID_ACCOUNT_ID, QuarantineReason.NOT_JSON);
    }

    @Test
    @DisplayName("D1 a long accountId up to 256 characters is fine, longer is quarantined")
    void accountIdLength() {
        String ok = "a".repeat(256);
        assertThat(parse("{\"accountId\":\"" + ok + "\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}"))
                .isInstanceOf(RequestRecordParser.Accepted.class);
        assertThat(reason("{\"accountId\":\"" + ok + "b\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}"))
                .isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
    }
}
