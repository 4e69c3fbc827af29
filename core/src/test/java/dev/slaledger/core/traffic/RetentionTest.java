package dev.slaledger.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.claim.ClaimWindow;
import dev.slaledger.core.terms.ClaimRules;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionTest {
    private static final Duration MARGIN = Retention.DEFAULT_MARGIN;

    private static TermsVersion terms(String version, ZoneId zone, int closesMonthsAfterPeriodEnd) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated(version, d.effectiveFrom(), zone, d.commitment(), d.tiers(), d.capPercent(),
                new ClaimRules(d.claim().opensAfterWorkingDays(), closesMonthsAfterPeriodEnd), d.noticeDays(),
                d.holidays());
    }

    @Test
    @DisplayName("S7.4 default terms: October's inputs are kept until its window closed at UTC-12 (2027-01-01T12:00Z) plus 92 days")
    void defaultTerms() {
        Retention r = Retention.fromTerms(List.of(DefaultTerms.version()), MARGIN);
        assertThat(r.claimMonths()).isEqualTo(2);
        assertThat(r.claimWindowsClosed(YearMonth.of(2026, 10))).isEqualTo(Instant.parse("2027-01-01T12:00:00Z"));
        assertThat(r.keepUntil(YearMonth.of(2026, 10))).isEqualTo(Instant.parse("2027-04-03T12:00:00Z"));
    }

    @Test
    @DisplayName("S7.4 the longest closesMonthsAfterPeriodEnd of any published version counts; the default terms are a floor")
    void longestVersionCounts() {
        assertThat(Retention.fromTerms(List.of(DefaultTerms.version(), terms("v6", ZoneOffset.UTC, 6),
                terms("v3", ZoneOffset.UTC, 3)), MARGIN).claimMonths()).isEqualTo(6);
        assertThat(Retention.fromTerms(List.of(terms("v1", ZoneOffset.UTC, 1)), MARGIN).claimMonths()).isEqualTo(2);
        assertThat(Retention.fromTerms(List.of(), MARGIN).claimMonths()).isEqualTo(2);
    }

    @ParameterizedTest(name = "S7.4 S5.1 closesMonthsAfterPeriodEnd {0}: every month's inputs outlive its claim window in every zone by the margin")
    @ValueSource(ints = {1, 2, 6, 120})
    void outlivesEveryWindow(int months) {
        Retention r = Retention.of(months, MARGIN);
        for (String zone : List.of("Etc/GMT+12", "Pacific/Pago_Pago", "America/Los_Angeles", "UTC", "Europe/Berlin",
                "Asia/Shanghai", "Asia/Kathmandu", "Pacific/Kiritimati")) {
            TermsVersion t = terms("z", ZoneId.of(zone), months);
            for (YearMonth m = YearMonth.of(2026, 1); m.isBefore(YearMonth.of(2028, 1)); m = m.plusMonths(1)) {
                Instant closes = ClaimWindow.forMonth(t, m).closesAt().toInstant();
                assertThat(r.keepUntil(m)).as("%s %s", zone, m).isAfterOrEqualTo(closes.plus(MARGIN));
            }
        }
    }

    @Test
    @DisplayName("S7.4 an interval's aggregate outlives every month it can count in (UTC-12 to UTC+14); a month edge interval takes the later month")
    void intervalOutlivesItsMonths() {
        Retention r = Retention.of(2, MARGIN);
        long edge = Instant.parse("2026-06-30T13:00:00Z").getEpochSecond(); // June at UTC-12, July at UTC+14
        assertThat(Retention.earliestMonth(edge)).isEqualTo(YearMonth.of(2026, 6));
        assertThat(Retention.latestMonth(edge)).isEqualTo(YearMonth.of(2026, 7));
        assertThat(r.expiresAt(edge)).isEqualTo(r.keepUntil(YearMonth.of(2026, 7)).getEpochSecond());

        Random rnd = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            long interval = Math.floorDiv(1_700_000_000L + (long) (rnd.nextDouble() * 200_000_000L), 300) * 300;
            for (int offset = -12; offset <= 14; offset++) {
                YearMonth m = YearMonth.from(LocalDateTime.ofEpochSecond(interval, 0, ZoneOffset.ofHours(offset)));
                assertThat(r.expiresAt(interval)).isGreaterThanOrEqualTo(r.keepUntil(m).getEpochSecond());
            }
        }
    }

    @ParameterizedTest(name = "S7.4 closesMonthsAfterPeriodEnd {0}: TOO_OLD exactly when some month of the interval may have lost aggregates; an accepted record never expires at once")
    @ValueSource(ints = {1, 2, 6})
    void tooOldMatchesTheDefinition(int months) {
        Retention r = Retention.of(months, MARGIN);
        Random rnd = new Random(months);
        for (int n = 0; n < 20_000; n++) {
            Instant now = Instant.ofEpochSecond(1_750_000_000L + (long) (rnd.nextDouble() * 100_000_000L));
            long oldest = r.oldestIntervalStart(now);
            assertThat(Math.floorMod(oldest, 300)).isZero();
            // around the cutoff and anywhere in the last year
            long interval = rnd.nextBoolean()
                    ? oldest + 300L * (rnd.nextInt(600) - 300)
                    : Math.floorDiv(now.getEpochSecond() - (long) (rnd.nextDouble() * 400 * 86_400L), 300) * 300;
            boolean byDefinition = !now.isBefore(r.keepUntil(Retention.earliestMonth(interval)));
            assertThat(r.tooOld(interval, now)).as("%s at %s", Instant.ofEpochSecond(interval), now)
                    .isEqualTo(byDefinition);
            if (!r.tooOld(interval, now)) {
                assertThat(r.expiresAt(interval)).isGreaterThan(now.getEpochSecond());
            }
        }
    }

    @Test
    @DisplayName("S7.4 at the instant March may have lost its first aggregates, every March interval is too old, April's are not")
    void cutoffIsAMonthStart() {
        Retention r = Retention.of(2, MARGIN);
        Instant marchGone = r.keepUntil(YearMonth.of(2026, 3));
        assertThat(marchGone).isEqualTo(Instant.parse("2026-06-01T12:00:00Z").plus(MARGIN));
        long aprilStartWest = Instant.parse("2026-04-01T12:00:00Z").getEpochSecond();
        assertThat(r.oldestIntervalStart(marchGone)).isEqualTo(aprilStartWest);
        assertThat(r.oldestIntervalStart(marchGone.minusNanos(1)))
                .isEqualTo(Instant.parse("2026-03-01T12:00:00Z").getEpochSecond());
        assertThat(r.tooOld(aprilStartWest - 300, marchGone)).isTrue(); // 11:55Z on April 1st: March at UTC-12
        assertThat(r.tooOld(aprilStartWest, marchGone)).isFalse();
    }
}
