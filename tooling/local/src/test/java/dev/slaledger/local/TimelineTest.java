package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.terms.DefaultTerms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimelineTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static List<Timeline.Event> read(Path dir, String... lines) throws Exception {
        Path file = dir.resolve("t.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return Timeline.read(file, DefaultTerms.version());
    }

    private static String claim(String at, String account) {
        return "{\"at\":\"" + at + "\",\"type\":\"Claim\",\"data\":{\"accountId\":\"" + account
                + "\",\"month\":\"2026-10\"}}";
    }

    @Test
    @DisplayName("D6: events run in at order; events at the same instant keep their file order; blank lines skipped")
    void order(@TempDir Path dir) throws Exception {
        List<Timeline.Event> events = read(dir,
                claim("2026-11-12T10:00:00Z", "b"),
                "",
                claim("2026-11-09T10:00:00Z", "a"),
                claim("2026-11-12T10:00:00Z", "c"),
                "{\"at\":\"2026-11-10T12:00:00+01:00\",\"type\":\"Traffic\",\"data\":{\"anything\":1}}");
        assertThat(events).extracting(e -> e.line() + " " + e.type()).containsExactly(
                "3 Claim", "5 Traffic", "1 Claim", "4 Claim");
        assertThat(events.get(1).at()).isEqualTo(Instant.parse("2026-11-10T11:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                                                             | not JSON
            [1,2]                                                                | an event must be a JSON object
            {"at":"2026-11-09T10:00:00Z","type":"Claim","data":{"accountId":"a","month":"2026-10"},"x":1} | unknown field "x"
            {"at":"2026-11-09","type":"Claim","data":{"accountId":"a","month":"2026-10"}}  | at must be an ISO-8601 instant
            {"type":"Claim","data":{"accountId":"a","month":"2026-10"}}          | at is missing
            {"at":"2026-11-09T10:00:00Z","type":"Refund","data":{}}              | type must be one of SubscriptionPurchased
            {"at":"2026-11-09T10:00:00Z","type":"Claim","data":[1]}              | Claim: data must be a JSON object
            {"at":"2026-11-09T10:00:00Z","type":"Claim","data":{"accountId":"a","month":"2026-13"}} | Claim: data.month must be
            {"at":"2026-11-09T10:00:00Z","type":"Claim","data":{"accountId":"a b","month":"2026-10"}} | Claim: data.accountId must be an account id
            {"at":"2026-11-09T10:00:00Z","type":"MonthEnd","data":{"month":"2026-10","x":1}} | MonthEnd: unknown field data.x
            {"at":"2026-11-09T10:00:00Z","type":"FeeAssessed","data":{"billingId":"f","billingVersion":1,"accountId":"a","month":"2026-10","amount":"x","voucherPaid":"0","currency":"EUR"}} | FeeAssessed refused by the accounts function's parser: detail.amount
            {"at":"2026-11-09T10:00:00Z","type":"MaintenanceWindowRecorded","data":{"id":"w","start":"2026-10-12T05:00:00Z","end":"2026-10-12T01:00:00Z","announcedAt":"2026-10-05T09:00:00Z"}} | MaintenanceWindowRecorded: the maintenance-window handler would answer 400: end
            {"at":"2026-11-09T10:00:00Z","type":"TermsPublished","data":{"version":"x"}} | TermsPublished: not a D5 terms version
            {"at":"2026-11-09T10:00:00Z","at":"2026-11-10T10:00:00Z","type":"MonthEnd","data":{"month":"2026-10"}} | not JSON: Duplicate field 'at'
            """)
    @DisplayName("D6: a malformed line is refused with one line naming the file, the line and what is wrong")
    void malformed(String line, String expected, @TempDir Path dir) {
        assertThatThrownBy(() -> read(dir, claim("2026-11-09T10:00:00Z", "ok"), line))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(dir.resolve("t.jsonl") + " line 2: ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    @DisplayName("D6: a billing event becomes the EventBridge envelope the accounts function receives")
    void envelope(@TempDir Path dir) throws Exception {
        Timeline.Event e = read(dir, "{\"at\":\"2026-11-12T09:00:00Z\",\"type\":\"FeeAssessed\",\"data\":"
                + "{\"billingId\":\"fee_acme_2026-10\",\"billingVersion\":1,\"accountId\":\"acme\",\"month\":\"2026-10\","
                + "\"amount\":\"1000.00\",\"voucherPaid\":\"0.00\",\"currency\":\"EUR\"}}").get(0);
        assertThat(e.billingEnvelope()).isEqualTo("{\"version\":\"0\",\"id\":\"local-timeline-line-1\","
                + "\"detail-type\":\"FeeAssessed\",\"source\":\"billing\",\"account\":\"000000000000\","
                + "\"time\":\"2026-11-12T09:00:00Z\",\"region\":\"local\",\"resources\":[],\"detail\":"
                + "{\"billingId\":\"fee_acme_2026-10\",\"billingVersion\":1,\"accountId\":\"acme\",\"month\":\"2026-10\","
                + "\"amount\":\"1000.00\",\"voucherPaid\":\"0.00\",\"currency\":\"EUR\"}}");
    }

    @Test
    @DisplayName("D6: a D1 record arrives at its timestamp, a pre-aggregated one at its interval's end; unreadable: unknown")
    void arrival() {
        assertThat(Timeline.arrival("{\"accountId\":\"a\",\"timestamp\":\"2026-10-03T12:01:07.123Z\"}".getBytes()))
                .contains(Instant.parse("2026-10-03T12:01:07.123Z"));
        assertThat(Timeline.arrival("{\"accountId\":\"a\",\"intervalStart\":\"2026-10-31T23:55:00Z\"}".getBytes()))
                .contains(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(Timeline.arrival("not json".getBytes())).isEmpty();
        assertThat(Timeline.arrival("{\"accountId\":\"a\",\"timestamp\":\"yesterday\"}".getBytes())).isEmpty();
    }

    @Test
    @DisplayName("D6: the month-end at 00:30 on the 1st and restatement runs daily at 03:00, both in the terms' zone; "
            + "the run ends at the first restatement run after the last event")
    void scheduledPlan(@TempDir Path dir) throws Exception {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        List<Timeline.Event> events = read(dir, claim("2026-11-03T05:00:00Z", "a"));
        Timeline.Plan plan = Timeline.plan(OCTOBER, shanghai, events,
                List.of(Optional.of(Instant.parse("2026-09-30T16:05:00Z")), Optional.empty()), Optional.empty());
        assertThat(plan.monthEndScheduled()).isTrue();
        assertThat(plan.monthEnd()).as("2026-11-01 00:30 +08:00").isEqualTo(Instant.parse("2026-10-31T16:30:00Z"));
        assertThat(plan.restatements()).as("03:00 +08:00 = 19:00Z the day before").containsExactly(
                Instant.parse("2026-10-31T19:00:00Z"), Instant.parse("2026-11-01T19:00:00Z"),
                Instant.parse("2026-11-02T19:00:00Z"), Instant.parse("2026-11-03T19:00:00Z"));
        assertThat(plan.end()).isEqualTo(Instant.parse("2026-11-03T19:00:00Z"));
        assertThat(plan.start()).as("00:00 of October 1st in Shanghai").isEqualTo(Instant.parse("2026-09-30T16:00:00Z"));
    }

    @Test
    @DisplayName("D6: a MonthEnd for the month replaces the schedule; --now ends the run; an event after --now is refused")
    void monthEndEventAndNow(@TempDir Path dir) throws Exception {
        List<Timeline.Event> events = read(dir,
                "{\"at\":\"2026-11-02T08:00:00Z\",\"type\":\"MonthEnd\",\"data\":{\"month\":\"2026-10\"}}",
                claim("2026-11-09T10:00:00Z", "a"));
        Timeline.Plan plan = Timeline.plan(OCTOBER, ZoneOffset.UTC, events, List.of(),
                Optional.of(Instant.parse("2026-11-05T03:00:00Z")).map(i -> i.plusSeconds(7 * 86_400)));
        assertThat(plan.monthEndLine()).isEqualTo(1);
        assertThat(plan.monthEnd()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
        assertThat(plan.restatements()).hasSize(10).startsWith(Instant.parse("2026-11-03T03:00:00Z"))
                .endsWith(Instant.parse("2026-11-12T03:00:00Z"));
        assertThatThrownBy(() -> Timeline.plan(OCTOBER, ZoneOffset.UTC, events, List.of(),
                Optional.of(Instant.parse("2026-11-09T09:59:59Z"))))
                .isInstanceOf(InputException.class).hasMessageContaining("t.jsonl line 2: at 2026-11-09T10:00:00Z is after --now");
    }
}
