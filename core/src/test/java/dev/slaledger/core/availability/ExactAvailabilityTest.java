package dev.slaledger.core.availability;

import static dev.slaledger.core.Fixtures.UTC;
import static dev.slaledger.core.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.money.Compensation;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** S3.2 (exact decision), S3.3 (truncated display) on sums built from rates no decimal holds. */
class ExactAvailabilityTest {
    /** One more interval with r = 1e-9: the tiniest step worse. */
    private static final long[] TINY_STEP = rows(1, 1, 1_000_000_000L);

    private static Availability availability(YearMonth month, long[]... rows) {
        AccountMonthTraffic traffic = Fixtures.consecutive(month, UTC, rows);
        return AvailabilityCalculator.compute("acme", Fixtures.wholeMonth(month), UTC, traffic, List.of());
    }

    private static long[][] plus(long[][] rows, long[] extra) {
        long[][] out = Arrays.copyOf(rows, rows.length + 1);
        out[rows.length] = extra;
        return out;
    }

    static Stream<Arguments> exactlyAtThreshold() {
        return Stream.of(
                // 31 days, N = 8928: S = 8.928 = 6 x 2/3 + 12 x 1/3 + 116/125
                Arguments.of("2026-10", "99.90", new long[][] {rows(6, 2, 3), rows(12, 1, 3), rows(1, 116, 125)},
                        "8.928", "0", "10", "99.9000", "99.8999"),
                // S = 89.28 = 120 x 2/3 + 27 x 1/3 + 7/25
                Arguments.of("2026-10", "99.00", new long[][] {rows(120, 2, 3), rows(27, 1, 3), rows(1, 7, 25)},
                        "89.28", "10", "25", "99.0000", "98.9999"),
                // S = 446.4 = 600 x 2/3 + 138 x 1/3 + 2/5
                Arguments.of("2026-10", "95.00", new long[][] {rows(600, 2, 3), rows(138, 1, 3), rows(1, 2, 5)},
                        "446.4", "25", "50", "95.0000", "94.9999"),
                // February 2028, 29 days, N = 8352: S = 8.352 = 9 x 2/3 + 6 x 1/3 + 44/125
                Arguments.of("2028-02", "99.90", new long[][] {rows(9, 2, 3), rows(6, 1, 3), rows(1, 44, 125)},
                        "8.352", "0", "10", "99.9000", "99.8999"),
                // 30 days, N = 8640: S = 86.4 = 129 x 2/3 + 2/5
                Arguments.of("2026-11", "99.00", new long[][] {rows(129, 2, 3), rows(1, 2, 5)},
                        "86.4", "10", "25", "99.0000", "98.9999"),
                // 30 days, N = 8640: S = 432 = 1008 x 3/7
                Arguments.of("2026-11", "95.00", new long[][] {rows(1008, 3, 7)},
                        "432", "25", "50", "95.0000", "94.9999"));
    }

    @ParameterizedTest(name = "S3.2 {0} exactly at {1}% (S = {3}) meets it -> {4}%; one 1e-9 step worse -> {5}%")
    @MethodSource("exactlyAtThreshold")
    @DisplayName("S3.2 availability exactly at a threshold, from fractional rates, meets it; a tiny step worse does not")
    void exactlyAtThreshold(String month, String threshold, long[][] rows, String sum, String percentAt,
            String percentWorse, String shownAt, String shownWorse) {
        YearMonth ym = YearMonth.parse(month);
        BigDecimal t = new BigDecimal(threshold);

        Availability at = availability(ym, rows);
        BigInteger[] exact = at.exactErrorRateSum();
        assertThat(new BigDecimal(exact[0]).divide(new BigDecimal(exact[1]))).isEqualByComparingTo(sum);
        assertThat(at.meets(t)).isTrue();
        assertThat(Compensation.percent(Fixtures.defaults(), at)).isEqualByComparingTo(percentAt);
        assertThat(at.percentTruncated()).hasToString(shownAt);

        Availability worse = availability(ym, plus(rows, TINY_STEP));
        assertThat(worse.meets(t)).isFalse();
        assertThat(Compensation.percent(Fixtures.defaults(), worse)).isEqualByComparingTo(percentWorse);
        assertThat(worse.percentTruncated()).hasToString(shownWorse);
    }

    /*
     * S = 16 x 1/2 + a/v1 + b/v2 with v1 = 200000000000375, v2 = 300000000000007 (coprime,
     * both below 2^52), chosen so that S = 8.928 -/+ 1/(v1 v2), about 1.7e-29 from the 99.90%
     * limit of a 31-day month: closer than the double-double error bound, so only the exact
     * rational sum can decide.
     */
    private static final long V1 = 200_000_000_000_375L;
    private static final long V2 = 300_000_000_000_007L;

    @ParameterizedTest(name = "S3.2 S = 8.928 {0} 1/(v1 v2): meets 99.90 = {3}, shown {4}")
    @CsvSource({
        "-, 144555895589830, 61566156615663, true, 99.9000",
        "+, 26644104410491, 238433843384344, false, 99.8999",
    })
    @DisplayName("S3.2 within the fast path's error bound of a threshold, the exact sum decides")
    void fastPathCannotDecide(String side, long a, long b, boolean meets, String shown) {
        long[][] rows = {rows(16, 1, 2), rows(1, a, V1), rows(1, b, V2)};
        BigInteger den = BigInteger.valueOf(V1).multiply(BigInteger.valueOf(V2));
        BigInteger[] s = availability(YearMonth.of(2026, 10), rows).exactErrorRateSum();
        // s0/s1 - 8928/1000 == -/+ 1/den  <=>  (1000 s0 - 8928 s1) den == -/+ 1000 s1
        BigInteger lhs = s[0].multiply(BigInteger.valueOf(1000)).subtract(s[1].multiply(BigInteger.valueOf(8928)))
                .multiply(den);
        BigInteger rhs = s[1].multiply(BigInteger.valueOf(side.equals("-") ? -1000 : 1000));
        assertThat(lhs).isEqualTo(rhs);

        Availability decide = availability(YearMonth.of(2026, 10), rows);
        assertThat(decide.meets(new BigDecimal("99.90"))).isEqualTo(meets);
        assertThat(decide.usedExactSum()).as("fell back to the exact sum").isTrue();
        assertThat(availability(YearMonth.of(2026, 10), rows).percentTruncated()).hasToString(shown);
    }

    @Test
    @DisplayName("S3.2 far from every threshold the fast path decides alone")
    void fastPathDecides() {
        Availability a = availability(YearMonth.of(2026, 10), rows(1, 1, 3), rows(2, 2, 7));
        assertThat(a.meets(new BigDecimal("99.90"))).isTrue();
        assertThat(a.meets(new BigDecimal("99.999"))).isFalse();
        assertThat(a.percentTruncated()).hasToString("99.9898");
        assertThat(a.usedExactSum()).isFalse();
    }

    @ParameterizedTest(name = "S3.3 {0}")
    @MethodSource("display")
    @DisplayName("S3.3 A is shown truncated to 4 decimals, never rounded up")
    void truncatedDisplay(String why, long[][] rows, String shown) {
        assertThat(availability(YearMonth.of(2026, 10), rows).percentTruncated()).hasToString(shown);
    }

    static Stream<Arguments> display() {
        // N = 8928; S = 11 + 10301/31250 = 11.329632 gives exactly A = 99.8731%.
        return Stream.of(
                Arguments.of("exactly 99.8731", new long[][] {rows(11, 1, 1), rows(1, 10301, 31250)}, "99.8731"),
                Arguments.of("99.87309999... shows 99.8730", new long[][] {rows(11, 1, 1), rows(1, 10301, 31250),
                        TINY_STEP}, "99.8730"),
                Arguments.of("99.89999... never shows 99.9000", new long[][] {rows(8, 1, 1), rows(1, 928, 1000),
                        TINY_STEP}, "99.8999"),
                Arguments.of("a single 1e-9 rate shows 99.9999, not 100", new long[][] {TINY_STEP}, "99.9999"),
                Arguments.of("every interval in error shows 0.0000", new long[][] {rows(8928, 1, 1)}, "0.0000"));
    }

    @ParameterizedTest(name = "S3.2 errorRateSum of {0}/{1} x {2} starts {3}")
    @CsvSource({
        "1, 3, 1, 0.333333333333",
        "2, 3, 1, 0.666666666666",
        "1, 7, 3, 0.428571428571",
    })
    @DisplayName("S3.2 errorRateSum is shown with at least 12 decimals")
    void errorRateSumDecimals(long e, long v, long count, String prefix) {
        BigDecimal sum = availability(YearMonth.of(2026, 10), rows(count, e, v)).errorRateSum();
        assertThat(sum.scale()).isGreaterThanOrEqualTo(12);
        assertThat(sum.toPlainString()).startsWith(prefix);
    }
}
