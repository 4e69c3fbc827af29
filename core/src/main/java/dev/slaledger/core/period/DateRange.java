package dev.slaledger.core.period;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** Calendar dates {@code start..end}, both inclusive. */
public record DateRange(LocalDate start, LocalDate end) {
    public DateRange {
        if (start == null || end == null) {
            throw new IllegalArgumentException("start and end are required");
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    public long days() {
        return ChronoUnit.DAYS.between(start, end) + 1;
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(start) && !date.isAfter(end);
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
