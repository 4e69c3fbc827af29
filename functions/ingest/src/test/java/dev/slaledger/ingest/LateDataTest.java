package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LateDataTest {
    private static long at(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    @DisplayName("S1.4 without terms, an interval near a month edge belongs to either month depending on the zone (UTC-12 to UTC+14)")
    void monthsOfAnInterval() {
        assertThat(LateData.ANY_ZONE.monthsOf(at("2026-10-15T12:00:00Z"))).containsExactly(YearMonth.of(2026, 10));
        assertThat(LateData.ANY_ZONE.monthsOf(at("2026-10-31T10:00:00Z"))).containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 11));
        assertThat(LateData.ANY_ZONE.monthsOf(at("2026-10-31T09:55:00Z"))).containsExactly(YearMonth.of(2026, 10));
        assertThat(LateData.ANY_ZONE.monthsOf(at("2026-11-01T11:55:00Z"))).containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 11));
        assertThat(LateData.ANY_ZONE.monthsOf(at("2026-11-01T12:00:00Z"))).containsExactly(YearMonth.of(2026, 11));
    }

    @Test
    @DisplayName("Issue 3.5 without terms, a month may have a statement from the moment it has ended at UTC+14")
    void mayHaveStatement() {
        assertThat(LateData.ANY_ZONE.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T09:59:59Z"))).isFalse();
        assertThat(LateData.ANY_ZONE.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T10:00:00Z"))).isTrue();
        assertThat(LateData.ANY_ZONE.mayHaveStatement(YearMonth.of(2026, 9), Instant.parse("2026-10-03T12:10:00Z"))).isTrue();
    }

    @Test
    @DisplayName("S1.4 / S7.1 with the terms' zones, an interval is in its month in each zone, and a month may have a statement once it has ended in one of them")
    void inTheTermsZones() {
        LateData utc = LateData.inZones(List.of(ZoneId.of("UTC")));
        assertThat(utc.monthsOf(at("2026-10-31T23:55:00Z"))).containsExactly(YearMonth.of(2026, 10));
        assertThat(utc.monthsOf(at("2026-11-01T00:00:00Z"))).containsExactly(YearMonth.of(2026, 11));
        assertThat(utc.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T23:59:59Z"))).isFalse();
        assertThat(utc.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-11-01T00:00:00Z"))).isTrue();
        // two versions in two zones: the union of both, the earlier end first
        LateData two = LateData.inZones(List.of(ZoneId.of("America/New_York"), ZoneId.of("Asia/Shanghai")));
        assertThat(two.monthsOf(at("2026-10-31T20:00:00Z"))).containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 11));
        assertThat(two.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T16:00:00Z"))).isTrue();
        assertThat(two.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-10-31T15:59:59Z"))).isFalse();
        // a zone with summer time: New York's November starts at 04:00 UTC (EDT until November 1st, 2026)
        LateData ny = LateData.inZones(List.of(ZoneId.of("America/New_York")));
        assertThat(ny.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-11-01T03:59:59Z"))).isFalse();
        assertThat(ny.mayHaveStatement(YearMonth.of(2026, 10), Instant.parse("2026-11-01T04:00:00Z"))).isTrue();
        assertThat(LateData.inZones(List.of())).isSameAs(LateData.ANY_ZONE);
    }

    @Test
    @DisplayName("S1.4 the months of consecutive and scattered intervals, kept between calls, equal the months computed afresh (month edges, summer time, three zones)")
    void cachedMonthsEqualFreshOnes() {
        List<ZoneId> zones = List.of(ZoneId.of("America/New_York"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("UTC"));
        LateData late = LateData.inZones(zones);
        java.util.SplittableRandom random = new java.util.SplittableRandom(27);
        long from = at("2026-10-25T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            long start = i < 10_000 ? from + 300L * i : from + 300L * random.nextLong(0, 40_000);
            java.util.TreeSet<YearMonth> fresh = new java.util.TreeSet<>();
            for (ZoneId zone : zones) {
                fresh.add(YearMonth.from(java.time.LocalDateTime.ofInstant(Instant.ofEpochSecond(start), zone)));
            }
            assertThat(late.monthsOf(start)).as("interval %s", Instant.ofEpochSecond(start)).containsExactlyElementsOf(fresh);
        }
    }
}
