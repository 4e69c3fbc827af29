package dev.slaledger.core.notice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NoticeFeasibilityTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant PUBLISHED = Instant.parse("2026-11-02T09:30:00Z");

    @Test
    @DisplayName("S9.4 1,000,000 notices at SES's default quota (1,998 an hour) take 21 days from the next hour; with the spare day (Nov 24) and 30 days of notice the earliest effectiveFrom is 2026-12-24")
    void millionAccounts() {
        NoticeFeasibility f = NoticeFeasibility.check(LocalDate.parse("2027-01-01"), 30, UTC, PUBLISHED, 1_000_000,
                1_998);
        // 1,000,000 / 1,998 = 501 hours from 10:00 on Nov 2: the last hour starts Nov 23 06:00
        assertThat(f.lastNoticeOn()).contains(LocalDate.parse("2026-11-23"));
        assertThat(f.earliestEffectiveFrom()).contains(LocalDate.parse("2026-12-24"));
        assertThat(f.feasible()).isTrue();
        assertThat(NoticeFeasibility.check(LocalDate.parse("2026-12-23"), 30, UTC, PUBLISHED, 1_000_000, 1_998)
                .feasible()).isFalse();
    }

    @Test
    @DisplayName("S9.4 nothing to send: S6.1's date; a few notices: still the spare day; no quota: no date")
    void edges() {
        assertThat(NoticeFeasibility.check(LocalDate.parse("2026-12-02"), 30, UTC, PUBLISHED, 0, 1_998)
                .earliestEffectiveFrom()).contains(LocalDate.parse("2026-12-02"));
        NoticeFeasibility few = NoticeFeasibility.check(LocalDate.parse("2026-12-02"), 30, UTC, PUBLISHED, 10, 1_998);
        assertThat(few.lastNoticeOn()).contains(LocalDate.parse("2026-11-02"));
        assertThat(few.earliestEffectiveFrom()).contains(LocalDate.parse("2026-12-03"));
        assertThat(few.feasible()).isFalse();
        NoticeFeasibility none = NoticeFeasibility.check(LocalDate.parse("2030-01-01"), 30, UTC, PUBLISHED, 10, 0);
        assertThat(none.feasible()).isFalse();
        assertThat(none.earliestEffectiveFrom()).isEmpty();
    }

    @Test
    @DisplayName("S9.4 S1.4 the days are the version's: a last send late in the UTC day is the next day in Asia/Shanghai")
    void zone() {
        // 1,998 x 14 hours from 10:00 UTC: the last hour is 23:00 UTC = 07:00 the next day in Shanghai
        NoticeFeasibility f = NoticeFeasibility.check(LocalDate.parse("2027-01-01"), 30, ZoneId.of("Asia/Shanghai"),
                PUBLISHED, 1_998L * 14, 1_998);
        assertThat(f.lastNoticeOn()).contains(LocalDate.parse("2026-11-03"));
        assertThat(f.earliestEffectiveFrom()).contains(LocalDate.parse("2026-12-04"));
    }
}
