package dev.slaledger.emulators;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Scheduler expression, evaluated as Scheduler does, so that the local runtime can
 * fire the deployed schedules on a simulated clock (moto stores schedules but never fires them).
 * Only the simulation uses it: it lives with the engines, not in a deployed adapter.
 *
 * <ul>
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}: the six-field AWS form,
 *   matched by cron-utils (Apache-2.0) on an AWS definition: {@code *}, numbers, ranges, lists,
 *   steps, {@code JAN-DEC}, days of week {@code 1-7} (1 = Sunday) or {@code SUN-SAT}, {@code L} and
 *   {@code W} in day-of-month, {@code L} and {@code #} in day-of-week; exactly one of day-of-month
 *   and day-of-week is {@code ?}. Evaluated in the schedule's time zone, with Scheduler's
 *   daylight-saving rules: a local time that does not exist (clocks forward) is skipped, a local
 *   time that exists twice (clocks back) fires once, at its first occurrence.</li>
 *   <li>{@code rate(n minute[s]|hour[s]|day[s])}: every n units of elapsed time from the schedule's
 *   start (Scheduler starts a rate schedule without a start date at once); a day is 24 hours
 *   whatever the zone's daylight saving.</li>
 * </ul>
 */
public final class ScheduleExpression {
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minutes?|hours?|days?)\\)");
    /** How far ahead a cron is searched for its next instant before it is declared never to fire. */
    private static final Duration SEARCH = Duration.ofDays(366 * 8);
    /** EventBridge's six fields, as cron-utils defines a cron. */
    private static final CronDefinition AWS = CronDefinitionBuilder.defineCron()
            .withMinutes().withValidRange(0, 59).and()
            .withHours().withValidRange(0, 23).and()
            .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().and()
            .withMonth().withValidRange(1, 12).and()
            .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
            .supportsQuestionMark().and()
            .withYear().withValidRange(1970, 2199).and()
            .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
            .instance();
    private static final CronParser PARSER = new CronParser(AWS);

    private final String text;
    private final Duration rate;
    private final ExecutionTime cron;

    private ScheduleExpression(String text, Duration rate, ExecutionTime cron) {
        this.text = text;
        this.rate = rate;
        this.cron = cron;
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
        if (f[2].equals("?") == f[4].equals("?")) {
            throw new IllegalArgumentException(text + ": exactly one of day-of-month and day-of-week must be '?'");
        }
        Cron parsed;
        try {
            parsed = PARSER.parse(String.join(" ", f));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text + ": " + e.getMessage(), e);
        }
        return new ScheduleExpression(text, null, ExecutionTime.forCron(parsed));
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
     * {@code zone}; empty if it never fires again. cron-utils finds the next matching local time
     * (on a clock without daylight saving); the zone then decides whether that local time exists.
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        if (isRate()) {
            throw new IllegalStateException(text + " is a rate: use firings(start, ...)");
        }
        LocalDateTime local = after.atZone(zone).toLocalDateTime();
        LocalDateTime limit = local.plus(SEARCH);
        while (true) {
            Optional<ZonedDateTime> next = cron.nextExecution(local.atZone(ZoneOffset.UTC));
            if (next.isEmpty() || next.get().toLocalDateTime().isAfter(limit)) {
                return Optional.empty();
            }
            local = next.get().toLocalDateTime();
            if (zone.getRules().getValidOffsets(local).isEmpty()) {
                continue; // clocks went forward over it: Scheduler skips it
            }
            // clocks went back over it: once, at its first occurrence (atZone keeps the offset in
            // force before the transition, so the earlier of the two instants)
            Instant at = local.atZone(zone).toInstant();
            if (at.isAfter(after)) {
                return Optional.of(at);
            }
        }
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
