package dev.slaledger.core.claim;

import dev.slaledger.core.calendar.WorkingDayCalendar;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;

/**
 * When claims for the service period of month M may be made (S5.1): from 00:00 of working
 * day {@code opensAfterWorkingDays + 1} of M+1 (after the 5th working day by default), to
 * the end of the last day of M + {@code closesMonthsAfterPeriodEnd}, in the terms' zone.
 *
 * @param opensAt  the first instant a claim is accepted
 * @param closesAt the first instant a claim is no longer accepted
 */
public record ClaimWindow(ZonedDateTime opensAt, ZonedDateTime closesAt) {

    public static ClaimWindow forMonth(TermsVersion terms, YearMonth month, WorkingDayCalendar calendar) {
        YearMonth next = month.plusMonths(1);
        LocalDate opensOn = calendar.nthWorkingDay(next, terms.claim().opensAfterWorkingDays() + 1);
        LocalDate closesOn = month.plusMonths(terms.claim().closesMonthsAfterPeriodEnd() + 1L).atDay(1);
        return new ClaimWindow(opensOn.atStartOfDay(terms.timeZone()), closesOn.atStartOfDay(terms.timeZone()));
    }

    public static ClaimWindow forMonth(TermsVersion terms, YearMonth month) {
        return forMonth(terms, month, WorkingDayCalendar.of(terms.holidays()));
    }

    public boolean isTooEarly(Instant now) {
        return now.isBefore(opensAt.toInstant());
    }

    public boolean isTooLate(Instant now) {
        return !now.isBefore(closesAt.toInstant());
    }
}
