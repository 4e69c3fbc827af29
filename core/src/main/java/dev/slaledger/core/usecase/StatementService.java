package dev.slaledger.core.usecase;

import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementCalculator;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes and stores the statement of one account-month: the one piece of code the
 * month-end worker and the claims API both run (issue 5, issue 6).
 *
 * <p>Idempotent: a recomputation that changes nothing stores nothing; one that changes
 * something (late data, a maintenance window recorded later, a fee correction) is stored as
 * the next revision (S5.5). Two concurrent runs race on a conditional write of the same
 * revision; the loser re-reads and finds the winner's statement.
 */
public final class StatementService {
    /** How a recomputation ended. */
    public enum Outcome {
        /** First statement of the account-month. */
        CREATED,
        /** The statement changed and was stored as a new revision. */
        REVISED,
        /** The stored statement is already right. */
        UNCHANGED,
        /** The account has no service period in the month (or is unknown). */
        NO_SERVICE_PERIOD,
        /**
         * Batch: computing this account-month failed (its error is logged by the caller); the
         * others of the batch were computed all the same.
         */
        FAILED,
        /** Restatement: the account-month was not stale, nothing was read or computed. */
        NOT_STALE,
        /**
         * Restatement: the claim window of the month has closed; its marks were cleared and nothing
         * was stored (S7.1: only months whose window is open are restated; S7.4: their inputs may
         * be gone).
         */
        WINDOW_CLOSED
    }

    public record Result(Outcome outcome, Optional<Statement> statement) {
    }

    private static final int MAX_ATTEMPTS = 5;

    private final AccountRepository accounts;
    private final AggregateRepository aggregates;
    private final MaintenanceWindowRepository maintenance;
    private final StatementRepository statements;
    private final TermsRepository terms;
    private final NoticeRepository notices;
    private final StatementEvents events;
    private final Clock clock;

    public StatementService(AccountRepository accounts, AggregateRepository aggregates,
            MaintenanceWindowRepository maintenance, StatementRepository statements, TermsRepository terms,
            NoticeRepository notices, StatementEvents events, Clock clock) {
        this.accounts = accounts;
        this.aggregates = aggregates;
        this.maintenance = maintenance;
        this.statements = statements;
        this.terms = terms;
        this.notices = notices;
        this.events = events;
        this.clock = clock;
    }

    /** Computes the account-month and stores it if it is new or changed. */
    public Result recompute(String accountId, YearMonth month) {
        return recompute(accountId, month, new MonthContext(month));
    }

    /**
     * Computes several accounts of one month, reading what they share (published terms,
     * maintenance windows) once: the month-end worker's batch. One account's failure does not
     * stop the others (S7.5): it comes back {@link Outcome#FAILED} and the caller reports it, so
     * the batch is retried (done accounts come back UNCHANGED).
     *
     * <p>Every account's marks are read before anything the batch shares (stale-mark protocol): a
     * window recorded for one account while the batch runs is either among the windows read, or
     * its mark is newer than the one read and survives the clear.
     */
    public List<Result> recomputeAll(List<String> accountIds, YearMonth month) {
        List<StatementRepository.Snapshot> snapshots = snapshots(accountIds, month);
        MonthContext shared = new MonthContext(month);
        List<Result> results = new java.util.ArrayList<>(accountIds.size());
        for (int i = 0; i < accountIds.size(); i++) {
            String accountId = accountIds.get(i);
            StatementRepository.Snapshot snapshot = snapshots.get(i);
            if (snapshot == null) {
                results.add(new Result(Outcome.FAILED, Optional.empty())); // its first read failed
                continue;
            }
            long monthMark = shared.monthMark();
            try {
                results.add(storeComputed(accountId, month, snapshot, shared, compute(accountId, month, shared)));
            } catch (RuntimeException e) {
                results.add(new Result(Outcome.FAILED, Optional.empty()));
            }
        }
        return results;
    }

    /**
     * Each account-month's snapshot, read inside that account's own failure isolation (S7.5, S9.2):
     * null where the read failed, so one account whose items cannot be read fails alone.
     */
    private List<StatementRepository.Snapshot> snapshots(List<String> accountIds, YearMonth month) {
        List<StatementRepository.Snapshot> snapshots = new java.util.ArrayList<>(accountIds.size());
        for (String accountId : accountIds) {
            try {
                snapshots.add(statements.snapshot(accountId, month));
            } catch (RuntimeException e) {
                snapshots.add(null);
            }
        }
        return snapshots;
    }

    /**
     * Restatement (S7.2): recomputes each account-month of the list that is stale, skipping the
     * others without reading their inputs, and clears the marks of months whose claim window has
     * closed. One account's failure does not stop the others: the failed ids are returned, the
     * caller retries them (done accounts come back NOT_STALE).
     */
    public List<String> restateAll(List<String> accountIds, YearMonth month) {
        List<StatementRepository.Snapshot> snapshots = snapshots(accountIds, month);
        List<String> failed = new java.util.ArrayList<>();
        MonthContext shared = new MonthContext(month); // read after every mark (see recomputeAll)
        for (int i = 0; i < accountIds.size(); i++) {
            if (snapshots.get(i) == null) {
                failed.add(accountIds.get(i));
                continue;
            }
            try {
                restate(accountIds.get(i), month, shared, snapshots.get(i));
            } catch (RuntimeException e) {
                failed.add(accountIds.get(i));
            }
        }
        return failed;
    }

    /** Restates one account-month: {@link #restateAll} for one account. */
    public Result restate(String accountId, YearMonth month) {
        return restate(accountId, month, new MonthContext(month), statements.snapshot(accountId, month));
    }

    private Result restate(String accountId, YearMonth month, MonthContext shared,
            StatementRepository.Snapshot snapshot) {
        long monthMark = shared.monthMark();
        if (!snapshot.stale(monthMark)) {
            return new Result(Outcome.NOT_STALE, snapshot.latest());
        }
        Instant now = clock.instant();
        if (snapshot.latest().isPresent() && windowClosed(snapshot.latest().get(), now)) {
            acknowledge(accountId, month, snapshot, monthMark);
            return new Result(Outcome.WINDOW_CLOSED, snapshot.latest());
        }
        Optional<Statement> computed = compute(accountId, month, shared);
        if (computed.isPresent() && snapshot.latest().isEmpty() && windowClosed(computed.get(), now)) {
            acknowledge(accountId, month, snapshot, monthMark);
            return new Result(Outcome.WINDOW_CLOSED, Optional.empty());
        }
        return storeComputed(accountId, month, snapshot, shared, computed);
    }

    private static boolean windowClosed(Statement statement, Instant now) {
        return !now.isBefore(statement.claimClosesAt().toInstant());
    }

    /**
     * The current statement of the account-month (S7.2): the stored latest revision when it is
     * not stale, otherwise recomputed (and stored) first. Empty when the account has no service
     * period in the month. The one path claims and statement reads take.
     */
    public Optional<Statement> current(String accountId, YearMonth month) {
        MonthContext shared = new MonthContext(month);
        StatementRepository.Snapshot snapshot = statements.snapshot(accountId, month);
        long monthMark = shared.monthMark();
        if (snapshot.latest().isPresent() && !snapshot.stale(monthMark)) {
            return snapshot.latest();
        }
        return storeComputed(accountId, month, snapshot, shared, compute(accountId, month, shared)).statement();
    }

    /** What every account of a month shares, read once and lazily. */
    private final class MonthContext {
        private final YearMonth month;
        private final MonthInputs inputs;
        private Long monthMark;
        private Map<Long, RevisionCause> monthCauses;

        MonthContext(YearMonth month) {
            this.month = month;
            this.inputs = new MonthInputs(month, accounts, terms, notices, maintenance);
        }

        /**
         * The month-wide stale mark, read before the windows (stale-mark protocol: marks before
         * inputs); every caller reads it before computing.
         */
        long monthMark() {
            if (monthMark == null) {
                monthMark = statements.monthMark(month);
            }
            return monthMark;
        }

        /** The causes of the month-wide marks (S9.7), read after the mark, once. */
        Map<Long, RevisionCause> monthCauses() {
            if (monthCauses == null) {
                monthCauses = statements.monthCauses(month);
            }
            return monthCauses;
        }

        List<TermsVersion> published() {
            return inputs.published();
        }

        List<MaintenanceWindow> windows() {
            return inputs.windows();
        }
    }

    private Result recompute(String accountId, YearMonth month, MonthContext shared) {
        // Read the stale marks before the data: data arriving after this read sets a new mark,
        // which the conditional clear below leaves in place. The latest revision comes with it.
        StatementRepository.Snapshot snapshot = statements.snapshot(accountId, month);
        return storeComputed(accountId, month, snapshot, shared, compute(accountId, month, shared));
    }

    private Result storeComputed(String accountId, YearMonth month, StatementRepository.Snapshot snapshot,
            MonthContext shared, Optional<Statement> computed) {
        long monthMark = shared.monthMark();
        if (computed.isEmpty()) {
            voidLatest(accountId, month, snapshot);
            acknowledge(accountId, month, snapshot, monthMark);
            return new Result(Outcome.NO_SERVICE_PERIOD, Optional.empty());
        }
        Result result = store(computed.get(), snapshot, shared);
        acknowledge(accountId, month, snapshot, monthMark);
        return result;
    }

    /**
     * S9.7: what a revision after {@code latest} records as its causes: the changes read with the marks
     * (the account-month's own, and the month-wide ones in {@code (monthDone, monthMark]}), less those
     * {@code latest} already recorded (a mark whose clear lost a race keeps its causes), a fee
     * assessed over a statement that had one called a correction; {@code unrecorded} when none is left.
     */
    private List<RevisionCause> causes(StatementRepository.Snapshot snapshot, MonthContext shared,
            Optional<Statement> latest) {
        List<RevisionCause> causes = new java.util.ArrayList<>(snapshot.causes());
        long monthMark = shared.monthMark();
        if (monthMark > snapshot.monthDone()) {
            shared.monthCauses().forEach((mark, cause) -> {
                if (mark > snapshot.monthDone() && mark <= monthMark) {
                    causes.add(cause);
                }
            });
        }
        List<RevisionCause> recorded = latest.map(Statement::causes).orElse(List.of());
        causes.removeIf(c -> recorded.stream().anyMatch(c::sameChangeAs));
        boolean hadFee = latest.map(Statement::feeAssessed).orElse(false);
        List<RevisionCause> out = new java.util.ArrayList<>(causes.size());
        for (RevisionCause c : causes) {
            if (out.stream().anyMatch(c::sameChangeAs)) {
                continue; // one change marked twice (on the account-month and on its month) is one cause
            }
            out.add(c.kind() == RevisionCause.Kind.FEE_ASSESSED && hadFee
                    ? c.withKind(RevisionCause.Kind.FEE_CORRECTED) : c);
        }
        out.sort(java.util.Comparator.comparing(RevisionCause::at));
        return out.isEmpty() ? List.of(RevisionCause.unrecorded(clock.instant())) : out;
    }

    /** Clears the marks read in {@code snapshot} (only if no newer mark came meanwhile). */
    private void acknowledge(String accountId, YearMonth month, StatementRepository.Snapshot snapshot,
            long monthMark) {
        snapshot.staleMark().ifPresent(mark -> statements.clearStale(accountId, month, mark));
        if (monthMark > snapshot.monthDone()) {
            statements.recordMonthDone(accountId, month, monthMark);
        }
    }

    /**
     * Computes the statement of the account-month from the stored data without storing it
     * (its revision is meaningless); empty when the account has no service period that month
     * (or is unknown). The claims API uses it for a month that has not ended yet.
     */
    public Optional<Statement> compute(String accountId, YearMonth month) {
        return compute(accountId, month, new MonthContext(month));
    }

    private Optional<Statement> compute(String accountId, YearMonth month, MonthContext shared) {
        Optional<MonthInputs.AccountMonth> inputs = shared.inputs.account(accountId);
        if (inputs.isEmpty()) {
            return Optional.empty();
        }
        TermsVersion governing = inputs.get().governing();
        long[] bounds = inputs.get().bounds();
        Instant from = Instant.ofEpochSecond(bounds[0]);
        Instant to = Instant.ofEpochSecond(bounds[bounds.length - 1]);
        AccountMonthTraffic traffic = aggregates.load(accountId, from, to);
        Instant monthEnded = month.plusMonths(1).atDay(1).atStartOfDay(governing.timeZone()).toInstant();
        return Optional.of(StatementCalculator.compute(inputs.get().account(), month, governing, traffic,
                shared.windows(), clock.instant()).orElseThrow()
                .withCauses(List.of(RevisionCause.monthEnd(month, monthEnded))));
    }

    /** Outbox: announce a compensable revision whose event is still owed, then clear the debt. */
    private void announceIfPending(Statement statement) {
        if (statement.compensable()
                && statements.eventPending(statement.accountId(), statement.month(), statement.revision())) {
            events.compensableStatement(statement);
            statements.markEventSent(statement.accountId(), statement.month(), statement.revision());
        }
    }

    /**
     * The account-month had a statement and no longer has a service period (a term shortened or
     * cancelled backwards): a void revision ends it, so reads and claims find no statement (and the
     * earlier revisions stay, S5.5). Nothing is written when there is no statement to end.
     */
    private void voidLatest(String accountId, YearMonth month, StatementRepository.Snapshot read) {
        StatementRepository.Snapshot snapshot = read;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                snapshot = statements.snapshot(accountId, month);
            }
            if (snapshot.latest().isEmpty()) {
                return;
            }
            if (statements.saveVoid(accountId, month, snapshot.latestRevision() + 1)) {
                return;
            }
        }
        throw new IllegalStateException("statement of " + accountId + " " + month + " kept changing under "
                + MAX_ATTEMPTS + " attempts");
    }

    private Result store(Statement computed, StatementRepository.Snapshot read, MonthContext shared) {
        StatementRepository.Snapshot snapshot = read;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                snapshot = statements.snapshot(computed.accountId(), computed.month());
            }
            Optional<Statement> latest = snapshot.latest();
            if (latest.isPresent() && latest.get().sameContentAs(computed)) {
                announceIfPending(latest.get());
                return new Result(Outcome.UNCHANGED, latest);
            }
            int revision = snapshot.latestRevision() + 1;
            // the first revision: the month-end (computed's own cause); a later one: what changed (S9.7)
            Statement candidate = (revision == 1 ? computed : computed.withCauses(causes(snapshot, shared,
                    latest))).withRevision(revision);
            if (statements.saveRevision(candidate)) {
                announceIfPending(candidate);
                return new Result(latest.isEmpty() ? Outcome.CREATED : Outcome.REVISED, Optional.of(candidate));
            }
            // Another run stored this revision first: look again.
        }
        throw new IllegalStateException("statement of " + computed.accountId() + " " + computed.month()
                + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * The current statements of accounts of one month, one at a time, reading what they share once
     * (the month-wide mark; the terms and windows only when one is recomputed): {@link #current}
     * for a batch. What the notice worker decides eligibility on (S8): an account whose statement is
     * stored and not stale costs one read (S9.2).
     */
    public MonthReader currentIn(YearMonth month) {
        return new MonthReader(month);
    }

    /** See {@link #currentIn}. Not thread-safe: one per batch. */
    public final class MonthReader {
        private final YearMonth month;
        private final MonthContext shared;

        private MonthReader(YearMonth month) {
            this.month = month;
            this.shared = new MonthContext(month);
        }

        /**
         * {@link StatementService#current}, with the month-wide mark read once for the batch (a mark
         * read earlier than an account's own is older: acknowledging it can only leave the account
         * stale, never clear a newer mark).
         */
        public Optional<Statement> current(String accountId) {
            StatementRepository.Snapshot snapshot = statements.snapshot(accountId, month);
            long monthMark = shared.monthMark();
            if (snapshot.latest().isPresent() && !snapshot.stale(monthMark)) {
                return snapshot.latest();
            }
            return storeComputed(accountId, month, snapshot, shared, compute(accountId, month, shared)).statement();
        }

        /** The latest stored revision, not recomputed (a month not over everywhere yet). */
        public Optional<Statement> stored(String accountId) {
            return statements.latest(accountId, month);
        }
    }
}
