package dev.slaledger.core.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.SendingQuota.Quota;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendSlotsTest {
    private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");
    /** A configured cap of 10 a second under a quota of 20 (the plan keeps its margin under SES's own rate). */
    private static final SendPlan TEN_PER_SECOND = SendPlan.of(new Quota(BigDecimal.valueOf(20), 1_000_000, 0),
            Optional.of(BigDecimal.TEN), Optional.empty(), 0, NOW);

    @Test
    @DisplayName("S9.3 slots are spaced by the interval from max(tat, now); none further than the horizon")
    void spacing() {
        long now = SendSlots.micros(NOW);
        SendSlots.Grant idle = (SendSlots.Grant) SendSlots.decide(TEN_PER_SECOND, 0, 0, 1, NOW);
        assertThat(idle.firstMicros()).isEqualTo(now);
        assertThat(idle.newTatMicros()).isEqualTo(now + 100_000);
        SendSlots.Grant busy = (SendSlots.Grant) SendSlots.decide(TEN_PER_SECOND, now + 500_000, 5, 3, NOW);
        assertThat(busy.firstMicros()).isEqualTo(now + 500_000);
        assertThat(busy.newTatMicros()).isEqualTo(now + 800_000);
        SendSlots.Decision far = SendSlots.decide(TEN_PER_SECOND, now + 2_500_000, 5, 1, NOW);
        assertThat(far).isEqualTo(new SendSlots.WaitUntil(now + 500_000));
    }

    @Test
    @DisplayName("S9.3 no clock hour grants more than the plan's hourly share")
    void hourFull() {
        long cap = TEN_PER_SECOND.hourCap();
        assertThat(SendSlots.decide(TEN_PER_SECOND, 0, cap - 1, 1, NOW)).isInstanceOf(SendSlots.Grant.class);
        assertThat(SendSlots.decide(TEN_PER_SECOND, 0, cap, 1, NOW))
                .isEqualTo(new SendSlots.HourFull(Instant.parse("2026-11-02T10:00:00Z")));
        assertThat(SendSlots.instant(SendSlots.micros(NOW.plusNanos(123_000)))).isEqualTo(NOW.plusNanos(123_000));
    }
}
