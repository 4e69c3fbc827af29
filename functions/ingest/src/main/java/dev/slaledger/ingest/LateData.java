package dev.slaledger.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which account-months a record may be late for (issue 3 item 5, S7.1). Ingest does not know
 * which account a version governs, but it reads the published terms (for retention, S7.4), and
 * every calendar notion is taken in a version's zone (S1.4): an interval belongs to the month it
 * falls in in one of those zones, and a month may have a statement once it has ended in one of
 * them. Marking a month that turns out not to be the account's costs one recomputation that
 * changes nothing; missing one would leave a wrong statement, so the rule errs on the safe side
 * within the terms' zones.
 *
 * <p>Why the terms' zones and not every offset: with every offset (UTC-12 to UTC+14, the rule
 * {@link #ANY_ZONE} keeps for a reader without terms) every account with traffic in a month's last
 * 14 hours UTC had its month marked before the month-end, and again by the first 12 hours of the
 * next month after it: one more write per active account at every month-end, and a restatement of
 * every active account the next day (issue 27, docs/benchmarks.md "The model against the engines").
 * The zones come from the same cached read as the retention ({@code TermsRetention}); a version
 * published later governs only periods at least its {@code noticeDays} after publication, whose
 * months cannot have ended when a container re-reads the terms within the hour.
 */
public final class LateData {
    /** Without terms: every zone a month can be taken in, UTC-12 to UTC+14. */
    public static final LateData ANY_ZONE = new LateData(List.of(ZoneOffset.ofHours(-12), ZoneOffset.ofHours(14)));

    private final List<ZoneId> zones;
    /** The last answer of {@link #monthsOf}, valid for interval starts in [{@code cachedFrom}, {@code cachedUntil}). */
    private long cachedFrom = Long.MAX_VALUE;
    private long cachedUntil = Long.MIN_VALUE;
    private List<YearMonth> cached;
    /** Per month, the earliest instant it has ended in one of the zones. */
    private final Map<YearMonth, Instant> endedAt = new HashMap<>();

    private LateData(List<ZoneId> zones) {
        this.zones = zones;
    }

    /** The rule for the terms' zones ({@link #ANY_ZONE} when none is known). */
    public static LateData inZones(Collection<ZoneId> zones) {
        return zones.isEmpty() ? ANY_ZONE : new LateData(List.copyOf(zones));
    }

    /**
     * The months, in the zones of this rule, of the interval starting at {@code intervalStart} (epoch s), in order.
     * Consecutive keys mostly fall in the same months: the answer is kept with the span of starts it holds for.
     */
    public synchronized List<YearMonth> monthsOf(long intervalStart) {
        if (intervalStart >= cachedFrom && intervalStart < cachedUntil) {
            return cached;
        }
        Instant start = Instant.ofEpochSecond(intervalStart);
        List<YearMonth> months = new ArrayList<>(2);
        long from = Long.MIN_VALUE;
        long until = Long.MAX_VALUE;
        for (ZoneId zone : zones) {
            YearMonth m = YearMonth.from(LocalDateTime.ofInstant(start, zone));
            if (!months.contains(m)) {
                months.add(m);
            }
            from = Math.max(from, m.atDay(1).atStartOfDay(zone).toEpochSecond());
            until = Math.min(until, m.plusMonths(1).atDay(1).atStartOfDay(zone).toEpochSecond());
        }
        months.sort(null);
        cached = List.copyOf(months);
        cachedFrom = from;
        cachedUntil = until;
        return cached;
    }

    /** True once {@code month} has ended in one of this rule's zones: a statement for it may exist. */
    public synchronized boolean mayHaveStatement(YearMonth month, Instant now) {
        Instant ended = endedAt.computeIfAbsent(month, m -> {
            Instant earliest = null;
            for (ZoneId zone : zones) {
                Instant end = m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
                earliest = earliest == null || end.isBefore(earliest) ? end : earliest;
            }
            return earliest;
        });
        return !now.isBefore(ended);
    }
}
