package dev.slaledger.core.traffic;

import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * S7.4: how long the traffic inputs of a month (its five-minute aggregates, and the records
 * quarantined beside them) are kept, derived from the terms rather than from a constant that
 * could drift from them.
 *
 * <p>The claim window of month M closes at 00:00 of the first day of month
 * {@code M + closesMonthsAfterPeriodEnd + 1} in the terms' zone (S5.1). Ingest knows neither the
 * account's zone nor which version governs the month, so it takes the worst case of both: the
 * longest {@code closesMonthsAfterPeriodEnd} of every published version (the default terms'
 * as a floor) and the latest zone, UTC-12. M's inputs are kept until then plus a margin
 * ({@link #keepUntil}).
 *
 * <p>An interval belongs to one month or two, depending on the zone (UTC-12 to UTC+14):
 * <ul>
 * <li>its aggregate expires ({@link #expiresAt}) at {@code keepUntil} of the <em>latest</em> of
 *     them (its month at UTC+14), so it outlives the window of every month it can count in;</li>
 * <li>a record is too old ({@link #oldestIntervalStart}) once {@code keepUntil} of the
 *     <em>earliest</em> of them (its month at UTC-12) has passed: from then on, some interval of
 *     that month may already be gone, and a recomputation would count the late record against
 *     partial data. Records of such a month are quarantined {@code TOO_OLD}.</li>
 * </ul>
 */
public final class Retention {
    /**
     * The margin after the last claim window closes: a quarter (92 days, the longest three
     * months). It covers a claim decided in the window's last hours (its statement recomputed
     * from the aggregates), a dispute or audit of a decision afterwards, and the restatement of
     * a month an operator reopens; DynamoDB's TTL deletion lagging by days only adds to it.
     */
    public static final Duration DEFAULT_MARGIN = Duration.ofDays(92);
    /** The earliest zone: an instant's month is latest here. */
    static final ZoneOffset EARLIEST_ZONE = ZoneOffset.ofHours(14);
    /** The latest zone: a window has closed everywhere once it has closed here. */
    static final ZoneOffset LATEST_ZONE = ZoneOffset.ofHours(-12);

    private final int claimMonths;
    private final Duration margin;
    private final Set<ZoneId> zones;

    private Retention(int claimMonths, Duration margin, Set<ZoneId> zones) {
        if (claimMonths < 0) {
            throw new IllegalArgumentException("closesMonthsAfterPeriodEnd must not be negative: " + claimMonths);
        }
        if (Objects.requireNonNull(margin).isNegative()) {
            throw new IllegalArgumentException("the margin must not be negative: " + margin);
        }
        this.claimMonths = claimMonths;
        this.margin = margin;
        this.zones = Set.copyOf(zones);
    }

    /**
     * The retention for every published version: the longest {@code closesMonthsAfterPeriodEnd}
     * among them and the default terms (a floor: no published version shortens it).
     */
    public static Retention fromTerms(Collection<TermsVersion> published, Duration margin) {
        int months = DefaultTerms.version().claim().closesMonthsAfterPeriodEnd();
        Set<ZoneId> zones = new LinkedHashSet<>();
        for (TermsVersion v : published) {
            months = Math.max(months, v.claim().closesMonthsAfterPeriodEnd());
            zones.add(v.timeZone());
        }
        return new Retention(months, margin, zones);
    }

    /**
     * The retention for a claim period of {@code closesMonthsAfterPeriodEnd} months (tests, tools),
     * read without terms: {@link #zones} is empty.
     */
    public static Retention of(int closesMonthsAfterPeriodEnd, Duration margin) {
        return new Retention(closesMonthsAfterPeriodEnd, margin, Set.of());
    }

    /**
     * The time zones of the versions read (S1.4): every zone a month of these terms is taken in, so
     * the zones in which a month can have ended and have a statement. Empty when read without terms
     * (then any zone, UTC-12 to UTC+14, must be assumed). The expiry above does not use them: it
     * keeps the worst case over every zone.
     */
    public Set<ZoneId> zones() {
        return zones;
    }

    /** The longest {@code closesMonthsAfterPeriodEnd} this retention covers. */
    public int claimMonths() {
        return claimMonths;
    }

    public Duration margin() {
        return margin;
    }

    /** When the claim window of {@code month} has closed in every zone, under every version covered. */
    public Instant claimWindowsClosed(YearMonth month) {
        return month.plusMonths(claimMonths + 1L).atDay(1).atStartOfDay(LATEST_ZONE).toInstant();
    }

    /** The first instant the inputs of {@code month} may be gone: its windows closed, plus the margin. */
    public Instant keepUntil(YearMonth month) {
        return claimWindowsClosed(month).plus(margin);
    }

    /** The TTL (epoch seconds) of the aggregate of the interval starting at {@code intervalStart}. */
    public long expiresAt(long intervalStart) {
        return keepUntil(latestMonth(intervalStart)).getEpochSecond();
    }

    /**
     * The oldest interval start (epoch seconds) a record may have at {@code now}: every month an
     * interval from there on belongs to is still kept whole. An interval starting earlier is
     * {@code TOO_OLD}. It is the start of a month at UTC-12 (a multiple of 300 s).
     */
    public long oldestIntervalStart(Instant now) {
        // keepUntil(M) > now  <=>  (M + k + 1) starts (UTC-12) after now - margin
        //                     <=>  M >= X - k, X the month of (now - margin) at UTC-12
        YearMonth x = YearMonth.from(now.minus(margin).atOffset(LATEST_ZONE));
        return x.minusMonths(claimMonths).atDay(1).atStartOfDay(LATEST_ZONE).toEpochSecond();
    }

    /** Whether a record of the interval starting at {@code intervalStart} is too old at {@code now}. */
    public boolean tooOld(long intervalStart, Instant now) {
        return intervalStart < oldestIntervalStart(now);
    }

    /** The month of the interval in the latest zone (UTC-12): the earliest month it can belong to. */
    public static YearMonth earliestMonth(long intervalStart) {
        return YearMonth.from(LocalDateTime.ofEpochSecond(intervalStart, 0, LATEST_ZONE));
    }

    /** The month of the interval in the earliest zone (UTC+14): the latest month it can belong to. */
    public static YearMonth latestMonth(long intervalStart) {
        return YearMonth.from(LocalDateTime.ofEpochSecond(intervalStart, 0, EARLIEST_ZONE));
    }

    @Override
    public String toString() {
        return "Retention[closesMonthsAfterPeriodEnd=" + claimMonths + ", margin=" + margin + "]";
    }
}
