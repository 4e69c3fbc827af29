package dev.slaledger.core.evidence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/**
 * One five-minute interval of a service period that has errors (S9.6): either it counts against the
 * statement, with its rate r = min(1, E / V) as an exact fraction (S2.5), or its errors were excluded
 * (S2.4): by an announced maintenance window covering the account (the window's id), or because its
 * failed requests carried an exclusion flag (they never reached E; ingest counts them apart).
 *
 * @param valid         V (S2.2)
 * @param errors        E (S2.3): received 5xx and unreached errors, flagged ones left out
 * @param flagged       failed requests flagged with an exclusion (S2.4 (i)-(iii)), by kind: never in E
 *                      (of no known kind when a pre-aggregated D1 record gave their total alone)
 * @param windowId      the announced window whose interval this is wholly inside (S2.4), if any
 */
public record IntervalEvidence(Instant start, long valid, long errors, FlagCounts flagged,
        Optional<String> windowId) {
    /** Scale of {@link #rateDecimal()}: that of {@code errorRateSum} (Availability.ERROR_RATE_SUM_SCALE). */
    public static final int RATE_SCALE = 18;

    /** All its flagged errors, whatever their kind. */
    public long flaggedErrors() {
        return flagged.total();
    }

    /** Whether the interval counts against the statement: it has errors and no window excludes them. */
    public boolean counts() {
        return errors > 0 && windowId.isEmpty();
    }

    /** Why its errors do not count: {@code maintenance-window} (S2.4 window) or {@code flagged} (S2.4 flags). */
    public String exclusion() {
        return windowId.isPresent() && errors > 0 ? "maintenance-window" : "flagged";
    }

    /** r as {numerator, denominator} in lowest terms (S2.5): 1/1 when E >= V (V = 0 < E included). */
    public BigInteger[] rate() {
        if (errors >= valid) {
            return new BigInteger[] {BigInteger.ONE, BigInteger.ONE};
        }
        BigInteger e = BigInteger.valueOf(errors);
        BigInteger v = BigInteger.valueOf(valid);
        BigInteger g = e.gcd(v);
        return new BigInteger[] {e.divide(g), v.divide(g)};
    }

    /** r written {@code "n/d"}. */
    public String rateFraction() {
        BigInteger[] r = rate();
        return r[0] + "/" + r[1];
    }

    /** r to {@value #RATE_SCALE} decimals, half-up (the exact value is {@link #rate()}). */
    public BigDecimal rateDecimal() {
        BigInteger[] r = rate();
        return new BigDecimal(r[0]).divide(new BigDecimal(r[1]), RATE_SCALE, RoundingMode.HALF_UP);
    }
}
