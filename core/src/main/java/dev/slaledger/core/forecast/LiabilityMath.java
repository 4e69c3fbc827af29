package dev.slaledger.core.forecast;

import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The arithmetic of the forecast (S9.8) on a running sum that is a lower bound of the exact one
 * (each rate rounded down): every decision it takes from the sum (budget exceeded, tier already
 * certain) is then one the exact sum takes too, never one it would not (S3.2 stays the statement's).
 */
public final class LiabilityMath {
    /** Decimals each rate is rounded down to before it is added. */
    public static final int SUM_SCALE = 24;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private LiabilityMath() {
    }

    /** r = min(1, E / V) rounded down (S2.5; V = 0 < E gives 1). */
    public static BigDecimal rateFloor(long valid, long errors) {
        if (errors <= 0) {
            return BigDecimal.ZERO;
        }
        if (errors >= valid) {
            return BigDecimal.ONE;
        }
        return BigDecimal.valueOf(errors).divide(BigDecimal.valueOf(valid), SUM_SCALE, RoundingMode.DOWN);
    }

    /** (1 - commitment) x N, the commitment in percent: the largest sum that still meets it (S3.2). */
    public static BigDecimal budget(BigDecimal commitmentPercent, long intervals) {
        return HUNDRED.subtract(commitmentPercent).multiply(BigDecimal.valueOf(intervals)).divide(HUNDRED);
    }

    /** Whether A = 1 - sum / N meets {@code percent}: sum <= (100 - percent) / 100 x N. */
    static boolean meets(BigDecimal sum, long intervals, BigDecimal percent) {
        return percent.signum() <= 0 || sum.compareTo(budget(percent, intervals)) <= 0;
    }

    /**
     * The voucher percent of the best availability still reachable with a sum of at least {@code sum}:
     * the tier that applies to 1 - sum / N (S4.1), 0 while the commitment can still be met.
     */
    public static BigDecimal certainPercent(TermsVersion terms, BigDecimal sum, long intervals) {
        if (meets(sum, intervals, terms.commitment())) {
            return BigDecimal.ZERO;
        }
        for (Tier tier : terms.tiers()) {
            if (meets(sum, intervals, tier.atLeast())) {
                return tier.percent();
            }
        }
        throw new IllegalStateException("tiers of terms " + terms.version() + " do not reach 0%");
    }

    /** sum x N / elapsed, to 6 decimals; 0 before any interval elapsed. */
    public static BigDecimal projected(BigDecimal sum, long intervals, long elapsed) {
        if (elapsed <= 0) {
            return BigDecimal.ZERO.setScale(6);
        }
        return sum.multiply(BigDecimal.valueOf(intervals)).divide(BigDecimal.valueOf(elapsed), 6,
                RoundingMode.HALF_UP);
    }

    /** S9.8: compensable when the sum is above the budget; at risk when the projection is; else ok. */
    public static ForecastStatus status(BigDecimal sum, BigDecimal projected, BigDecimal budget) {
        if (sum.compareTo(budget) > 0) {
            return ForecastStatus.COMPENSABLE;
        }
        return projected.compareTo(budget) > 0 ? ForecastStatus.AT_RISK : ForecastStatus.OK;
    }

    /** Multiples of 300 (interval starts) in {@code [from, to)}. */
    public static long intervalStarts(long from, long to) {
        if (to <= from) {
            return 0;
        }
        return Math.floorDiv(to - 1, 300) - Math.floorDiv(from - 1, 300);
    }
}
