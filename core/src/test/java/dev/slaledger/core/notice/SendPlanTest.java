package dev.slaledger.core.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.SendingQuota.Quota;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendPlanTest {
    private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");

    private static SendPlan plan(String rate, long max24, long sent, Optional<BigDecimal> capRate,
            Optional<Long> capDaily, long ours) {
        return SendPlan.of(new Quota(new BigDecimal(rate), max24, sent), capRate, capDaily, ours, NOW);
    }

    @Test
    @DisplayName("S9.3 SES's default quota (14/s, 50,000/24 h): slots at 90% of the rate (12.6/s, 79.4 ms apart),"
            + " 1,998 an hour, 47,952 a day (95.9% of the quota)")
    void defaultQuota() {
        SendPlan p = plan("14", 50_000, 0, Optional.empty(), Optional.empty(), 0);
        assertThat(p.ratePerSecond()).isEqualByComparingTo("12.6");
        assertThat(p.intervalMicros()).isEqualTo(79_366);
        assertThat(p.slack()).isEqualTo(27);
        assertThat(p.hourCap()).isEqualTo(1_998);
        assertThat(p.perDay()).isEqualTo(47_952);
        assertThat(p.perDay() * 100.0 / 50_000).as("S9.3 at least 90% of the quota").isGreaterThan(90);
        // 25 clock hours at the cap never exceed the quota, whatever window they fall in
        assertThat(SendPlan.WINDOW_HOURS * p.hourCap() + p.slack()).isLessThanOrEqualTo(50_000);
    }

    @Test
    @DisplayName("S9.3 a configured cap below the quota wins; one above it does not")
    void caps() {
        SendPlan capped = plan("14", 50_000, 0, Optional.of(new BigDecimal("5")), Optional.of(10_000L), 0);
        assertThat(capped.ratePerSecond()).isEqualByComparingTo("5");
        assertThat(capped.intervalMicros()).isEqualTo(200_000);
        assertThat(capped.daily()).isEqualTo(10_000);
        assertThat(capped.hourCap()).isEqualTo((10_000 - 11) / 25);
        SendPlan above = plan("14", 50_000, 0, Optional.of(new BigDecimal("100")), Optional.of(90_000L), 0);
        assertThat(above.ratePerSecond()).isEqualByComparingTo("12.6");
        assertThat(above.daily()).isEqualTo(50_000);
    }

    @Test
    @DisplayName("S9.3 what others sent in the last 24 hours (SES's count minus ours) is kept free")
    void others() {
        SendPlan p = plan("14", 50_000, 30_000, Optional.empty(), Optional.empty(), 20_000);
        assertThat(p.others()).isEqualTo(10_000);
        assertThat(p.hourCap()).isEqualTo((50_000 - 10_000 - 27) / 25);
    }

    @Test
    @DisplayName("S9.3 an unlimited 24-hour quota is bounded by the rate; no quota (sending disabled) sends nothing")
    void unlimitedAndNone() {
        SendPlan unlimited = plan("2", Long.MAX_VALUE, 0, Optional.empty(), Optional.empty(), 0);
        assertThat(unlimited.hourCap()).isEqualTo(6_480); // 1.8 a second, 90% of 2

        SendPlan none = plan("0", 0, 0, Optional.empty(), Optional.empty(), 0);
        assertThat(none.hourCap()).isZero();
        assertThat(none.perDay()).isZero();
    }

    @Test
    @DisplayName("S9.3 the schedule keeps a margin under SES's maximum send rate: a send reaches SES a request or two after"
            + " its slot, so slots at exactly the rate let SES count one more in a second now and then (the rehearsal"
            + " saw 344 throttled at 100,000 accounts); at 90% any 15 slots span 1.11 s at 14/s")
    void marginUnderTheMaximumRate() {
        SendPlan p = plan("14", 50_000, 0, Optional.empty(), Optional.empty(), 0);
        assertThat(SendPlan.RATE_SHARE).isEqualByComparingTo("0.9");
        assertThat(p.intervalMicros() * 14).as("the span of 15 consecutive slots, µs").isGreaterThanOrEqualTo(1_110_000);
        // a configured cap at the quota gets the same margin; one below the margin is used as it is
        assertThat(plan("14", 50_000, 0, Optional.of(new BigDecimal("14")), Optional.empty(), 0).ratePerSecond())
                .isEqualByComparingTo("12.6");
        assertThat(plan("14", 50_000, 0, Optional.of(new BigDecimal("10")), Optional.empty(), 0).ratePerSecond())
                .isEqualByComparingTo("10");
        // the daily pace is not lowered: the hour's share needs 159 s at 12.6 a second
        assertThat(p.hourCap() * p.intervalMicros()).isLessThan(3_600_000_000L);
    }
}
