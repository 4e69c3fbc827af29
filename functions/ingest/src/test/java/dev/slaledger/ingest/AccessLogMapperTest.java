package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.QuarantineReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 21: one API Gateway access-log line -> one D1 request record, counted by the D1 rules. */
class AccessLogMapperTest {
    private static final Instant NOW = Instant.parse("2026-10-03T12:10:00Z");
    private static final Instant AT = Instant.parse("2026-10-03T12:01:07.123Z");
    private static final long INTERVAL = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
    private final AccessLogMapper claim = new AccessLogMapper(AccessLogMapper.AccountSource.CLAIM);
    private final AccessLogMapper apiKey = new AccessLogMapper(AccessLogMapper.AccountSource.API_KEY_ID);
    private final RequestRecordParser parser = new RequestRecordParser(Duration.ofDays(190));

    private RequestRecordParser.Result count(AccessLogMapper mapper, String line) {
        AccessLogMapper.Mapping m = mapper.map(line);
        if (m instanceof AccessLogMapper.Unmappable u) {
            return new RequestRecordParser.Rejected(u.reason(), u.detail());
        }
        return parser.parse(mapper.buffer(), 0, ((AccessLogMapper.Mapped) m).length(), NOW);
    }

    private RequestRecordParser.Result count(String line) {
        return count(claim, line);
    }

    @ParameterizedTest(name = "S2.3/S2.5 status {0} ({1}) counts V={2} E={3}")
    @CsvSource({
        "200, '-', 1, 0",
        "404, '-', 1, 0",
        "401, UNAUTHORIZED, 1, 0",
        "403, WAF_FILTERED, 1, 0",
        "429, THROTTLED, 1, 0",
        "429, QUOTA_EXCEEDED, 1, 0",
        "500, AUTHORIZER_FAILURE, 1, 1",
        "502, INTEGRATION_FAILURE, 1, 1",
        "503, '-', 1, 1",
        "504, INTEGRATION_TIMEOUT, 1, 1"})
    void statusDecidesTheCount(int status, String responseType, long valid, long errors) {
        String line = AccessLogPayloads.line("acme", "-", AT, status, responseType, "-");
        assertThat(count(line)).isEqualTo(
                new RequestRecordParser.Accepted("acme", INTERVAL, new IntervalCounts(valid, errors, 0, 0)));
    }

    @Test
    @DisplayName("S2.1 requestTimeEpoch (ms) places the request in its UTC five-minute interval, as a number or a string")
    void requestTimeEpochIsTheTimestamp() {
        long ms = Instant.parse("2026-10-03T12:04:59.999Z").toEpochMilli();
        assertThat(count("{\"requestTimeEpoch\":" + ms + ",\"status\":200,\"claim\":\"acme\"}"))
                .isEqualTo(new RequestRecordParser.Accepted("acme", INTERVAL, new IntervalCounts(1, 0, 0, 0)));
        assertThat(count("{\"requestTimeEpoch\":\"" + (ms + 1) + "\",\"status\":\"200\",\"claim\":\"acme\"}"))
                .isEqualTo(new RequestRecordParser.Accepted("acme", INTERVAL + 300, new IntervalCounts(1, 0, 0, 0)));
    }

    @Test
    @DisplayName("the account id comes from the configured source: the authorizer claim or the API key id")
    void accountSourceIsConfigurable() {
        String line = AccessLogPayloads.line("user-7", "k3y1d", AT, 200, "-", "200");
        assertThat(((RequestRecordParser.Accepted) count(claim, line)).accountId()).isEqualTo("user-7");
        assertThat(((RequestRecordParser.Accepted) count(apiKey, line)).accountId()).isEqualTo("k3y1d");
        assertThat(AccessLogMapper.AccountSource.parse("apikeyid")).isEqualTo(AccessLogMapper.AccountSource.API_KEY_ID);
        assertThat(AccessLogMapper.AccountSource.parse("claim")).isEqualTo(AccessLogMapper.AccountSource.CLAIM);
        assertThatThrownBy(() -> AccessLogMapper.AccountSource.parse("sub")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("D1 an unauthenticated request ('-' where the claim would be) cannot be attributed: MISSING_ACCOUNT_ID")
    void dashIsNoAccount() {
        assertThat(count(AccessLogPayloads.line("-", "-", AT, 401, "UNAUTHORIZED", "-")))
                .isEqualTo(new RequestRecordParser.Rejected(QuarantineReason.MISSING_ACCOUNT_ID,
                        "access-log claim: absent (an unauthenticated request or a claim the token lacks)"));
        assertThat(((RequestRecordParser.Rejected) count(apiKey, AccessLogPayloads.line("acme", "-", AT, 200, "-", "200")))
                .reason()).isEqualTo(QuarantineReason.MISSING_ACCOUNT_ID);
        assertThat(reason("{\"requestTimeEpoch\":1,\"status\":200}")).isEqualTo(QuarantineReason.MISSING_ACCOUNT_ID);
        assertThat(reason("{\"requestTimeEpoch\":1,\"status\":200,\"claim\":\"\"}"))
                .isEqualTo(QuarantineReason.MISSING_ACCOUNT_ID);
    }

    private QuarantineReason reason(String line) {
        return ((RequestRecordParser.Rejected) count(line)).reason();
    }

    @Test
    @DisplayName("D1 every line the mapping cannot read is quarantined with its reason")
    void unmappableLines() {
        long ms = AT.toEpochMilli();
        assertThat(reason("203.0.113.9 - - [03/Oct/2026:12:04:30 +0000] \"GET / HTTP/1.1\" 200"))
                .isEqualTo(QuarantineReason.NOT_JSON);
        assertThat(reason("[1,2]")).isEqualTo(QuarantineReason.NOT_JSON);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":" + ms + ",\"status\":200} x"))
                .isEqualTo(QuarantineReason.NOT_JSON);
        assertThat(reason("{\"claim\":\"acme\",\"claim\":\"globex\",\"requestTimeEpoch\":" + ms + ",\"status\":200}"))
                .isEqualTo(QuarantineReason.NOT_JSON);
        assertThat(reason("{\"claim\":42,\"requestTimeEpoch\":" + ms + ",\"status\":200}"))
                .isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
        assertThat(reason("{\"claim\":\"ac\\uD800me\",\"requestTimeEpoch\":" + ms + ",\"status\":200}"))
                .isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
        assertThat(reason("{\"claim\":\"acme\",\"status\":200}")).isEqualTo(QuarantineReason.MISSING_TIMESTAMP);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":\"-\",\"status\":200}"))
                .isEqualTo(QuarantineReason.MISSING_TIMESTAMP);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":\"03/Oct/2026:12:01:07\",\"status\":200}"))
                .isEqualTo(QuarantineReason.UNPARSEABLE_TIMESTAMP);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":1.5,\"status\":200}"))
                .isEqualTo(QuarantineReason.UNPARSEABLE_TIMESTAMP);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":" + ms + "}")).isEqualTo(QuarantineReason.BAD_STATUS);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":" + ms + ",\"status\":\"-\"}"))
                .isEqualTo(QuarantineReason.BAD_STATUS);
        assertThat(reason("{\"claim\":\"acme\",\"requestTimeEpoch\":" + ms + ",\"status\":700}"))
                .isEqualTo(QuarantineReason.BAD_STATUS);
        // then the D1 rules themselves: the clock, retention, the account id's form
        assertThat(reason(AccessLogPayloads.line("acme", "-", NOW.plusSeconds(901), 200, "-", "200")))
                .isEqualTo(QuarantineReason.FUTURE_TIMESTAMP);
        assertThat(reason(AccessLogPayloads.line("acme", "-", NOW.minus(Duration.ofDays(200)), 200, "-", "200")))
                .isEqualTo(QuarantineReason.TOO_OLD);
        assertThat(reason(AccessLogPayloads.line("a".repeat(257), "-", AT, 200, "-", "200")))
                .isEqualTo(QuarantineReason.INVALID_ACCOUNT_ID);
    }

    @Test
    @DisplayName("a detail names the access-log field, never its value")
    void detailNeverQuotesValues() {
        RequestRecordParser.Rejected r = (RequestRecordParser.Rejected) count(
                "{\"claim\":\"secret-person@example.com\",\"requestTimeEpoch\":\"soon\",\"status\":200}");
        assertThat(r.detail()).isEqualTo("access-log requestTimeEpoch: not epoch milliseconds")
                .doesNotContain("secret").doesNotContain("soon");
    }

    @Test
    @DisplayName("unknown fields, nested or not, are ignored; the integration flags do not change the count")
    void unknownFieldsIgnored() {
        String line = "{\"requestId\":\"x\",\"nested\":{\"status\":999,\"a\":[1,{\"b\":2}]},\"claim\":\"acme\","
                + "\"requestTimeEpoch\":" + AT.toEpochMilli() + ",\"status\":200,\"responseType\":\"INTEGRATION_FAILURE\","
                + "\"integrationStatus\":\"500\",\"integrationError\":\"boom\"}";
        assertThat(count(line)).isEqualTo(
                new RequestRecordParser.Accepted("acme", INTERVAL, new IntervalCounts(1, 0, 0, 0)));
    }
}
