package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.eventbridge.Schedules;
import dev.slaledger.emulators.ScheduleExpression;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A schedule expression no code ever parsed is not shipped: every one the CDK app deploys parses here, and fires. */
class SchedulesParseTest {

    @Test
    @DisplayName("S7.2, S7.6: every expression of schedules.json parses and fires within a month")
    void everyDeployedExpressionParses() {
        Instant from = Instant.parse("2026-10-15T00:00:00Z");
        for (Schedules.Definition d : Schedules.all()) {
            ScheduleExpression e = ScheduleExpression.parse(d.expression());
            ZoneId zone = d.zone(ZoneId.of("Asia/Shanghai")).orElse(ZoneId.of("UTC"));
            assertThat(e.firings(from, zone, from, from.plusSeconds(31L * 86_400))).as(d.name()).isNotEmpty();
        }
    }
}
