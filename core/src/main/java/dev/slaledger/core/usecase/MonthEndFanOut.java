package dev.slaledger.core.usecase;

import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The month-end run (issue 5): lists every account with a service period in the month and
 * hands them to the workers in batches. Safe to run twice: the workers store nothing that
 * did not change.
 */
public final class MonthEndFanOut {
    public record Summary(YearMonth month, long accounts, long batches) {
    }

    private final AccountRepository accounts;
    private final StatementWorkQueue queue;
    private final Clock clock;
    private final int batchSize;

    public MonthEndFanOut(AccountRepository accounts, StatementWorkQueue queue, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.accounts = accounts;
        this.queue = queue;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /**
     * The time zone of the terms version in force today by the clock: the latest published
     * whose effectiveFrom has come, in its own zone (a version published for a later date does
     * not move the month-end yet).
     */
    public ZoneId zoneInForce(List<TermsVersion> published) {
        return zoneInForce(clock, published);
    }

    /** {@link #zoneInForce(List)} by {@code clock} (the forecast's admin route, which fans nothing out). */
    public static ZoneId zoneInForce(Clock clock, List<TermsVersion> published) {
        if (published.isEmpty()) {
            throw new IllegalStateException("no terms version is published");
        }
        TermsVersion inForce = published.get(0);
        for (TermsVersion v : published) {
            if (!v.effectiveFrom().isAfter(LocalDate.now(clock.withZone(v.timeZone())))) {
                inForce = v;
            }
        }
        return inForce.timeZone();
    }

    /** The month that ended most recently by the clock, in the terms' zone. */
    public YearMonth lastEndedMonth(ZoneId zone) {
        return YearMonth.from(LocalDate.now(clock.withZone(zone))).minusMonths(1);
    }

    /**
     * @param month the month to compute; empty for the month that just ended in {@code zone}
     */
    public Summary run(Optional<YearMonth> month, ZoneId zone) {
        YearMonth target = month.orElseGet(() -> lastEndedMonth(zone));
        List<String> batch = new ArrayList<>(batchSize);
        long[] counts = new long[2];
        accounts.forEachAccountWithServiceIn(target, accountId -> {
            batch.add(accountId);
            counts[0]++;
            if (batch.size() == batchSize) {
                queue.enqueue(target, List.copyOf(batch));
                counts[1]++;
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            queue.enqueue(target, List.copyOf(batch));
            counts[1]++;
        }
        queue.flush();
        return new Summary(target, counts[0], counts[1]);
    }
}
