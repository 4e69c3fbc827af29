package dev.slaledger.adapter.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The shared rule and schedule definitions, as the adapter reads them (their expressions parse in tooling/emulators). */
class SchedulesTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    @DisplayName("S7.2, S7.6: the shared schedule definitions parse, and each names its target and zone")
    void sharedDefinitions() {
        Map<String, Schedules.Definition> byName = Schedules.all().stream()
                .collect(Collectors.toMap(Schedules.Definition::name, d -> d));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("MonthEndSchedule", "RestatementSchedule",
                "NotifierSchedule", "ForecastSchedule", "OutboxSweepSchedule");
        assertThat(byName.get("ForecastSchedule").expression()).isEqualTo("cron(0 2 * * ? *)"); // S9.8, daily
        assertThat(byName.get("ForecastSchedule").zone(SHANGHAI)).contains(SHANGHAI);
        assertThat(byName.get("RestatementSchedule").expression()).isEqualTo("cron(0 3 * * ? *)");
        assertThat(byName.get("RestatementSchedule").zone(SHANGHAI)).contains(SHANGHAI);
        assertThat(byName.get("OutboxSweepSchedule").zone(SHANGHAI)).isEmpty();
        assertThat(byName.get("OutboxSweepSchedule").expression()).isEqualTo("rate(5 minutes)");
        assertThat(Schedules.all().stream().map(Schedules.Definition::target).toList())
                .containsExactly("month-end", "restatement", "notifier", "forecast", "outbox-sweep");
        assertThat(EventRules.all().stream().map(EventRules.Rule::name).toList())
                .isEqualTo(List.of(EventRules.BILLING_EVENTS, EventRules.TERMS_PUBLISHED, EventRules.BILLING_OUTBOUND,
                        EventRules.NOTICE_STATEMENT_EVENTS, EventRules.NOTICE_BILLING_EVENTS));
    }
}
