package dev.slaledger.core.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The arithmetic {@link AvailabilityCalculator} takes each rate with (issue 32 item 1: one division per interval
 * instead of two): w = fl(1 / v), q = fl(e w), r = fma(-q, v, e), qLo = fl(r w). Its error bound rests on two
 * claims, checked here in exact decimal arithmetic for counts up to the fast path's limit (2^50): the residual r is
 * exact (q + (e - q v) / v is e / v), and qLo errs from r / v by at most 9u^2 (e / v), u = 2^-53.
 */
class OneDivisionRateProperties {
    private static final BigDecimal NINE_U2 = new BigDecimal(9).multiply(new BigDecimal(0x1p-106));

    record Counts(long e, long v) {
    }

    @Provide
    Arbitrary<Counts> counts() {
        Arbitrary<Long> v = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(2, 100_000)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(2, 1L << 40)),
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between((1L << 50) - (1L << 20), 1L << 50)));
        return v.flatMap(vv -> Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, Math.min(vv - 1, 1000))),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, vv - 1)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(Math.max(1, vv - 1000), vv - 1))),
                Arbitraries.just(vv)).as(Counts::new));
    }

    @Property(tries = 3_000)
    @Label("S3.2 one division per rate: the residual is exact and the low part within 9u^2 of the rate")
    void residualExactAndLowPartWithinBound(@ForAll("counts") Counts c) {
        double ed = c.e();
        double vd = c.v();
        double w = 1.0 / vd;
        double q = ed * w;
        double r = Math.fma(-q, vd, ed);
        double qLo = r * w;

        BigDecimal e = BigDecimal.valueOf(c.e());
        BigDecimal v = BigDecimal.valueOf(c.v());
        BigDecimal exactResidual = e.subtract(new BigDecimal(q).multiply(v));
        assertThat(new BigDecimal(r)).as("residual of %s / %s", c.e(), c.v()).isEqualByComparingTo(exactResidual);

        MathContext mc = new MathContext(80);
        BigDecimal rate = e.divide(v, mc);
        BigDecimal error = new BigDecimal(q).add(new BigDecimal(qLo)).subtract(rate).abs();
        assertThat(error).as("error of %s / %s", c.e(), c.v()).isLessThanOrEqualTo(NINE_U2.multiply(rate));
    }
}
