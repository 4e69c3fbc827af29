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
    /**
     * Above this a valid count takes the exact path only: below it, a count is exact as a double and the
     * residual of a quotient taken through the reciprocal is exact too (see {@link #compute}).
     */
    private static final long EXACT_DOUBLE_LIMIT = 1L << 50;
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
        // One division per interval (issue 32 item 1): w = fl(1 / v), q = fl(e * w), so
        // q = (e / v)(1 + d1)(1 + d2) with |d1|, |d2| <= u. The residual r = e - q v is still
        // exact in double arithmetic: it is a multiple of ulp(q) (e and v are integers, q < 1),
        // |r| <= 3u e, and e / ulp(q) <= 2^53 v (1 + 3u), so |r| / ulp(q) <= 3 v (1 + 3u) < 2^53
        // for v <= 2^50. q + r / v is e / v exactly; qLo = fl(r * w) errs from r / v by
        // <= 3u |r / v| <= 9u^2 (e / v): each rate carries <= 9u^2 r (u^2 r with two divisions).
        double hi = 0;
        double lo = 0;
        long terms = 0;
        boolean exactOnly = false;
        long[] counted = filter.countedRanges();
        boolean excludes = filter.excludes();
        for (int c = 0; c < counted.length; c += 2) {
            for (int i = (int) counted[c], end = (int) counted[c + 1]; i < end; i++) {
                long e = t.errorRequests(i);
                if (e == 0 || (excludes && filter.excluded(i))) {
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
                    double w = 1.0 / vd;
                    q = ed * w;
                    qLo = Math.fma(-q, vd, ed) * w;
                }
                double sum = hi + q;
                double err;
                if (hi >= 1.0) {
                    // Fast2Sum: exact when the exponent of hi is at least that of q, which q <= 1 <= hi
                    // ensures; three operations where TwoSum takes six (every interval after the first
                    // whole unit of S)
                    err = q - (sum - hi);
                } else {
                    double bp = sum - hi;
                    err = (hi - (sum - bp)) + (q - bp);
                }
                hi = sum;
                lo += err + qLo;
            }
        }
        // Error bound: each rate carries <= 9u^2 * r, each TwoSum error is exact, and the plain
        // accumulation of <= 2n small terms of size <= u * S errs by <= 2n * u * (n + 1) * u * S.
        // 4 (n + 2)^2 u^2 S >= (9 + 2n (n + 1)) u^2 S covers both for n >= 1, with room to spare.
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

        /** Whether any window excludes errors of this account (rarely: most months have none). */
        boolean excludes() {
            return excluded.length > 0;
        }

        /** Whether the interval at index i starts inside an excluding window. */
        boolean excluded(int i) {
            long start = traffic.startEpochSecond(i);
            for (int x = 0; x < excluded.length; x += 2) {
                if (start >= excluded[x] && start <= excluded[x + 1]) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The indexes of the intervals whose start lies in the period, as disjoint [from, to) ranges in
         * increasing order: the traffic is normalized (starts strictly increasing), so each of the period's
         * bounds is one binary search rather than a test per interval.
         */
        long[] countedRanges() {
            long[] out = new long[bounds.length];
            int k = 0;
            for (int b = 0; b < bounds.length; b += 2) {
                int from = firstAtOrAfter(bounds[b]);
                int to = firstAtOrAfter(bounds[b + 1]);
                if (from < to) {
                    out[k++] = from;
                    out[k++] = to;
                }
            }
            out = java.util.Arrays.copyOf(out, k);
            if (k > 2) {
                // the period's ranges may come in any order and, in principle, overlap: sort and merge them so
                // no interval is counted twice
                long[][] pairs = new long[k / 2][];
                for (int p = 0; p < k / 2; p++) {
                    pairs[p] = new long[] {out[2 * p], out[2 * p + 1]};
                }
                java.util.Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
                int m = 0;
                for (long[] pair : pairs) {
                    if (m > 0 && pair[0] <= out[m - 1]) {
                        out[m - 1] = Math.max(out[m - 1], pair[1]);
                    } else {
                        out[m++] = pair[0];
                        out[m++] = pair[1];
                    }
                }
                out = java.util.Arrays.copyOf(out, m);
            }
            return out;
        }

        private int firstAtOrAfter(long epochSecond) {
            int lo = 0;
            int hi = traffic.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (traffic.startEpochSecond(mid) < epochSecond) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
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
