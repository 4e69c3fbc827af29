package dev.slaledger.core.terms;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * The working-day calendar of the terms (S5.2): a country for the holiday library
 * (optional), extra holidays, and extra working days (make-up workdays on weekends).
 */
public record HolidayRules(Optional<String> country, Set<LocalDate> extraHolidays, Set<LocalDate> extraWorkingDays) {
    public HolidayRules {
        extraHolidays = Set.copyOf(extraHolidays);
        extraWorkingDays = Set.copyOf(extraWorkingDays);
    }

    public static HolidayRules weekendsOnly() {
        return new HolidayRules(Optional.empty(), Set.of(), Set.of());
    }
}
