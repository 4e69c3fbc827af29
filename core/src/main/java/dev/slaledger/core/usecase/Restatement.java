package dev.slaledger.core.usecase;

import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.StatementRepository.StaleEntry;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.StatementWorkQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduled restatement run (S7.2): reads the stale list (no Scan: O(1) requests when
 * nothing is stale), and hands every stale account-month to the statement workers, in the
 * month-end's work messages marked as restatements. A month marked as a whole (a maintenance
 * window for all accounts) is handed out as every account with a service period in it; once all
 * of them are queued, the month-wide mark leaves the list (each account still records it when
 * recomputed, so claims and reads see it until then).
 *
 * <p>A month that has not ended everywhere yet is left for the month-end (its marks stay). The
 * workers skip account-months no longer stale and clear the marks of months whose claim window
 * has closed. Safe to run twice or concurrently: a worker recomputes only what is still stale.
 */
public final class Restatement {
    /** The latest UTC offset in use: a month has ended everywhere once it has ended there. */
    private static final ZoneOffset LAST_ZONE = ZoneOffset.ofHours(-12);

    /**
     * @param accountMonths account-months queued for their own marks
     * @param wholeMonths   months marked as a whole whose accounts were queued
     * @param accounts      account-months queued in all
     * @param batches       work messages sent
     * @param deferred      entries left for the month-end (their month has not ended everywhere)
     */
    public record Summary(long accountMonths, long wholeMonths, long accounts, long batches, long deferred) {
    }

    private final StatementRepository statements;
    private final AccountRepository accounts;
    private final StatementWorkQueue queue;
    private final Clock clock;
    private final int batchSize;

    public Restatement(StatementRepository statements, AccountRepository accounts, StatementWorkQueue queue,
            Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.statements = statements;
        this.accounts = accounts;
        this.queue = queue;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    public Summary run() {
        Instant now = clock.instant();
        Map<YearMonth, Set<String>> perMonth = new TreeMap<>();
        Map<YearMonth, Long> whole = new TreeMap<>();
        long[] deferred = {0};
        statements.forEachStale((StaleEntry e) -> {
            if (!endedEverywhere(e.month(), now)) {
                deferred[0]++;
            } else if (e.accountId().isPresent()) {
                perMonth.computeIfAbsent(e.month(), m -> new LinkedHashSet<>()).add(e.accountId().get());
            } else {
                whole.merge(e.month(), e.mark(), Math::max);
            }
        });
        long accountMonths = perMonth.values().stream().mapToLong(Set::size).sum();
        long[] counts = new long[2];
        for (Map.Entry<YearMonth, Set<String>> m : perMonth.entrySet()) {
            if (whole.containsKey(m.getKey())) {
                continue; // every account of the month is queued below
            }
            enqueueAll(m.getKey(), m.getValue(), counts);
        }
        for (Map.Entry<YearMonth, Long> m : whole.entrySet()) {
            Set<String> ids = new LinkedHashSet<>(perMonth.getOrDefault(m.getKey(), Set.of()));
            accounts.forEachAccountWithServiceIn(m.getKey(), ids::add);
            enqueueAll(m.getKey(), ids, counts);
        }
        queue.flush();
        // Only now that every account of the month is on the queue may the whole-month entry go.
        whole.forEach(statements::clearMonthStale);
        return new Summary(accountMonths, whole.size(), counts[0], counts[1], deferred[0]);
    }

    private void enqueueAll(YearMonth month, Set<String> ids, long[] counts) {
        List<String> batch = new ArrayList<>(batchSize);
        for (String id : ids) {
            batch.add(id);
            counts[0]++;
            if (batch.size() == batchSize) {
                queue.enqueueRestatement(month, List.copyOf(batch));
                counts[1]++;
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            queue.enqueueRestatement(month, List.copyOf(batch));
            counts[1]++;
        }
    }

    static boolean endedEverywhere(YearMonth month, Instant now) {
        return !now.isBefore(month.plusMonths(1).atDay(1).atStartOfDay(LAST_ZONE).toInstant());
    }
}
