package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Scheduler expressions the local runtime fires on its simulated clock, evaluated as Scheduler does (S1.4). */
class ScheduleExpressionTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    @DisplayName("S1.4: the month-end fires at 00:30 on the 1st in the terms' zone (UTC+8: 16:30 UTC the day before)")
    void monthEndInTermsZone() {
        ScheduleExpression monthEnd = ScheduleExpression.parse("cron(30 0 1 * ? *)");
        assertThat(monthEnd.firings(at("2026-01-01T00:00:00Z"), SHANGHAI, at("2026-10-15T00:00:00Z"),
                at("2027-01-15T00:00:00Z")))
                .containsExactly(at("2026-10-31T16:30:00Z"), at("2026-11-30T16:30:00Z"), at("2026-12-31T16:30:00Z"));
    }

    @Test
    @DisplayName("S1.4: the daily 03:00 restatement follows the zone's DST (New York: 08:00 UTC in winter, 07:00 UTC in summer)")
    void restatementAcrossDst() {
        ScheduleExpression daily = ScheduleExpression.parse("cron(0 3 * * ? *)");
        assertThat(daily.firings(Instant.EPOCH, NEW_YORK, at("2026-03-06T12:00:00Z"), at("2026-03-09T12:00:00Z")))
                .containsExactly(at("2026-03-07T08:00:00Z"), at("2026-03-08T07:00:00Z"), at("2026-03-09T07:00:00Z"));
        assertThat(daily.firings(Instant.EPOCH, NEW_YORK, at("2026-10-30T12:00:00Z"), at("2026-11-01T12:00:00Z")))
                .containsExactly(at("2026-10-31T07:00:00Z"), at("2026-11-01T08:00:00Z")); // back at 02:00 that day
    }

    @Test
    @DisplayName("a local time skipped by clocks going forward does not fire that day; one repeated by clocks going back fires once, at its first occurrence")
    void dstGapAndOverlap() {
        ScheduleExpression twoThirty = ScheduleExpression.parse("cron(30 2 * * ? *)");
        // Berlin, 2026-03-29: 02:00 -> 03:00, no 02:30 that day
        assertThat(twoThirty.firings(Instant.EPOCH, BERLIN, at("2026-03-27T12:00:00Z"), at("2026-03-30T12:00:00Z")))
                .containsExactly(at("2026-03-28T01:30:00Z"), at("2026-03-30T00:30:00Z"));
        // Berlin, 2026-10-25: 03:00 -> 02:00, 02:30 happens at 00:30 UTC (+02:00) and at 01:30 UTC (+01:00)
        assertThat(twoThirty.firings(Instant.EPOCH, BERLIN, at("2026-10-24T12:00:00Z"), at("2026-10-26T12:00:00Z")))
                .containsExactly(at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z"));
    }

    @Test
    @DisplayName("a rate counts elapsed time from the schedule's start: a day is 24 hours, also across DST")
    void rateFromStart() {
        ScheduleExpression five = ScheduleExpression.parse("rate(5 minutes)");
        Instant start = at("2026-11-01T00:02:00Z");
        assertThat(five.rate()).contains(Duration.ofMinutes(5));
        assertThat(five.firings(start, null, at("2026-11-01T00:00:00Z"), at("2026-11-01T00:12:00Z")))
                .containsExactly(start, at("2026-11-01T00:07:00Z"), at("2026-11-01T00:12:00Z"));
        assertThat(five.firings(start, null, start, at("2026-11-01T01:02:00Z"))).hasSize(12);
        ScheduleExpression daily = ScheduleExpression.parse("rate(1 day)");
        assertThat(daily.firings(at("2026-03-07T12:00:00Z"), NEW_YORK, at("2026-03-07T12:00:00Z"),
                at("2026-03-09T12:00:00Z")))
                .containsExactly(at("2026-03-08T12:00:00Z"), at("2026-03-09T12:00:00Z"));
    }

    @Test
    @DisplayName("day-of-week names, ranges, lists and steps as AWS writes them (1 = Sunday)")
    void fields() {
        ScheduleExpression weekdays = ScheduleExpression.parse("cron(0/20 9,17 ? JAN-MAR MON-FRI 2026-2027)");
        // 2026-01-02 is a Friday, 01-03/04 the weekend
        assertThat(weekdays.firings(Instant.EPOCH, ZoneId.of("UTC"), at("2026-01-02T16:59:00Z"),
                at("2026-01-05T09:00:00Z")))
                .containsExactly(at("2026-01-02T17:00:00Z"), at("2026-01-02T17:20:00Z"), at("2026-01-02T17:40:00Z"),
                        at("2026-01-05T09:00:00Z"));
        ScheduleExpression sundays = ScheduleExpression.parse("cron(0 0 ? * 1 *)");
        assertThat(sundays.nextAfter(at("2026-11-27T00:00:00Z"), ZoneId.of("UTC"))).contains(at("2026-11-29T00:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2020)").nextAfter(at("2026-01-01T00:00:00Z"),
                ZoneId.of("UTC"))).isEmpty();
    }

    @Test
    @DisplayName("what Scheduler would refuse is refused with the expression and the reason")
    void refusals() {
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 1 * * *)")).hasMessageContaining("'?'");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 1 * ?)")).hasMessageContaining("6 fields");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(60 0 1 * ? *)"))
                .hasMessageStartingWith("cron(60 0 1 * ? *): ").hasMessageContaining("60");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 ? * 8 *)")).hasMessageStartingWith("cron(0 0 ? * 8 *): ");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(1 minutes)")).hasMessageContaining("plural");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(0 minutes)")).hasMessageContaining("positive");
        assertThatThrownBy(() -> ScheduleExpression.parse("at(2026-11-01T00:00:00)")).hasMessageContaining("not a cron");
    }

    @Test
    @DisplayName("L, W and # as EventBridge reads them: the last day, the nearest weekday, the n-th weekday of the month")
    void lastWeekdayAndHash() {
        ZoneId utc = ZoneId.of("UTC");
        ScheduleExpression lastDay = ScheduleExpression.parse("cron(0 12 L * ? *)");
        assertThat(lastDay.firings(Instant.EPOCH, utc, at("2026-01-31T13:00:00Z"), at("2026-04-30T12:00:00Z")))
                .containsExactly(at("2026-02-28T12:00:00Z"), at("2026-03-31T12:00:00Z"), at("2026-04-30T12:00:00Z"));
        // 2026-11-01 is a Sunday: the weekday nearest the 1st within the month is Monday the 2nd
        assertThat(ScheduleExpression.parse("cron(0 9 1W * ? *)").nextAfter(at("2026-10-31T00:00:00Z"), utc))
                .contains(at("2026-11-02T09:00:00Z"));
        // the first Monday (2 = Monday) of November 2026 is the 2nd; the third Friday (6#3) the 20th
        assertThat(ScheduleExpression.parse("cron(0 9 ? * 2#1 *)").nextAfter(at("2026-10-31T00:00:00Z"), utc))
                .contains(at("2026-11-02T09:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 9 ? * 6#3 *)").nextAfter(at("2026-11-01T00:00:00Z"), utc))
                .contains(at("2026-11-20T09:00:00Z"));
        // the last Friday (6L) of November 2026 is the 27th
        assertThat(ScheduleExpression.parse("cron(0 9 ? * 6L *)").nextAfter(at("2026-11-01T00:00:00Z"), utc))
                .contains(at("2026-11-27T09:00:00Z"));
    }
}
