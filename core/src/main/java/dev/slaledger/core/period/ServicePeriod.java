package dev.slaledger.core.period;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The service period of an account for one month (S1.2): the days of the month covered
 * by any of its terms, as disjoint ranges in date order. Adjacent or overlapping terms
 * merge; a gap leaves days out.
 */
public record ServicePeriod(YearMonth month, List<DateRange> ranges) {
    /** Intervals per day as the SLA counts them (S1.3: 12 x 24, also on DST days). */
    public static final int INTERVALS_PER_DAY = 12 * 24;

    public ServicePeriod {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("a service period covers at least one day");
        }
    }

    /** S1.2: the period for {@code month} given all of an account's terms, if any day is covered. */
    public static Optional<ServicePeriod> of(Collection<Term> terms, YearMonth month) {
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        List<DateRange> clipped = new ArrayList<>();
        for (Term term : terms) {
            if (term.end().isBefore(first) || term.start().isAfter(last)) {
                continue;
            }
            LocalDate s = term.start().isBefore(first) ? first : term.start();
            LocalDate e = term.end().isAfter(last) ? last : term.end();
            clipped.add(new DateRange(s, e));
        }
        if (clipped.isEmpty()) {
            return Optional.empty();
        }
        clipped.sort(Comparator.comparing(DateRange::start));
        List<DateRange> merged = new ArrayList<>();
        DateRange current = clipped.get(0);
        for (int i = 1; i < clipped.size(); i++) {
            DateRange next = clipped.get(i);
            if (!next.start().isAfter(current.end().plusDays(1))) {
                LocalDate end = next.end().isAfter(current.end()) ? next.end() : current.end();
                current = new DateRange(current.start(), end);
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return Optional.of(new ServicePeriod(month, merged));
    }

    /** S1.3: number of covered days. */
    public long days() {
        long days = 0;
        for (DateRange r : ranges) {
            days += r.days();
        }
        return days;
    }

    /** S1.3: N = 288 x days. */
    public long intervals() {
        return INTERVALS_PER_DAY * days();
    }

    public LocalDate firstDay() {
        return ranges.get(0).start();
    }

    public boolean covers(LocalDate date) {
        for (DateRange r : ranges) {
            if (r.contains(date)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The covered days as half-open epoch-second ranges {@code [from, to)} in the given zone,
     * flattened as {@code [from0, to0, from1, to1, ...]}: an interval belongs to the period
     * when its start lies in one of them (S2.1, S1.4). A 23- or 25-hour DST day spans 23 or
     * 25 hours here, while N stays 288 per day (S1.3).
     */
    public long[] epochSecondBounds(ZoneId zone) {
        long[] bounds = new long[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            DateRange r = ranges.get(i);
            bounds[2 * i] = r.start().atStartOfDay(zone).toEpochSecond();
            bounds[2 * i + 1] = r.end().plusDays(1).atStartOfDay(zone).toEpochSecond();
        }
        return bounds;
    }
}
