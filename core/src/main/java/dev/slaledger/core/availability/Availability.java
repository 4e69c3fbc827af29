package dev.slaledger.core.availability;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The availability of one service period (S3): A = 1 - S / N, where S is the sum of the
 * interval error rates and N the number of intervals of the period.
 *
 * <p>S is carried as a double-double (about 106 bits) with a proven error bound B. Every
 * decision (a threshold met or not, a displayed digit) is taken from that fast form only
 * when the whole interval [S - B, S + B] gives the same answer; otherwise it is taken from
 * the exact rational sum (S3.2), computed once and cached. So an availability of exactly
 * 99.90% built from rates such as 2/3 meets the 99.90% commitment.
 */
public final class Availability {
    /** Scale of {@link #errorRateSum()}: at least 12 decimals (S3.2). */
    public static final int ERROR_RATE_SUM_SCALE = 18;
    /** Scale of {@link #percentTruncated()} (S3.3). */
    public static final int PERCENT_SCALE = 4;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

    private final long intervals;
    private final BigDecimal approx;
    private final BigDecimal bound;
    private final ExactSumSource exactSource;
    private Fraction exact;

    Availability(long intervals, double hi, double lo, double bound, ExactSumSource exactSource) {
        if (intervals <= 0) {
            throw new IllegalArgumentException("a service period has at least one interval");
        }
        this.intervals = intervals;
        this.approx = new BigDecimal(hi).add(new BigDecimal(lo));
        this.bound = Double.isFinite(bound) ? new BigDecimal(bound) : null;
        this.exactSource = exactSource;
    }

    /** N of S1.3. */
    public long intervals() {
        return intervals;
    }

    /**
     * Whether A >= {@code percent} (S3.2, exact): S <= (100 - percent) / 100 x N. A period
     * exactly at 99.90% meets 99.90%. Every period meets 0%: A is floored at 0 (see
     * {@link #percentTruncated()}), so the lowest tier, which starts at 0, always applies.
     */
    public boolean meets(BigDecimal percent) {
        if (percent.signum() <= 0) {
            return true;
        }
        BigDecimal limit = HUNDRED.subtract(percent).multiply(BigDecimal.valueOf(intervals)).divide(HUNDRED);
        if (bound != null) {
            BigDecimal diff = approx.subtract(limit);
            if (diff.abs().compareTo(bound) > 0) {
                return diff.signum() < 0;
            }
        }
        Fraction s = exact();
        // s.num / s.den <= limit.unscaled / 10^scale
        BigInteger left = s.num.multiply(BigInteger.TEN.pow(Math.max(limit.scale(), 0)));
        BigInteger right = limit.scale() >= 0 ? limit.unscaledValue().multiply(s.den)
                : limit.toBigIntegerExact().multiply(s.den);
        return left.compareTo(right) <= 0;
    }

    /**
     * A as a percentage truncated to 4 decimals, never rounded up (S3.3), e.g. 99.8731.
     *
     * <p>Floored at 0.0000: N is 288 per day even on a 25-hour DST day (S1.3), which has 300
     * intervals, so S may exceed N when such a day is (nearly) all errors and 1 - S / N would
     * go below zero. An availability below 0% has no meaning; the statement shows 0.0000 and
     * errorRateSum keeps the true S.
     */
    public BigDecimal percentTruncated() {
        BigDecimal a = percentTruncatedUnfloored();
        return a.signum() < 0 ? BigDecimal.ZERO.setScale(PERCENT_SCALE) : a;
    }

    private BigDecimal percentTruncatedUnfloored() {
        // floor(10^6 * (N - S) / N) / 10^4
        BigDecimal n = BigDecimal.valueOf(intervals);
        BigDecimal million = new BigDecimal(MILLION);
        if (bound != null) {
            BigDecimal low = n.subtract(approx.add(bound)).multiply(million).divide(n, 0, RoundingMode.FLOOR);
            BigDecimal high = n.subtract(approx.subtract(bound)).multiply(million).divide(n, 0, RoundingMode.FLOOR);
            if (low.compareTo(high) == 0) {
                return low.movePointLeft(PERCENT_SCALE).setScale(PERCENT_SCALE);
            }
        }
        Fraction s = exact();
        BigInteger nBig = BigInteger.valueOf(intervals);
        BigInteger numerator = nBig.multiply(s.den).subtract(s.num).multiply(MILLION);
        BigInteger denominator = nBig.multiply(s.den);
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        BigInteger floor = qr[0];
        if (qr[1].signum() < 0) {
            floor = floor.subtract(BigInteger.ONE);
        }
        return new BigDecimal(floor, PERCENT_SCALE);
    }

    /** S of S3.1, rounded half-up to 18 decimals (S3.2 asks for at least 12). */
    public BigDecimal errorRateSum() {
        if (bound != null) {
            BigDecimal low = approx.subtract(bound).setScale(ERROR_RATE_SUM_SCALE, RoundingMode.HALF_UP);
            BigDecimal high = approx.add(bound).setScale(ERROR_RATE_SUM_SCALE, RoundingMode.HALF_UP);
            if (low.compareTo(high) == 0) {
                return low;
            }
        }
        Fraction s = exact();
        return new BigDecimal(s.num).divide(new BigDecimal(s.den), ERROR_RATE_SUM_SCALE, RoundingMode.HALF_UP);
    }

    /** The exact S as numerator and denominator, in lowest terms (S3.2). */
    public BigInteger[] exactErrorRateSum() {
        Fraction s = exact();
        return new BigInteger[] {s.num, s.den};
    }

    /** The fast path's sum hi + lo, exactly as a decimal (tests of the S3.2 error bound). */
    BigDecimal approximateSum() {
        return approx;
    }

    /** The fast path's error bound on {@link #approximateSum}, or null when only the exact sum decides. */
    BigDecimal errorBound() {
        return bound;
    }

    /** Whether the exact rational sum had to be computed so far (tests of the S3.2 fallback). */
    boolean usedExactSum() {
        return exact != null;
    }

    private Fraction exact() {
        if (exact == null) {
            exact = exactSource.exactSum();
        }
        return exact;
    }

    /** A non-negative fraction in lowest terms. */
    record Fraction(BigInteger num, BigInteger den) {
    }

    @FunctionalInterface
    interface ExactSumSource {
        Fraction exactSum();
    }

    @Override
    public String toString() {
        return "Availability[" + percentTruncated() + "%, S=" + errorRateSum() + ", N=" + intervals + "]";
    }
}
