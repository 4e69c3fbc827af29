package dev.slaledger.core.availability;

import static dev.slaledger.core.Fixtures.UTC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.money.Compensation;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AvailabilityCalculatorTest {
    private static final String ACME = "acme";
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Instant T = Instant.parse("2026-10-03T10:00:00Z");

    private static Availability compute(ServicePeriod period, ZoneId zone, AccountMonthTraffic traffic,
            List<MaintenanceWindow> windows) {
        return AvailabilityCalculator.compute(ACME, period, zone, traffic, windows);
    }

    private static String exactSum(Availability a) {
        BigInteger[] s = a.exactErrorRateSum();
        return s[0] + "/" + s[1];
    }

    @ParameterizedTest(name = "{0}: V={1} 5xx={2} unreached={3} excluded={4} -> r = {5}")
    @CsvSource(delimiter = '|', textBlock = """
        S2.5 no traffic, no errors                         |   0 | 0 | 0 | 0 | 0/1
        S2.5 V = 0 and E > 0: only unreached errors        |   0 | 0 | 3 | 0 | 1/1
        S2.3 unreached errors among received requests      |  10 | 0 | 5 | 0 | 1/2
        S2.3 received 5xx: 3 of 9                          |   9 | 3 | 0 | 0 | 1/3
        S2.5 r = min(1, E / V): 5xx + unreached above V    |  10 | 8 | 5 | 0 | 1/1
        S2.5 E = V                                         |   4 | 4 | 0 | 0 | 1/1
        S2.2 S2.5 4xx are valid, not errors (40 of 100)    | 100 | 0 | 0 | 0 | 0/1
        S2.4 excluded errors never count in E              |  10 | 0 | 0 | 7 | 0/1
        S2.4 a received excluded request still counts in V |  10 | 1 | 0 | 5 | 1/10
        S2.4 V = 0 with only excluded errors               |   0 | 0 | 0 | 5 | 0/1
        """)
    @DisplayName("S2.2 S2.3 S2.4 S2.5 the error rate of one interval")
    void intervalRate(String why, long valid, long errors, long unreached, long excluded, String rate) {
        AccountMonthTraffic traffic = new AccountMonthTraffic()
                .add(T, new IntervalCounts(valid, errors, unreached, excluded));
        Availability a = compute(Fixtures.wholeMonth(OCTOBER), UTC, traffic, List.of());
        assertThat(exactSum(a)).isEqualTo(rate);
    }

    @Test
    @DisplayName("S2.5 two records of one interval are merged before the rate is taken")
    void sameIntervalTwice() {
        AccountMonthTraffic traffic = new AccountMonthTraffic()
                .add(T, new IntervalCounts(2, 1, 0, 0))
                .add(T.plusSeconds(300), new IntervalCounts(0, 0, 0, 0))
                .add(T, new IntervalCounts(2, 1, 0, 0));
        assertThat(exactSum(compute(Fixtures.wholeMonth(OCTOBER), UTC, traffic, List.of()))).isEqualTo("1/2");
    }

    @Test
    @DisplayName("S3.1 a period without any traffic has A = 100%")
    void noTraffic() {
        Availability a = compute(Fixtures.wholeMonth(OCTOBER), UTC, new AccountMonthTraffic(), List.of());
        assertThat(a.percentTruncated()).isEqualByComparingTo("100").hasToString("100.0000");
        assertThat(a.errorRateSum()).isZero();
        assertThat(a.meets(new BigDecimal("99.90"))).isTrue();
        assertThat(a.intervals()).isEqualTo(8928);
    }

    @Test
    @DisplayName("S3.1 A = 1 - S / N: intervals without traffic contribute 0")
    void formula() {
        // 31 days, N = 8928; one interval all errors, one half: S = 1.5, A = 1 - 1.5/8928 = 99.98319...
        AccountMonthTraffic traffic = new AccountMonthTraffic()
                .add(T, new IntervalCounts(1, 1, 0, 0))
                .add(T.plusSeconds(600), new IntervalCounts(2, 1, 0, 0));
        Availability a = compute(Fixtures.wholeMonth(OCTOBER), UTC, traffic, List.of());
        assertThat(a.errorRateSum()).isEqualByComparingTo("1.5");
        assertThat(a.percentTruncated()).hasToString("99.9831");
    }

    static Stream<Arguments> intervalPlacement() {
        return Stream.of(
                // zone, covered day, interval start (UTC), counted?
                Arguments.of("Europe/Berlin", "2026-03-29", "2026-03-28T22:55:00Z", false),
                Arguments.of("Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", true),
                Arguments.of("Europe/Berlin", "2026-03-29", "2026-03-29T00:55:00Z", true),
                Arguments.of("Europe/Berlin", "2026-03-29", "2026-03-29T01:00:00Z", true),
                Arguments.of("Europe/Berlin", "2026-03-29", "2026-03-29T21:55:00Z", true),
                Arguments.of("Europe/Berlin", "2026-03-29", "2026-03-29T22:00:00Z", false),
                Arguments.of("Europe/Berlin", "2026-10-25", "2026-10-24T21:55:00Z", false),
                Arguments.of("Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", true),
                Arguments.of("Europe/Berlin", "2026-10-25", "2026-10-25T00:30:00Z", true),
                Arguments.of("Europe/Berlin", "2026-10-25", "2026-10-25T01:30:00Z", true),
                Arguments.of("Europe/Berlin", "2026-10-25", "2026-10-25T22:55:00Z", true),
                Arguments.of("Europe/Berlin", "2026-10-25", "2026-10-25T23:00:00Z", false),
                Arguments.of("UTC", "2026-03-29", "2026-03-28T23:00:00Z", false),
                Arguments.of("UTC", "2026-03-29", "2026-03-29T00:00:00Z", true),
                Arguments.of("UTC", "2026-03-29", "2026-03-29T23:55:00Z", true),
                Arguments.of("Asia/Shanghai", "2026-10-31", "2026-10-30T15:55:00Z", false),
                Arguments.of("Asia/Shanghai", "2026-10-31", "2026-10-30T16:00:00Z", true),
                Arguments.of("Asia/Shanghai", "2026-10-31", "2026-10-31T15:55:00Z", true),
                Arguments.of("Asia/Shanghai", "2026-10-31", "2026-10-31T16:00:00Z", false));
    }

    @ParameterizedTest(name = "S2.1/S1.4 {0}, day {1}: interval {2} counted = {3}")
    @MethodSource("intervalPlacement")
    @DisplayName("S2.1 an interval belongs to the local day its start falls on (S1.4)")
    void intervalOnLocalDay(String zone, String day, String intervalStart, boolean counted) {
        LocalDate d = LocalDate.parse(day);
        ServicePeriod p = ServicePeriod.of(List.of(new Term(d, d)), YearMonth.from(d)).orElseThrow();
        AccountMonthTraffic traffic = new AccountMonthTraffic()
                .add(Instant.parse(intervalStart), new IntervalCounts(1, 1, 0, 0));
        Availability a = compute(p, ZoneId.of(zone), traffic, List.of());
        assertThat(a.errorRateSum()).isEqualByComparingTo(counted ? "1" : "0");
        assertThat(a.intervals()).isEqualTo(288);
    }

    @ParameterizedTest(name = "S1.3/S2.1 {0} {1}: {2} intervals all in error -> A shown {3}, voucher {4}%")
    @CsvSource({
        "Europe/Berlin, 2026-03-29, 276, 4.1666, 50",
        "Europe/Berlin, 2026-10-25, 300, 0.0000, 50",
        "UTC,           2026-10-25, 288, 0.0000, 50",
    })
    @DisplayName("S1.3 a whole DST day in error: S counts the 23/25 local hours, N stays 288, A floored at 0")
    void wholeDstDayInError(String zone, String day, long localIntervals, String shown, String percent) {
        ZoneId z = ZoneId.of(zone);
        LocalDate d = LocalDate.parse(day);
        ServicePeriod p = ServicePeriod.of(List.of(new Term(d, d)), YearMonth.from(d)).orElseThrow();
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        // Every interval of the whole UTC week around the day: only those of the local day count.
        long from = d.minusDays(3).atStartOfDay(UTC).toEpochSecond();
        for (long s = from; s < from + 7 * 86400; s += Intervals.SECONDS) {
            traffic.add(s, 5, 5, 0);
        }
        Availability a = compute(p, z, traffic, List.of());
        assertThat(a.errorRateSum()).isEqualByComparingTo(BigDecimal.valueOf(localIntervals));
        assertThat(a.intervals()).isEqualTo(288);
        assertThat(a.percentTruncated()).hasToString(shown);
        assertThat(Compensation.percent(Fixtures.defaults(), a)).isEqualByComparingTo(percent);
    }

    @Test
    @DisplayName("S2.1 intervals outside the covered days are ignored, inside a month and across months")
    void outsideCoveredDays() {
        ServicePeriod p = ServicePeriod.of(List.of(new Term(LocalDate.of(2026, 10, 10), LocalDate.of(2026, 10, 20))),
                OCTOBER).orElseThrow();
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        for (String s : List.of("2026-09-30T12:00:00Z", "2026-10-09T23:55:00Z", "2026-10-10T00:00:00Z",
                "2026-10-20T23:55:00Z", "2026-10-21T00:00:00Z", "2026-11-01T00:00:00Z")) {
            traffic.add(Instant.parse(s), new IntervalCounts(3, 3, 0, 0));
        }
        Availability a = compute(p, UTC, traffic, List.of());
        assertThat(a.errorRateSum()).isEqualByComparingTo("2");
        assertThat(a.intervals()).isEqualTo(11 * 288);
    }

    private static MaintenanceWindow window(String start, String end, String announcedAt, Set<String> accounts) {
        return new MaintenanceWindow("w1", Instant.parse(start), Instant.parse(end), Instant.parse(announcedAt),
                accounts == null ? Optional.empty() : Optional.of(accounts));
    }

    static Stream<Arguments> maintenance() {
        String early = "2026-10-01T00:00:00Z";
        return Stream.of(
                Arguments.of("announced in time, covers the hour", window("2026-10-03T10:00:00Z",
                        "2026-10-03T11:00:00Z", early, null), 0),
                Arguments.of("announced late (after it started): excludes nothing", window("2026-10-03T10:00:00Z",
                        "2026-10-03T11:00:00Z", "2026-10-03T10:30:00Z", null), 12),
                Arguments.of("announced at the very instant it started: late", window("2026-10-03T10:00:00Z",
                        "2026-10-03T11:00:00Z", "2026-10-03T10:00:00Z", null), 12),
                Arguments.of("announced one second before it started: in time", window("2026-10-03T10:00:00Z",
                        "2026-10-03T11:00:00Z", "2026-10-03T09:59:59Z", null), 0),
                Arguments.of("first interval only partly inside keeps its errors", window("2026-10-03T10:02:00Z",
                        "2026-10-03T11:00:00Z", early, null), 1),
                Arguments.of("last interval only partly inside keeps its errors", window("2026-10-03T10:00:00Z",
                        "2026-10-03T10:58:00Z", early, null), 1),
                Arguments.of("window starting mid-second before 10:00 covers the 10:00 interval",
                        window("2026-10-03T09:59:59.500Z", "2026-10-03T11:00:00.250Z", early, null), 0),
                Arguments.of("both edges partly covered", window("2026-10-03T10:02:00Z", "2026-10-03T10:58:00Z",
                        early, null), 2),
                Arguments.of("window for other accounts only", window("2026-10-03T10:00:00Z",
                        "2026-10-03T11:00:00Z", early, Set.of("other")), 12),
                Arguments.of("window listing this account", window("2026-10-03T10:00:00Z", "2026-10-03T11:00:00Z",
                        early, Set.of("other", ACME)), 0),
                Arguments.of("window before the errors", window("2026-10-03T09:00:00Z", "2026-10-03T10:00:00Z",
                        early, null), 12),
                Arguments.of("window shorter than one interval excludes nothing", window("2026-10-03T10:01:00Z",
                        "2026-10-03T10:04:00Z", early, null), 12));
    }

    @ParameterizedTest(name = "S2.4 {0}: S = {2}")
    @MethodSource("maintenance")
    @DisplayName("S2.4 maintenance windows exclude the errors of intervals wholly inside, if announced in time")
    void maintenanceWindows(String why, MaintenanceWindow w, long expectedSum) {
        // 12 intervals, 10:00 to 10:55, every request an error.
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        for (int k = 0; k < 12; k++) {
            traffic.add(T.plusSeconds(300L * k), new IntervalCounts(4, 4, 0, 0));
        }
        Availability a = compute(Fixtures.wholeMonth(OCTOBER), UTC, traffic, List.of(w));
        assertThat(a.errorRateSum()).isEqualByComparingTo(BigDecimal.valueOf(expectedSum));
        long excludedByWindow = Stream.iterate(T, i -> i.plusSeconds(300)).limit(12)
                .filter(i -> w.excludes(ACME, i)).count();
        assertThat(12 - excludedByWindow).as("MaintenanceWindow.excludes agrees").isEqualTo(expectedSum);
    }

    @Test
    @DisplayName("S2.1 counts are kept per 5-minute interval: a start off the grid is refused")
    void offGrid() {
        assertThatThrownBy(() -> new AccountMonthTraffic().add(Instant.parse("2026-10-03T10:01:00Z"),
                IntervalCounts.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccountMonthTraffic().add(Instant.parse("2026-10-03T10:00:00.001Z"),
                IntervalCounts.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Intervals.startOf(Instant.parse("2026-10-03T10:04:59.999Z")))
                .isEqualTo(Instant.parse("2026-10-03T10:00:00Z"));
    }
}
