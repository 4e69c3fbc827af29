package dev.slaledger.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Which account-months a record may be late for (issue 3 item 5). Ingest does not know the
 * account's terms time zone (S1.4), so it reasons over every offset a zone can have,
 * UTC-12 to UTC+14: an interval belongs to at most two months, and a month may already have a
 * statement once it has ended somewhere, that is at 00:00 of the next month at UTC+14. Marking
 * a month that turns out not to be the account's costs one recomputation that changes nothing;
 * missing one would leave a wrong statement, so the rule errs on the safe side.
 */
public final class LateData {
    static final ZoneOffset EARLIEST_OFFSET = ZoneOffset.ofHours(14);
    static final ZoneOffset LATEST_OFFSET = ZoneOffset.ofHours(-12);

    private LateData() {
    }

    /** The months, in any time zone, of the interval starting at {@code intervalStart} (epoch s). */
    public static List<YearMonth> monthsOf(long intervalStart) {
        YearMonth west = YearMonth.from(LocalDateTime.ofEpochSecond(intervalStart, 0, LATEST_OFFSET));
        YearMonth east = YearMonth.from(LocalDateTime.ofEpochSecond(intervalStart, 0, EARLIEST_OFFSET));
        return west.equals(east) ? List.of(west) : List.of(west, east);
    }

    /** True once {@code month} has ended in some time zone: a statement for it may exist. */
    public static boolean mayHaveStatement(YearMonth month, Instant now) {
        return !now.isBefore(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(EARLIEST_OFFSET));
    }
}
