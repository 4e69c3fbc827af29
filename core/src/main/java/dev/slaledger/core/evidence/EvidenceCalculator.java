package dev.slaledger.core.evidence;

import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.ExclusionKind;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The intervals behind a statement's {@code errorRateSum} (S9.6), with no I/O: of the aggregates of
 * a service period, those with errors, each either counted (its exact rate) or excluded (by which
 * announced window, or by flags), in start order. Applies S2.1 (covered days in the terms' zone,
 * given as bounds), S2.4 (windows announced in time that cover the account and hold the interval
 * wholly; {@link MaintenanceWindow#excludes}) and S2.5, as {@code AvailabilityCalculator} does:
 * {@code EvidenceProperties} holds the two to the same exact sum.
 */
public final class EvidenceCalculator {
    private EvidenceCalculator() {
    }

    /**
     * @param bounds the period's covered days as {@code [from0, to0, from1, to1, ...)} epoch seconds
     *               ({@code ServicePeriod#epochSecondBounds} in the governing zone)
     */
    public static void classify(String accountId, long[] bounds, Collection<MaintenanceWindow> windows,
            AccountMonthTraffic traffic, Consumer<IntervalEvidence> sink) {
        List<MaintenanceWindow> applying = windows.stream()
                .filter(w -> w.announcedInTime() && w.covers(accountId))
                .sorted(Comparator.comparing(MaintenanceWindow::start).thenComparing(MaintenanceWindow::id))
                .toList();
        AccountMonthTraffic t = traffic.normalized();
        for (int i = 0, n = t.size(); i < n; i++) {
            long e = t.errorRequests(i);
            long x = t.excludedErrors(i);
            if (e == 0 && x == 0) {
                continue;
            }
            long start = t.startEpochSecond(i);
            if (!inPeriod(bounds, start)) {
                continue;
            }
            Instant at = Instant.ofEpochSecond(start);
            Optional<String> window = Optional.empty();
            for (MaintenanceWindow w : applying) {
                if (w.excludes(accountId, at)) {
                    window = Optional.of(w.id());
                    break;
                }
            }
            FlagCounts flagged = FlagCounts.of(x, t.excludedErrors(i, ExclusionKind.MAINTENANCE),
                    t.excludedErrors(i, ExclusionKind.CUSTOMER_COMPROMISED), t.excludedErrors(i, ExclusionKind.CONTENT_BAN));
            sink.accept(new IntervalEvidence(at, t.valid(i), e, flagged, window));
        }
    }

    static boolean inPeriod(long[] bounds, long start) {
        for (int b = 0; b < bounds.length; b += 2) {
            if (start >= bounds[b] && start < bounds[b + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The exact sum of the counted rates among {@code intervals}: {numerator, denominator}, lowest terms. */
    public static BigInteger[] exactSum(Collection<IntervalEvidence> intervals) {
        BigInteger num = BigInteger.ZERO;
        BigInteger den = BigInteger.ONE;
        for (IntervalEvidence iv : intervals) {
            if (!iv.counts()) {
                continue;
            }
            BigInteger[] r = iv.rate();
            BigInteger g = den.gcd(r[1]);
            num = num.multiply(r[1].divide(g)).add(r[0].multiply(den.divide(g)));
            den = den.multiply(r[1].divide(g));
            BigInteger k = num.gcd(den);
            if (k.signum() != 0 && !k.equals(BigInteger.ONE)) {
                num = num.divide(k);
                den = den.divide(k);
            }
        }
        return new BigInteger[] {num, den};
    }
}
