package dev.slaledger.core.availability;

import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigInteger;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Computes the availability of one account for one service period (S2, S3).
 *
 * <p>Per interval: E = received 5xx + unreached errors, excluded errors already left out by
 * ingest (S2.4 flags); E = 0 when the interval lies wholly inside a maintenance window that
 * covers the account and was announced before it started (S2.4); r = min(1, E / V), r = 0
 * when V = E = 0 and r = 1 when V = 0 &lt; E (S2.5). Only intervals whose start falls on a
 * covered day of the period, in the terms' zone, count (S2.1, S1.4). Intervals without
 * traffic contribute 0 (S3.1).
 */
public final class AvailabilityCalculator {
    /** Above this a count is no longer exact as a double; such data takes the exact path only. */
    private static final long EXACT_DOUBLE_LIMIT = 1L << 52;
    /** u^2 with u = 2^-53, the unit roundoff of a double. */
    private static final double U2 = 0x1p-106;

    private AvailabilityCalculator() {
    }

    public static Availability compute(String accountId, ServicePeriod period, ZoneId zone,
            AccountMonthTraffic traffic, Collection<MaintenanceWindow> windows) {
        Filter filter = new Filter(accountId, period.epochSecondBounds(zone), windows, traffic.normalized());
        AccountMonthTraffic t = filter.traffic;

        // Double-double sum: (hi, lo) with hi + lo ~ S. TwoSum keeps each addition's
        // rounding error; the quotient's own error comes back through an exact FMA residual.
        double hi = 0;
        double lo = 0;
        long terms = 0;
        boolean exactOnly = false;
        for (int i = 0, n = t.size(); i < n; i++) {
            long e = t.errorRequests(i);
            if (e == 0 || !filter.counts(i)) {
                continue;
            }
            long v = t.valid(i);
            terms++;
            double q;
            double qLo;
            if (e >= v) {
                q = 1.0;
                qLo = 0.0;
            } else {
                if (v > EXACT_DOUBLE_LIMIT) {
                    exactOnly = true;
                }
                double ed = e;
                double vd = v;
                q = ed / vd;
                // The residual of a correctly rounded quotient is exact in double arithmetic.
                qLo = Math.fma(-q, vd, ed) / vd;
            }
            double sum = hi + q;
            double bp = sum - hi;
            double err = (hi - (sum - bp)) + (q - bp);
            hi = sum;
            lo += err + qLo;
        }
        // Error bound: each rate carries <= u^2 * r, each TwoSum error is exact, and the plain
        // accumulation of <= 2n small terms of size <= u * S errs by <= 2n * u * (n + 1) * u * S.
        // 4 (n + 2)^2 u^2 S covers both with room to spare.
        double magnitude = Math.abs(hi) + Math.abs(lo);
        double bound = terms == 0 ? 0.0 : 4.0 * (terms + 2.0) * (terms + 2.0) * U2 * magnitude;
        if (exactOnly) {
            bound = Double.POSITIVE_INFINITY;
        }
        return new Availability(period.intervals(), hi, lo, bound, filter::exactSum);
    }

    /** Which intervals count, and the exact rational sum of their rates. */
    private static final class Filter {
        private final String accountId;
        private final long[] bounds;
        private final long[] excluded;
        private final AccountMonthTraffic traffic;

        Filter(String accountId, long[] bounds, Collection<MaintenanceWindow> windows, AccountMonthTraffic traffic) {
            this.accountId = accountId;
            this.bounds = bounds;
            this.traffic = traffic;
            this.excluded = excludedStarts(windows);
        }

        /** Flattened [first, last] inclusive ranges of interval starts whose errors are excluded. */
        private long[] excludedStarts(Collection<MaintenanceWindow> windows) {
            long[] out = new long[windows.size() * 2];
            int k = 0;
            for (MaintenanceWindow w : windows) {
                if (!w.announcedInTime() || !w.covers(accountId)) {
                    continue;
                }
                long first = w.start().getEpochSecond() + (w.start().getNano() > 0 ? 1 : 0);
                long last = w.end().minusSeconds(Intervals.SECONDS).getEpochSecond();
                if (first <= last) {
                    out[k++] = first;
                    out[k++] = last;
                }
            }
            return java.util.Arrays.copyOf(out, k);
        }

        boolean counts(int i) {
            long start = traffic.startEpochSecond(i);
            boolean inPeriod = false;
            for (int b = 0; b < bounds.length; b += 2) {
                if (start >= bounds[b] && start < bounds[b + 1]) {
                    inPeriod = true;
                    break;
                }
            }
            if (!inPeriod) {
                return false;
            }
            for (int x = 0; x < excluded.length; x += 2) {
                if (start >= excluded[x] && start <= excluded[x + 1]) {
                    return false;
                }
            }
            return true;
        }

        Availability.Fraction exactSum() {
            long whole = 0;
            Map<Long, BigInteger> numeratorsByDenominator = new HashMap<>();
            for (int i = 0, n = traffic.size(); i < n; i++) {
                long e = traffic.errorRequests(i);
                if (e == 0 || !counts(i)) {
                    continue;
                }
                long v = traffic.valid(i);
                if (e >= v) {
                    whole++;
                } else {
                    numeratorsByDenominator.merge(v, BigInteger.valueOf(e), BigInteger::add);
                }
            }
            BigInteger num = BigInteger.valueOf(whole);
            BigInteger den = BigInteger.ONE;
            for (Map.Entry<Long, BigInteger> entry : numeratorsByDenominator.entrySet()) {
                BigInteger d = BigInteger.valueOf(entry.getKey());
                BigInteger g = den.gcd(d);
                // num/den + n/d = (num * d/g + n * den/g) / (den * d/g)
                num = num.multiply(d.divide(g)).add(entry.getValue().multiply(den.divide(g)));
                den = den.multiply(d.divide(g));
                BigInteger r = num.gcd(den);
                if (!r.equals(BigInteger.ONE) && r.signum() != 0) {
                    num = num.divide(r);
                    den = den.divide(r);
                }
            }
            return new Availability.Fraction(num, den);
        }
    }
}
