package dev.slaledger.core.period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ServicePeriodTest {

    private static Term term(String start, String end) {
        return new Term(LocalDate.parse(start), LocalDate.parse(end));
    }

    @Test
    @DisplayName("S1.1 bought for three months from March 17: the term is 03-17..06-16")
    void threeMonthsFromMarch17() {
        assertThat(Term.ofMonths(LocalDate.of(2026, 3, 17), 3)).isEqualTo(term("2026-03-17", "2026-06-16"));
    }

    @ParameterizedTest(name = "S1.1/S1.3 term 03-17..06-16, {0}: {1}, {2} days, N = {3}")
    @CsvSource({
        "2026-02, '',                      0,    0",
        "2026-03, 2026-03-17..2026-03-31, 15, 4320",
        "2026-04, 2026-04-01..2026-04-30, 30, 8640",
        "2026-05, 2026-05-01..2026-05-31, 31, 8928",
        "2026-06, 2026-06-01..2026-06-16, 16, 4608",
        "2026-07, '',                      0,    0",
    })
    @DisplayName("S1.1 the SLA's March 17 example gives four service periods")
    void march17Example(String month, String ranges, long days, long intervals) {
        var period = ServicePeriod.of(List.of(term("2026-03-17", "2026-06-16")), YearMonth.parse(month));
        if (days == 0) {
            assertThat(period).isEmpty();
            return;
        }
        assertThat(period).get().satisfies(p -> {
            assertThat(p.ranges()).map(DateRange::toString).containsExactly(ranges);
            assertThat(p.days()).isEqualTo(days);
            assertThat(p.intervals()).isEqualTo(intervals).isEqualTo(288 * days);
        });
    }

    static Stream<Arguments> mergedTerms() {
        return Stream.of(
                Arguments.of("adjacent terms merge", List.of(term("2026-01-01", "2026-04-10"),
                        term("2026-04-11", "2026-12-31")), "2026-04-01..2026-04-30", 30),
                Arguments.of("overlapping terms merge", List.of(term("2026-04-05", "2026-04-20"),
                        term("2026-04-15", "2026-04-25")), "2026-04-05..2026-04-25", 21),
                Arguments.of("a term inside another", List.of(term("2026-04-01", "2026-04-30"),
                        term("2026-04-10", "2026-04-12")), "2026-04-01..2026-04-30", 30),
                Arguments.of("a gap leaves days out", List.of(term("2026-04-01", "2026-04-09"),
                        term("2026-04-21", "2026-05-20")), "2026-04-01..2026-04-09,2026-04-21..2026-04-30", 19),
                Arguments.of("terms given out of order", List.of(term("2026-04-21", "2026-04-22"),
                        term("2026-04-01", "2026-04-02")), "2026-04-01..2026-04-02,2026-04-21..2026-04-22", 4),
                Arguments.of("one-day term", List.of(term("2026-04-30", "2026-04-30")), "2026-04-30..2026-04-30", 1));
    }

    @ParameterizedTest(name = "S1.2 {0}")
    @MethodSource("mergedTerms")
    @DisplayName("S1.2 the period is the union of the month's days covered by any term")
    void mergesTerms(String why, List<Term> terms, String expectedRanges, long days) {
        ServicePeriod p = ServicePeriod.of(terms, YearMonth.of(2026, 4)).orElseThrow();
        assertThat(p.ranges()).map(DateRange::toString).containsExactlyElementsOf(Arrays.asList(expectedRanges.split(",")));
        assertThat(p.days()).isEqualTo(days);
        assertThat(p.intervals()).isEqualTo(288 * days);
    }

    @ParameterizedTest(name = "S1.3 {0}: {1} days, N = {2}")
    @CsvSource({
        "2028-02, 29, 8352",
        "2026-02, 28, 8064",
        "2100-02, 28, 8064",
        "2000-02, 29, 8352",
        "2026-03, 31, 8928",
    })
    @DisplayName("S1.3 February of a leap year and other whole months: N = 288 x days")
    void wholeMonths(String month, long days, long intervals) {
        YearMonth ym = YearMonth.parse(month);
        ServicePeriod p = ServicePeriod.of(List.of(term("1999-01-01", "2199-12-31")), ym).orElseThrow();
        assertThat(p.days()).isEqualTo(days);
        assertThat(p.intervals()).isEqualTo(intervals);
    }

    @ParameterizedTest(name = "S1.3/S1.4 {0} on {1}: a {2}-hour day in the zone, still N = 288")
    @CsvSource({
        "Europe/Berlin, 2026-03-29, 23",
        "Europe/Berlin, 2026-10-25, 25",
        "America/New_York, 2026-03-08, 23",
        "America/New_York, 2026-11-01, 25",
        "Europe/Berlin, 2026-06-01, 24",
        "UTC, 2026-03-29, 24",
    })
    @DisplayName("S1.3 a DST day keeps N = 288 while its local day spans 23 or 25 hours (S1.4)")
    void dstDay(String zone, String date, long hours) {
        LocalDate d = LocalDate.parse(date);
        ServicePeriod p = ServicePeriod.of(List.of(new Term(d, d)), YearMonth.from(d)).orElseThrow();
        assertThat(p.intervals()).isEqualTo(288);
        long[] bounds = p.epochSecondBounds(ZoneId.of(zone));
        assertThat(bounds).hasSize(2);
        assertThat(bounds[1] - bounds[0]).isEqualTo(hours * 3600);
        assertThat(bounds[0]).isEqualTo(d.atStartOfDay(ZoneId.of(zone)).toEpochSecond());
    }

    @Test
    @DisplayName("S1.1 a term ending before it starts is refused")
    void invalidTerm() {
        assertThatThrownBy(() -> term("2026-04-02", "2026-04-01")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-04-01");
    }
}
