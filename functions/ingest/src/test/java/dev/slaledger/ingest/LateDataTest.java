package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LateDataTest {
    private static long at(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    @DisplayName("S1.4 an interval near a month edge belongs to either month depending on the terms' zone")
    void monthsOfAnInterval() {
        assertThat(LateData.monthsOf(at("2026-10-15T12:00:00Z"))).containsExactly(YearMonth.of(2026, 10));
        assertThat(LateData.monthsOf(at("2026-10-31T10:00:00Z"))).containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 11));
        assertThat(LateData.monthsOf(at("2026-10-31T09:55:00Z"))).containsExactly(YearMonth.of(2026, 10));
        assertThat(LateData.monthsOf(at("2026-11-01T11:55:00Z"))).containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 11));
        assertThat(LateData.monthsOf(at("2026-11-01T12:00:00Z"))).containsExactly(YearMonth.of(2026, 11));
    }

    @Test
    @DisplayName("Issue 3.5 a month may have a statement from the moment it has ended at UTC+14")
    void mayHaveStatement() {
        assertThat(LateData.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T09:59:59Z"))).isFalse();
        assertThat(LateData.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T10:00:00Z"))).isTrue();
        assertThat(LateData.mayHaveStatement(YearMonth.of(2026, 9), Instant.parse("2026-10-03T12:10:00Z"))).isTrue();
    }
}
