package dev.slaledger.adapter.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
    @DisplayName("what Scheduler would refuse, or what this evaluator does not implement, is refused with the reason")
    void refusals() {
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 1 * * *)")).hasMessageContaining("'?'");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 L * ? *)")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 1 * ?)")).hasMessageContaining("6 fields");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(60 0 1 * ? *)")).hasMessageContaining("outside 0-59");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(1 minutes)")).hasMessageContaining("plural");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(0 minutes)")).hasMessageContaining("positive");
        assertThatThrownBy(() -> ScheduleExpression.parse("at(2026-11-01T00:00:00)")).hasMessageContaining("not a cron");
    }

    @Test
    @DisplayName("S7.2, S7.6: the shared schedule definitions parse, and each names its target and zone")
    void sharedDefinitions() {
        Map<String, Schedules.Definition> byName = Schedules.all().stream()
                .collect(Collectors.toMap(Schedules.Definition::name, d -> d));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("MonthEndSchedule", "RestatementSchedule",
                "NotifierSchedule", "OutboxSweepSchedule");
        assertThat(byName.get("RestatementSchedule").expression()).isEqualTo("cron(0 3 * * ? *)");
        assertThat(byName.get("RestatementSchedule").zone(SHANGHAI)).contains(SHANGHAI);
        assertThat(byName.get("OutboxSweepSchedule").zone(SHANGHAI)).isEmpty();
        assertThat(byName.get("OutboxSweepSchedule").parsed().isRate()).isTrue();
        assertThat(Schedules.all().stream().map(Schedules.Definition::target).toList())
                .containsExactly("month-end", "restatement", "notifier", "outbox-sweep");
        assertThat(EventRules.all().stream().map(EventRules.Rule::name).toList())
                .isEqualTo(List.of(EventRules.BILLING_EVENTS, EventRules.TERMS_PUBLISHED, EventRules.BILLING_OUTBOUND));
    }
}
