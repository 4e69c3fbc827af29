package dev.slaledger.core.usecase;

import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.JobProgress;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

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
 *
 * <p>A month marked as a whole can hold a million accounts (a maintenance window for all accounts,
 * S7.1, issue 27 item 7): its accounts are streamed, never held, and handed out under a progress
 * record (key {@code restatement#YYYY-MM#mark}) checkpointed every
 * {@value MonthEndFanOut#CHECKPOINT_MESSAGES} work messages, so a run stopped by its time budget, its
 * timeout or a crash is continued by the next run from its last checkpoint (S9.2).
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
    public record Summary(long accountMonths, long wholeMonths, long accounts, long batches, long deferred,
            boolean complete) {
        public Summary(long accountMonths, long wholeMonths, long accounts, long batches, long deferred) {
            this(accountMonths, wholeMonths, accounts, batches, deferred, true);
        }
    }

    private final StatementRepository statements;
    private final AccountRepository accounts;
    private final StatementWorkQueue queue;
    private final JobProgress progress;
    private final Clock clock;
    private final int batchSize;

    public Restatement(StatementRepository statements, AccountRepository accounts, StatementWorkQueue queue,
            Clock clock, int batchSize) {
        this(statements, accounts, queue, JobProgress.none(), clock, batchSize);
    }

    public Restatement(StatementRepository statements, AccountRepository accounts, StatementWorkQueue queue,
            JobProgress progress, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.statements = statements;
        this.accounts = accounts;
        this.queue = queue;
        this.progress = progress;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** The progress key of the restatement of {@code month} marked as a whole with {@code mark}. */
    public static String key(YearMonth month, long mark) {
        return "restatement#" + month + "#" + mark;
    }

    public Summary run() {
        return run(() -> true);
    }

    /**
     * @param timeLeft false once the run must stop (its function's time budget): a whole month being
     *                 handed out is checkpointed and the next run continues it
     */
    public Summary run(BooleanSupplier timeLeft) {
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
                continue; // handed out with every account of the month below
            }
            enqueueAll(m.getKey(), m.getValue(), counts);
        }
        queue.flush();
        for (Map.Entry<YearMonth, Long> m : whole.entrySet()) {
            if (!wholeMonth(m.getKey(), m.getValue(), perMonth.getOrDefault(m.getKey(), Set.of()), counts, timeLeft)) {
                return new Summary(accountMonths, whole.size(), counts[0], counts[1], deferred[0], false);
            }
        }
        return new Summary(accountMonths, whole.size(), counts[0], counts[1], deferred[0], true);
    }

    /**
     * Hands out every account of a month marked as a whole, after the last checkpoint; the month's
     * own stale account-months (an account may have none of its service in the month any more) first.
     * Only once every account is on the queue does the whole-month entry leave the list (each account
     * still records the mark when recomputed, so claims and reads see it until then).
     *
     * @return false when the time budget stopped it (checkpointed)
     */
    private boolean wholeMonth(YearMonth month, long mark, Set<String> own, long[] counts, BooleanSupplier timeLeft) {
        String key = key(month, mark);
        Optional<JobProgress.Progress> before = progress.progress(key);
        if (before.isPresent() && before.get().complete()) {
            statements.clearMonthStale(month, mark);
            return true;
        }
        long[] handed = {before.map(JobProgress.Progress::items).orElse(0L)};
        List<String> batch = new ArrayList<>(batchSize);
        // an account into the batch; true when that filled it and it went out as a message
        Predicate<String> hand = id -> {
            batch.add(id);
            counts[0]++;
            handed[0]++;
            if (batch.size() < batchSize) {
                return false;
            }
            queue.enqueueRestatement(month, List.copyOf(batch));
            counts[1]++;
            batch.clear();
            return true;
        };
        if (before.isEmpty()) {
            // the month's own stale account-months go out with the first messages (before any checkpoint)
            own.forEach(hand::test);
        }
        // handed out above; when continuing a stopped run they went out in its first messages (marks set
        // since then go out again: a recomputation that is not needed is NOT_STALE, one read)
        Set<String> skip = before.isEmpty() ? own : Set.of();
        int[] sinceCheckpoint = {0};
        try {
            accounts.forEachAccountWithServiceIn(month, before.flatMap(JobProgress.Progress::cursor), id -> {
                if (skip.contains(id)) {
                    return;
                }
                if (hand.test(id) && ++sinceCheckpoint[0] == MonthEndFanOut.CHECKPOINT_MESSAGES) {
                    queue.flush();
                    progress.checkpoint(key, id, handed[0]);
                    sinceCheckpoint[0] = 0;
                    if (!timeLeft.getAsBoolean()) {
                        throw new BudgetSpent();
                    }
                }
            });
        } catch (BudgetSpent spent) {
            return false;
        }
        if (!batch.isEmpty()) {
            queue.enqueueRestatement(month, List.copyOf(batch));
            counts[1]++;
        }
        queue.flush();
        progress.complete(key, handed[0]);
        statements.clearMonthStale(month, mark);
        return true;
    }

    /** Thrown out of a listing when the time budget is spent (after a checkpoint). */
    private static final class BudgetSpent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetSpent() {
            super(null, null, false, false);
        }
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
