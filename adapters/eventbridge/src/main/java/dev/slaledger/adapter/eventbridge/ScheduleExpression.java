package dev.slaledger.adapter.eventbridge;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Scheduler expression, evaluated as Scheduler does, so that a local runtime can fire
 * the deployed schedules on a simulated clock (moto stores schedules but never fires them).
 *
 * <ul>
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}: the six-field AWS form;
 *   fields take {@code *}, numbers, ranges {@code a-b}, lists {@code a,b} and steps {@code a/n} or
 *   {@code a-b/n}; months {@code JAN-DEC}, days of week {@code 1-7} (1 = Sunday) or {@code SUN-SAT};
 *   exactly one of day-of-month and day-of-week is {@code ?}. {@code L}, {@code W} and {@code #}
 *   are refused (no schedule of ours uses them). Evaluated in the schedule's time zone, with
 *   Scheduler's daylight-saving rules: a local time that does not exist (clocks forward) is
 *   skipped, a local time that exists twice (clocks back) fires once, at its first occurrence.</li>
 *   <li>{@code rate(n minute[s]|hour[s]|day[s])}: every n units of elapsed time from the schedule's
 *   start (Scheduler starts a rate schedule without a start date at once); a day is 24 hours
 *   whatever the zone's daylight saving.</li>
 * </ul>
 */
public final class ScheduleExpression {
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minutes?|hours?|days?)\\)");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    /** How far ahead a cron is searched for its next instant before it is declared never to fire. */
    private static final int SEARCH_DAYS = 366 * 8;

    private final String text;
    private final Duration rate;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;

    private ScheduleExpression(String text, Duration rate, BitSet[] cron) {
        this.text = text;
        this.rate = rate;
        this.minutes = cron == null ? null : cron[0];
        this.hours = cron == null ? null : cron[1];
        this.daysOfMonth = cron == null ? null : cron[2];
        this.months = cron == null ? null : cron[3];
        this.daysOfWeek = cron == null ? null : cron[4];
        this.years = cron == null ? null : cron[5];
    }

    /** Parses a {@code cron(...)} or {@code rate(...)} expression; anything else is refused with the reason. */
    public static ScheduleExpression parse(String text) {
        Matcher r = RATE.matcher(text);
        if (r.matches()) {
            long n = Long.parseLong(r.group(1));
            if (n <= 0) {
                throw new IllegalArgumentException(text + ": a rate must be positive");
            }
            String unit = r.group(2);
            boolean singular = !unit.endsWith("s");
            if (singular != (n == 1)) {
                throw new IllegalArgumentException(text + ": write '1 " + unit.replaceAll("s$", "")
                        + "' for one and the plural for more, as Scheduler requires");
            }
            Duration d = unit.startsWith("minute") ? Duration.ofMinutes(n)
                    : unit.startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
            return new ScheduleExpression(text, d, null);
        }
        Matcher c = CRON.matcher(text);
        if (!c.matches()) {
            throw new IllegalArgumentException(text + ": not a cron(...) or rate(...) expression");
        }
        String[] f = c.group(1).trim().split("\\s+");
        if (f.length != 6) {
            throw new IllegalArgumentException(text + ": a cron expression has 6 fields, this has " + f.length);
        }
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            throw new IllegalArgumentException(text + ": exactly one of day-of-month and day-of-week must be '?'");
        }
        BitSet[] fields = {
            field(text, f[0], 0, 59, null, 0),
            field(text, f[1], 0, 23, null, 0),
            domAny ? range(1, 31) : field(text, f[2], 1, 31, null, 0),
            field(text, f[3], 1, 12, MONTHS, 1),
            dowAny ? range(1, 7) : field(text, f[4], 1, 7, DAYS, 1),
            field(text, f[5], 1970, 2199, null, 0),
        };
        return new ScheduleExpression(text, null, fields);
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to + 1);
        return b;
    }

    private static BitSet field(String text, String field, int min, int max, String[] names, int firstName) {
        BitSet set = new BitSet();
        for (String part : field.split(",")) {
            String base = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                base = part.substring(0, slash);
                step = Integer.parseInt(part.substring(slash + 1));
                if (step <= 0) {
                    throw new IllegalArgumentException(text + ": step must be positive in " + part);
                }
            }
            int from;
            int to;
            if (base.equals("*")) {
                from = min;
                to = max;
            } else if (base.contains("-")) {
                String[] ab = base.split("-", 2);
                from = value(text, ab[0], min, max, names, firstName);
                to = value(text, ab[1], min, max, names, firstName);
            } else {
                from = value(text, base, min, max, names, firstName);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw new IllegalArgumentException(text + ": range " + base + " runs backwards");
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(String text, String token, int min, int max, String[] names, int firstName) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(token)) {
                    return i + firstName;
                }
            }
        }
        int v;
        try {
            v = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + ": '" + token + "' is not supported here (L, W and # are not)");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(text + ": " + v + " is outside " + min + "-" + max);
        }
        return v;
    }

    public boolean isRate() {
        return rate != null;
    }

    /** The interval of a rate expression. */
    public Optional<Duration> rate() {
        return Optional.ofNullable(rate);
    }

    /**
     * The first instant strictly after {@code after} at which a cron expression fires in
     * {@code zone}; empty if it never fires again.
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        if (isRate()) {
            throw new IllegalStateException(text + " is a rate: use firings(start, ...)");
        }
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
            if (!matches(day)) {
                continue;
            }
            for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
                for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                    LocalDateTime local = LocalDateTime.of(day, LocalTime.of(h, m));
                    List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
                    if (offsets.isEmpty()) {
                        continue; // clocks went forward over it: Scheduler skips it
                    }
                    // clocks went back over it: once, at its first occurrence (atZone keeps the
                    // offset in force before the transition, so the earlier of the two instants)
                    Instant at = local.atZone(zone).toInstant();
                    if (at.isAfter(after)) {
                        return Optional.of(at);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean matches(LocalDate day) {
        int dow = day.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : day.getDayOfWeek().getValue() + 1;
        return years.get(day.getYear()) && months.get(day.getMonthValue()) && daysOfMonth.get(day.getDayOfMonth())
                && daysOfWeek.get(dow);
    }

    /**
     * Every instant in {@code (from, to]} at which the schedule fires: a cron in {@code zone}; a
     * rate at {@code start + k x rate} for k >= 0 ({@code start}: when the schedule was created).
     */
    public List<Instant> firings(Instant start, ZoneId zone, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        if (isRate()) {
            long step = rate.toMillis();
            long k = from.isBefore(start) ? 0 : Math.floorDiv(Duration.between(start, from).toMillis(), step) + 1;
            for (Instant at = start.plusMillis(k * step); !at.isAfter(to); at = at.plusMillis(step)) {
                if (at.isAfter(from)) {
                    out.add(at);
                }
            }
            return out;
        }
        for (Optional<Instant> next = nextAfter(from, zone); next.isPresent() && !next.get().isAfter(to);
                next = nextAfter(next.get(), zone)) {
            out.add(next.get());
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
