package dev.slaledger.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.terms.HolidayRules;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingDayCalendarTest {

    private static WorkingDayCalendar country(String code) {
        return WorkingDayCalendar.of(new HolidayRules(Optional.ofNullable(code), Set.of(), Set.of()));
    }

    @ParameterizedTest(name = "S5.2 {0} {1} ({2}) working day = {3}")
    @CsvSource(delimiter = '|', textBlock = """
           | 2026-05-01 | Friday, no holiday calendar       | true
        DE | 2026-05-01 | Friday, Labour Day                | false
        DE | 2026-05-02 | Saturday                          | false
        DE | 2026-05-03 | Sunday                            | false
        DE | 2026-05-04 | Monday                            | true
        DE | 2026-05-14 | Ascension Day                     | false
        DE | 2026-12-25 | Christmas, Friday                 | false
        DE | 2027-01-06 | Epiphany is not national          | true
        DE-BY | 2027-01-06 | Epiphany in Bavaria            | false
        US | 2026-09-07 | Labor Day                         | false
        US | 2026-11-26 | Thanksgiving                      | false
        US | 2026-11-27 | day after Thanksgiving            | true
        """)
    @DisplayName("S5.2 working days: Monday-Friday and not a public holiday of the terms' country")
    void workingDays(String country, String date, String what, boolean working) {
        assertThat(country(country).isWorkingDay(LocalDate.parse(date))).isEqualTo(working);
    }

    @Test
    @DisplayName("S5.2 extra holidays and extra (make-up) working days of the terms")
    void extraDays() {
        WorkingDayCalendar cal = WorkingDayCalendar.of(new HolidayRules(Optional.of("DE"),
                Set.of(LocalDate.of(2026, 5, 4)), Set.of(LocalDate.of(2026, 5, 2), LocalDate.of(2026, 5, 1))));
        assertThat(cal.isWorkingDay(LocalDate.of(2026, 5, 4))).as("extra holiday").isFalse();
        assertThat(cal.isWorkingDay(LocalDate.of(2026, 5, 2))).as("make-up Saturday").isTrue();
        assertThat(cal.isWorkingDay(LocalDate.of(2026, 5, 1))).as("make-up day on a public holiday").isTrue();
        assertThat(cal.nthWorkingDay(YearMonth.of(2026, 5), 1)).isEqualTo(LocalDate.of(2026, 5, 1));
        assertThat(cal.nthWorkingDay(YearMonth.of(2026, 5), 3)).isEqualTo(LocalDate.of(2026, 5, 5));
    }

    @ParameterizedTest(name = "S5.2 holiday library supports {0}: {1}")
    @CsvSource({"DE, true", "US, true", "DE-BY, true", "XX, false", "CN, false"})
    @DisplayName("S5.2 the country must be a calendar of the maintained holiday library")
    void supportedCountries(String code, boolean supported) {
        assertThat(WorkingDayCalendar.supportsCountry(code)).isEqualTo(supported);
    }
}
