package dev.slaledger.core.period;

import java.time.LocalDate;

/**
 * A subscription term (S1.1): calendar dates in the SLA time zone, start and end
 * inclusive. Bought for three months from March 17, a term is 03-17..06-16.
 */
public record Term(LocalDate start, LocalDate end) {
    public Term {
        if (start == null || end == null) {
            throw new IllegalArgumentException("a term needs a start and an end date");
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("term end " + end + " is before its start " + start);
        }
    }

    /** The term a purchase of {@code months} months from {@code start} buys (SLA 1.1). */
    public static Term ofMonths(LocalDate start, int months) {
        return new Term(start, start.plusMonths(months).minusDays(1));
    }

    public DateRange asRange() {
        return new DateRange(start, end);
    }
}
