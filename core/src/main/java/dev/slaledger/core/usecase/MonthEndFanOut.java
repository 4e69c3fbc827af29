package dev.slaledger.core.usecase;

import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.JobProgress;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The month-end run (issue 5): lists every account with a service period in the month and hands
 * them to the workers in batches. Safe to run twice: the workers store nothing that did not change.
 *
 * <p>Which month a scheduled run closes is decided in the terms' zones, never in the zone the
 * schedule fires in (S1.4, issue 27 item 5): the latest month that has ended in the zone of every
 * terms version that may govern one of its periods ({@link #closableMonth}). A month is closed once:
 * the run records its progress ({@link JobProgress}, key {@code month-end#YYYY-MM}), checkpoints
 * every {@value #CHECKPOINT_MESSAGES} work messages, resumes after the last checkpoint when a
 * run was stopped (its time budget, its timeout, a crash: S9.2), and skips a month it completed.
 */
public final class MonthEndFanOut {
    /** Work messages between checkpoints: one SendMessageBatch of ten. */
    public static final int CHECKPOINT_MESSAGES = 10;
    /** The earliest UTC offset in use: a month has ended somewhere once it has ended here. */
    private static final ZoneOffset FIRST_ZONE = ZoneOffset.ofHours(14);

    /**
     * @param month       the month
     * @param accounts    accounts handed on by this run
     * @param batches     work messages sent by this run
     * @param complete    whether every account of the month has now been handed on
     * @param alreadyDone whether an earlier run had completed the month (nothing was done)
     */
    public record Summary(YearMonth month, long accounts, long batches, boolean complete, boolean alreadyDone) {
    }

    private final AccountRepository accounts;
    private final StatementWorkQueue queue;
    private final JobProgress progress;
    private final Clock clock;
    private final int batchSize;

    public MonthEndFanOut(AccountRepository accounts, StatementWorkQueue queue, JobProgress progress, Clock clock,
            int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.accounts = accounts;
        this.queue = queue;
        this.progress = progress;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** The progress key of the scheduled close of {@code month}. */
    public static String key(YearMonth month) {
        return "month-end#" + month;
    }

    /**
     * The time zone of the terms version in force today by {@code clock}: the latest published whose
     * effectiveFrom has come, in its own zone (the forecast's month under way, S9.8).
     */
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

    /** {@link #zoneInForce(Clock, List)} by this fan-out's clock. */
    public ZoneId zoneInForce(List<TermsVersion> published) {
        return zoneInForce(clock, published);
    }

    /**
     * The zones in which {@code month} must have ended before it is closed: those of the versions
     * that may govern a period of it (S6.3: the first published, and every version effective on or
     * before the month's last day, in its own zone).
     */
    static Set<ZoneId> governingZones(List<TermsVersion> published, YearMonth month) {
        if (published.isEmpty()) {
            throw new IllegalStateException("no terms version is published");
        }
        Set<ZoneId> zones = new LinkedHashSet<>();
        zones.add(published.get(0).timeZone());
        for (TermsVersion v : published) {
            if (!v.effectiveFrom().isAfter(month.atEndOfMonth())) {
                zones.add(v.timeZone());
            }
        }
        return zones;
    }

    /** Whether {@code month} has ended, at {@code now}, in every zone that may govern it. */
    static boolean endedInEveryGoverningZone(List<TermsVersion> published, YearMonth month, Instant now) {
        LocalDate next = month.plusMonths(1).atDay(1);
        return governingZones(published, month).stream()
                .allMatch(zone -> !now.isBefore(next.atStartOfDay(zone).toInstant()));
    }

    /**
     * The month a scheduled run closes now: the latest month that has ended in the zone of every
     * version that may govern it, whatever zone the schedule fires in.
     */
    public YearMonth closableMonth(List<TermsVersion> published) {
        Instant now = clock.instant();
        YearMonth candidate = YearMonth.from(LocalDate.ofInstant(now, FIRST_ZONE)).minusMonths(1);
        while (!endedInEveryGoverningZone(published, candidate, now)) {
            candidate = candidate.minusMonths(1);
        }
        return candidate;
    }

    /**
     * The scheduled run: closes {@link #closableMonth} once. Continues a stopped run after its last
     * checkpoint; does nothing when the month was completed.
     *
     * @param timeLeft false once the run must stop (its function's time budget): it checkpoints and
     *                 returns incomplete, and the next firing continues
     */
    public Summary closeMonth(List<TermsVersion> published, BooleanSupplier timeLeft) {
        YearMonth month = closableMonth(published);
        return run(month, key(month), timeLeft);
    }

    /**
     * Hands every account with a service period in {@code month} to the workers, under progress
     * {@code key}: from after its last checkpoint, nothing when it is complete.
     */
    public Summary run(YearMonth month, String key, BooleanSupplier timeLeft) {
        Optional<JobProgress.Progress> before = progress.progress(key);
        if (before.isPresent() && before.get().complete()) {
            return new Summary(month, 0, 0, true, true);
        }
        long done = before.map(JobProgress.Progress::items).orElse(0L);
        Optional<String> after = before.flatMap(JobProgress.Progress::cursor);
        Run run = new Run(month, key, done, timeLeft);
        try {
            accounts.forEachAccountWithServiceIn(month, after, run::add);
        } catch (Stopped stopped) {
            return new Summary(month, run.accounts, run.batches, false, false);
        }
        run.send();
        queue.flush();
        progress.complete(key, done + run.accounts);
        return new Summary(month, run.accounts, run.batches, true, false);
    }

    /** Thrown out of the listing when the time budget is spent (after a checkpoint). */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    private final class Run {
        private final YearMonth month;
        private final String key;
        private final long before;
        private final BooleanSupplier timeLeft;
        private final List<String> batch = new ArrayList<>(batchSize);
        private long accounts;
        private long batches;
        private int sinceCheckpoint;
        private String last;

        Run(YearMonth month, String key, long before, BooleanSupplier timeLeft) {
            this.month = month;
            this.key = key;
            this.before = before;
            this.timeLeft = timeLeft;
        }

        void add(String accountId) {
            batch.add(accountId);
            accounts++;
            last = accountId;
            if (batch.size() == batchSize) {
                send();
                if (++sinceCheckpoint == CHECKPOINT_MESSAGES) {
                    queue.flush();
                    progress.checkpoint(key, last, before + accounts);
                    sinceCheckpoint = 0;
                    if (!timeLeft.getAsBoolean()) {
                        throw new Stopped();
                    }
                }
            }
        }

        void send() {
            if (!batch.isEmpty()) {
                queue.enqueue(month, List.copyOf(batch));
                batches++;
                batch.clear();
            }
        }
    }
}
