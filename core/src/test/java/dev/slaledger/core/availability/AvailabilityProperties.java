package dev.slaledger.core.availability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.money.Compensation;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of S3 and S4 over random traffic, fees and terms. */
class AvailabilityProperties {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final ServicePeriod PERIOD = Fixtures.wholeMonth(OCTOBER);
    private static final long START = OCTOBER.atDay(1).atStartOfDay(Fixtures.UTC).toEpochSecond();
    private static final List<BigDecimal> THRESHOLDS = List.of(new BigDecimal("99.90"), new BigDecimal("99.00"),
            new BigDecimal("95.00"));

    /** One interval: index from the month's first interval (some fall outside the month), V and E. */
    record Row(int index, long valid, long errors) {
    }

    @Provide
    Arbitrary<List<Row>> traffic() {
        Arbitrary<Row> row = Combinators.combine(
                Arbitraries.integers().between(-300, 8928 + 300),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 0)),
                        net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(1, 1000)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 4_000_000_000_000L))),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 0)),
                        net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(1, 50)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 2000))))
                .as(Row::new);
        return row.list().ofMaxSize(400);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of("UTC", "Europe/Berlin", "Asia/Shanghai", "America/New_York");
    }

    private static AccountMonthTraffic build(List<Row> rows) {
        AccountMonthTraffic t = new AccountMonthTraffic();
        for (Row r : rows) {
            t.add(START + 300L * r.index(), r.valid(), r.errors(), 0);
        }
        return t;
    }

    private static Availability compute(List<Row> rows, ZoneId zone) {
        return AvailabilityCalculator.compute("acme", PERIOD, zone, build(rows), List.of());
    }

    /** Exact A >= t, from the exact fraction: num / den <= (100 - t) / 100 x N. */
    private static boolean exactlyMeets(BigInteger[] s, long n, BigDecimal t) {
        BigDecimal left = new BigDecimal(s[0].multiply(BigInteger.valueOf(100)));
        BigDecimal right = BigDecimal.valueOf(100).subtract(t).multiply(BigDecimal.valueOf(n))
                .multiply(new BigDecimal(s[1]));
        return t.signum() <= 0 || left.compareTo(right) <= 0;
    }

    @Property(tries = 300)
    @Label("S3.1 availability lies within [0, 100]")
    void withinBounds(@ForAll("traffic") List<Row> rows, @ForAll("zones") String zone) {
        BigDecimal a = compute(rows, ZoneId.of(zone)).percentTruncated();
        assertThat(a).isBetween(BigDecimal.ZERO, BigDecimal.valueOf(100));
        assertThat(a.scale()).isEqualTo(4);
    }

    @Property(tries = 300)
    @Label("S3.1 S2.5 availability never increases as errors grow in an interval")
    void neverIncreasesWithErrors(@ForAll("traffic") List<Row> rows, @ForAll @IntRange(min = 0, max = 8927) int at,
            @ForAll @LongRange(min = 1, max = 1000) long moreErrors) {
        List<Row> worse = new ArrayList<>(rows);
        worse.add(new Row(at, 0, moreErrors));
        Availability before = compute(rows, Fixtures.UTC);
        Availability after = compute(worse, Fixtures.UTC);
        BigInteger[] s1 = before.exactErrorRateSum();
        BigInteger[] s2 = after.exactErrorRateSum();
        assertThat(s2[0].multiply(s1[1])).isGreaterThanOrEqualTo(s1[0].multiply(s2[1]));
        assertThat(after.percentTruncated()).isLessThanOrEqualTo(before.percentTruncated());
        for (BigDecimal t : THRESHOLDS) {
            if (after.meets(t)) {
                assertThat(before.meets(t)).isTrue();
            }
        }
    }

    @Property(tries = 300)
    @Label("S3.2 the fast path decides like the exact rational sum, also near the thresholds")
    void fastPathAgreesWithExact(@ForAll("traffic") List<Row> rows, @ForAll("zones") String zone) {
        Availability a = compute(rows, ZoneId.of(zone));
        Availability fresh = compute(rows, ZoneId.of(zone));
        BigInteger[] s = a.exactErrorRateSum();
        long n = a.intervals();
        // Exact A (percent) to 40 digits, and thresholds right at and around it.
        BigDecimal exactA = BigDecimal.valueOf(100).subtract(new BigDecimal(s[0]).multiply(BigDecimal.valueOf(100))
                .divide(new BigDecimal(s[1].multiply(BigInteger.valueOf(n))), new MathContext(40)));
        List<BigDecimal> thresholds = new ArrayList<>(THRESHOLDS);
        for (int digits = 1; digits <= 24; digits += 3) {
            thresholds.add(exactA.setScale(digits, RoundingMode.FLOOR));
            thresholds.add(exactA.setScale(digits, RoundingMode.CEILING));
        }
        for (BigDecimal t : thresholds) {
            assertThat(fresh.meets(t)).as("meets %s (A = %s)", t, exactA).isEqualTo(exactlyMeets(s, n, t));
        }
        BigDecimal exactShown = exactA.max(BigDecimal.ZERO).setScale(4, RoundingMode.FLOOR);
        assertThat(fresh.percentTruncated()).isEqualTo(exactShown);
        BigDecimal exactSum = new BigDecimal(s[0]).divide(new BigDecimal(s[1]), Availability.ERROR_RATE_SUM_SCALE,
                RoundingMode.HALF_UP);
        assertThat(fresh.errorRateSum()).isEqualTo(exactSum);
    }

    @Property(tries = 300)
    @Label("S3.2 the double-double sum lies within its error bound of the exact sum, below S = 1 (TwoSum) and above it (Fast2Sum)")
    void doubleDoubleSumWithinItsBound(@ForAll("traffic") List<Row> rows, @ForAll("zones") String zone) {
        Availability a = compute(rows, ZoneId.of(zone));
        BigInteger[] s = a.exactErrorRateSum();
        if (a.errorBound() == null) {
            return; // a count above 2^50: only the exact sum decides, nothing to bound
        }
        BigDecimal exact = new BigDecimal(s[0]).divide(new BigDecimal(s[1]), new MathContext(60));
        // the exact quotient is rounded to 60 digits: 10^-50 of slack, far below any bound that is not zero
        BigDecimal slack = exact.ulp().max(BigDecimal.ONE.movePointLeft(50));
        assertThat(a.approximateSum().subtract(exact).abs())
                .as("|hi + lo - S| for S = %s", exact)
                .isLessThanOrEqualTo(a.errorBound().add(slack));
    }

    @Property(tries = 300)
    @Label("S3.2 a month whose sum passes 1 early keeps its double-double sum within the bound (the Fast2Sum phase)")
    void fastTwoSumPhaseWithinItsBound(@ForAll @IntRange(min = 1, max = 40) int wholeFirst,
            @ForAll("traffic") List<Row> rows) {
        List<Row> all = new ArrayList<>();
        for (int i = 0; i < wholeFirst; i++) {
            all.add(new Row(i, 0, 1)); // r = 1 each (S2.5): S passes 1 at the first interval
        }
        for (Row r : rows) {
            if (r.index() >= wholeFirst) {
                all.add(r);
            }
        }
        doubleDoubleSumWithinItsBound(all, "UTC");
    }

    @Property(tries = 500)
    @Label("S4.1 the tier is monotone in availability: lower availability never gets a lower percent")
    void tierMonotone(@ForAll @IntRange(min = 0, max = 900) int failedA, @ForAll @IntRange(min = 0, max = 900) int failedB,
            @ForAll @LongRange(min = 0, max = 6) long e, @ForAll @LongRange(min = 1, max = 7) long v) {
        TermsVersion terms = Fixtures.defaults();
        List<Row> a = new ArrayList<>();
        List<Row> b = new ArrayList<>();
        for (int k = 0; k < Math.max(failedA, failedB); k++) {
            if (k < failedA) {
                a.add(new Row(k, 1, 1));
            }
            if (k < failedB) {
                b.add(new Row(k, 1, 1));
            }
        }
        a.add(new Row(8000, v, e));
        b.add(new Row(8000, v, e));
        Availability av = compute(a, Fixtures.UTC);
        Availability bv = compute(b, Fixtures.UTC);
        BigDecimal pa = Compensation.percent(terms, av);
        BigDecimal pb = Compensation.percent(terms, bv);
        if (failedA >= failedB) {
            assertThat(pa).isGreaterThanOrEqualTo(pb);
        } else {
            assertThat(pa).isLessThanOrEqualTo(pb);
        }
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.of("EUR", "JPY", "KWD", "CNY", "BHD");
    }

    @Property(tries = 1000)
    @Label("S4.2 S4.3 the voucher is never above capPercent of the base (at the currency's minor unit)")
    void voucherWithinCap(@ForAll @LongRange(min = 0, max = 10_000) long percentHundredths,
            @ForAll @LongRange(min = 0, max = 10_000) long capHundredths,
            @ForAll @LongRange(min = 0, max = 100_000_000) long feeMinor,
            @ForAll @LongRange(min = 0, max = 100_000_000) long paidMinor, @ForAll("currencies") String code) {
        int digits = Money.minorUnit(Money.currency(code));
        MonthlyFee fee = new MonthlyFee(new Money(BigDecimal.valueOf(feeMinor, digits), Money.currency(code)),
                new Money(BigDecimal.valueOf(paidMinor, digits), Money.currency(code)));
        BigDecimal percent = BigDecimal.valueOf(percentHundredths, 2);
        BigDecimal cap = BigDecimal.valueOf(capHundredths, 2);
        Money voucher = Compensation.voucher(percent, cap, fee);
        BigDecimal base = fee.base().amount();
        BigDecimal capAmount = base.multiply(cap).divide(BigDecimal.valueOf(100));
        assertThat(voucher.amount().signum()).isGreaterThanOrEqualTo(0);
        assertThat(voucher.amount()).isLessThanOrEqualTo(capAmount.setScale(digits, RoundingMode.HALF_UP));
        assertThat(voucher.amount()).isLessThanOrEqualTo(base);
        assertThat(voucher.amount().scale()).isEqualTo(digits);
        if (base.signum() == 0) {
            assertThat(voucher.isZero()).isTrue();
        }
    }
}
