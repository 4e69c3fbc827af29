package dev.slaledger.core;

import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.terms.ClaimRules;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.HolidayRules;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.Intervals;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

/** Small builders shared by the core tests. */
public final class Fixtures {
    public static final ZoneId UTC = ZoneId.of("UTC");

    private Fixtures() {
    }

    /** The service period of a whole month (one term covering it). */
    public static ServicePeriod wholeMonth(YearMonth month) {
        return ServicePeriod.of(List.of(new Term(month.atDay(1), month.atEndOfMonth())), month).orElseThrow();
    }

    /**
     * Traffic laid out on consecutive intervals from 00:00 of the month's first day in
     * {@code zone}; each row is {@code {count, errors, valid}}: {@code count} intervals with E
     * errors (received 5xx) and V valid requests.
     */
    public static AccountMonthTraffic consecutive(YearMonth month, ZoneId zone, long[]... rows) {
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        long start = month.atDay(1).atStartOfDay(zone).toEpochSecond();
        for (long[] row : rows) {
            for (long k = 0; k < row[0]; k++) {
                traffic.add(start, row[2], row[1], 0);
                start += Intervals.SECONDS;
            }
        }
        return traffic;
    }

    /** {@code count} intervals with E errors among V valid requests. */
    public static long[] rows(long count, long errors, long valid) {
        return new long[] {count, errors, valid};
    }

    public static TermsVersion defaults() {
        return DefaultTerms.version();
    }

    /** The default terms with another zone and holiday calendar. */
    public static TermsVersion withCalendar(String zone, HolidayRules holidays) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated(d.version(), d.effectiveFrom(), ZoneId.of(zone), d.commitment(), d.tiers(),
                d.capPercent(), d.claim(), d.noticeDays(), holidays);
    }

    /** Custom tiers and cap on the default commitment 99.90. */
    public static TermsVersion withTiers(String capPercent, Tier... tiers) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated("custom", d.effectiveFrom(), d.timeZone(), d.commitment(), List.of(tiers),
                new BigDecimal(capPercent), d.claim(), d.noticeDays(), d.holidays());
    }

    public static Tier tier(String atLeast, String below, String percent) {
        return new Tier(new BigDecimal(atLeast), new BigDecimal(below), new BigDecimal(percent));
    }

    public static TermsVersion version(String id, String effectiveFrom, int noticeDays) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated(id, java.time.LocalDate.parse(effectiveFrom), d.timeZone(), d.commitment(),
                d.tiers(), d.capPercent(), new ClaimRules(5, 2), noticeDays, d.holidays());
    }
}
