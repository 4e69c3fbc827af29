package dev.slaledger.core.calendar;

import dev.slaledger.core.terms.HolidayRules;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Working days (S5.2): Monday to Friday, not a public holiday of the terms' country
 * (the calendars of the jollyday holiday library, which maintains them, tabulated by
 * {@link PublicHolidayTable}), not an extra holiday of the terms; an extra working day (a make-up
 * workday) is always a working day.
 */
public final class WorkingDayCalendar {
    private final HolidayRules rules;
    private final Optional<String> country;
    private final String subdivision;
    private final Map<Integer, Set<LocalDate>> publicHolidaysByYear = new ConcurrentHashMap<>();

    private WorkingDayCalendar(HolidayRules rules) {
        this.rules = rules;
        this.country = rules.country().map(WorkingDayCalendar::countryOf);
        this.subdivision = rules.country().filter(c -> c.contains("-"))
                .map(c -> c.substring(c.indexOf('-') + 1).toLowerCase(Locale.ROOT))
                .orElse("");
    }

    private static final Map<HolidayRules, WorkingDayCalendar> CALENDARS = new ConcurrentHashMap<>();

    /** The calendar of these rules; calendars are immutable and shared, so holidays are looked up once a year. */
    public static WorkingDayCalendar of(HolidayRules rules) {
        return CALENDARS.computeIfAbsent(rules, WorkingDayCalendar::new);
    }

    /** Whether the holiday library has a calendar for the country part of {@code code} (e.g. DE of DE-BY). */
    public static boolean supportsCountry(String code) {
        return PublicHolidayTable.get().supports(countryOf(code));
    }

    public boolean isWorkingDay(LocalDate date) {
        if (rules.extraWorkingDays().contains(date)) {
            return true;
        }
        DayOfWeek dow = date.getDayOfWeek();
        if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
            return false;
        }
        if (rules.extraHolidays().contains(date)) {
            return false;
        }
        return !publicHolidays(date.getYear()).contains(date);
    }

    /** The {@code n}-th (1-based) working day of {@code month}, or of a later month if the month has fewer. */
    public LocalDate nthWorkingDay(YearMonth month, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        LocalDate day = month.atDay(1);
        int seen = 0;
        while (true) {
            if (isWorkingDay(day)) {
                seen++;
                if (seen == n) {
                    return day;
                }
            }
            day = day.plusDays(1);
        }
    }

    private Set<LocalDate> publicHolidays(int year) {
        if (country.isEmpty()) {
            return Set.of();
        }
        return publicHolidaysByYear.computeIfAbsent(year,
                y -> PublicHolidayTable.get().holidays(country.get(), subdivision, y));
    }

    private static String countryOf(String code) {
        int dash = code.indexOf('-');
        return (dash < 0 ? code : code.substring(0, dash)).toLowerCase(Locale.ROOT);
    }
}
