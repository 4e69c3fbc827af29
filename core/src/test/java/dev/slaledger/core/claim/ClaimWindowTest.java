package dev.slaledger.core.claim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.terms.ClaimRules;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.HolidayRules;
import dev.slaledger.core.terms.TermsVersion;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimWindowTest {

    private static Set<LocalDate> dates(String list) {
        return list == null || list.isBlank() ? Set.of()
                : Arrays.stream(list.split(" ")).map(LocalDate::parse).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "S5.1/S5.2 {0}: period {4} in {1}, holidays {2} +{3} -{5} -> [{6}, {7})")
    @CsvSource(delimiter = '|', textBlock = """
        1st of M+1 on a Sunday (D3 example)    | Asia/Shanghai |    |            | 2026-10 |            | 2026-11-09T00:00+08:00 | 2027-01-01T00:00+08:00
        same in UTC                            | UTC           |    |            | 2026-10 |            | 2026-11-09T00:00Z      | 2027-01-01T00:00Z
        1st of M+1 on a Thursday               | UTC           |    |            | 2026-09 |            | 2026-10-08T00:00Z      | 2026-12-01T00:00Z
        1st of M+1 on a Saturday               | UTC           |    |            | 2026-07 |            | 2026-08-10T00:00Z      | 2026-10-01T00:00Z
        DE May 1 (Friday) in the first week    | Europe/Berlin | DE |            | 2026-04 |            | 2026-05-11T00:00+02:00 | 2026-07-01T00:00+02:00
        same week without a holiday calendar   | Europe/Berlin |    |            | 2026-04 |            | 2026-05-08T00:00+02:00 | 2026-07-01T00:00+02:00
        DE New Year (Friday), across the year  | Europe/Berlin | DE |            | 2026-12 |            | 2027-01-11T00:00+01:00 | 2027-03-01T00:00+01:00
        US Labor Day (Mon Sep 7)               | UTC           | US |            | 2026-08 |            | 2026-09-09T00:00Z      | 2026-11-01T00:00Z
        an extra holiday (Wed Nov 4)           | Asia/Shanghai |    | 2026-11-04 | 2026-10 |            | 2026-11-10T00:00+08:00 | 2027-01-01T00:00+08:00
        a make-up working day on Sunday Nov 1  | Asia/Shanghai |    |            | 2026-10 | 2026-11-01 | 2026-11-06T00:00+08:00 | 2027-01-01T00:00+08:00
        a make-up working day on Saturday      | UTC           |    |            | 2026-07 | 2026-08-01 | 2026-08-07T00:00Z      | 2026-10-01T00:00Z
        a make-up day overrides a DE holiday   | Europe/Berlin | DE |            | 2026-04 | 2026-05-01 | 2026-05-08T00:00+02:00 | 2026-07-01T00:00+02:00
        leap February, closes end of April     | UTC           |    |            | 2028-02 |            | 2028-03-08T00:00Z      | 2028-05-01T00:00Z
        closes in summer time (CEST)           | Europe/Berlin |    |            | 2026-02 |            | 2026-03-09T00:00+01:00 | 2026-05-01T00:00+02:00
        """)
    @DisplayName("S5.1 the window opens at 00:00 of the 6th working day of M+1, closes at 00:00 of the 1st of M+3")
    void window(String why, String zone, String country, String extraHolidays, String month, String extraWorkingDays,
            String opensAt, String closesAt) {
        TermsVersion terms = Fixtures.withCalendar(zone,
                new HolidayRules(Optional.ofNullable(country), dates(extraHolidays), dates(extraWorkingDays)));
        ClaimWindow w = ClaimWindow.forMonth(terms, YearMonth.parse(month));
        assertThat(w.opensAt().toOffsetDateTime().toString()).isEqualTo(opensAt);
        assertThat(w.closesAt().toOffsetDateTime().toString()).isEqualTo(closesAt);
    }

    @Test
    @DisplayName("S5.1 opensAt is the first instant a claim is accepted, closesAt the first instant it is not")
    void edges() {
        ClaimWindow w = ClaimWindow.forMonth(DefaultTerms.version(), YearMonth.of(2026, 10));
        assertThat(w.isTooEarly(w.opensAt().toInstant().minusNanos(1))).isTrue();
        assertThat(w.isTooEarly(w.opensAt().toInstant())).isFalse();
        assertThat(w.isTooLate(w.closesAt().toInstant().minusNanos(1))).isFalse();
        assertThat(w.isTooLate(w.closesAt().toInstant())).isTrue();
    }

    @ParameterizedTest(name = "S5.1 opensAfterWorkingDays {0}, closesMonthsAfterPeriodEnd {1}: [{2}, {3})")
    @CsvSource({
        "0,  1, 2026-11-02T00:00Z, 2026-12-01T00:00Z",
        "5,  2, 2026-11-09T00:00Z, 2027-01-01T00:00Z",
        "20, 3, 2026-11-30T00:00Z, 2027-02-01T00:00Z",
    })
    @DisplayName("S5.1 the window's working days and months are terms data, not constants")
    void customRules(int opensAfter, int closesMonths, String opensAt, String closesAt) {
        TermsVersion d = DefaultTerms.version();
        TermsVersion terms = TermsVersion.validated("custom", d.effectiveFrom(), d.timeZone(), d.commitment(),
                d.tiers(), d.capPercent(), new ClaimRules(opensAfter, closesMonths), d.noticeDays(), d.holidays());
        ClaimWindow w = ClaimWindow.forMonth(terms, YearMonth.of(2026, 10));
        assertThat(w.opensAt().toOffsetDateTime()).hasToString(opensAt);
        assertThat(w.closesAt().toOffsetDateTime()).hasToString(closesAt);
    }
}
