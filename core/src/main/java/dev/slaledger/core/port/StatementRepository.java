package dev.slaledger.core.port;

import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.statement.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Statements (D3), kept as revisions (S5.5), and the staleness marks that changed inputs leave on
 * an account-month, or on a whole month, so it is recomputed (S7.1, S7.2).
 *
 * <p>Two kinds of mark, both never-reset counters: the account-month's own ({@code mark}, cleared
 * by recording the value seen as done) and the month-wide one ({@link #monthMark}), which each
 * account-month acknowledges by recording the value it was recomputed with
 * ({@link #recordMonthDone}). An account-month is stale while either is ahead of what it recorded.
 */
public interface StatementRepository extends StalenessMarker {
    Optional<Statement> latest(String accountId, YearMonth month);

    /**
     * The latest revision and the staleness of an account-month, read together.
     *
     * @param latest         the latest statement; empty when there is none, or when the latest
     *                       revision is void (the account no longer has a service period that month)
     * @param staleMark      the account-month's own mark when it is set and not yet cleared
     * @param monthDone      the month-wide mark this account-month was last recomputed with (0: none)
     * @param latestRevision the number of the latest revision, void or not (0: none): the next is one more
     * @param causes         the changes recorded with the account-month's own mark since it was last
     *                       cleared (S9.7), oldest first; empty when none was recorded
     */
    record Snapshot(Optional<Statement> latest, Optional<Long> staleMark, long monthDone, int latestRevision,
            List<RevisionCause> causes) {
        public Snapshot {
            causes = causes == null ? List.of() : List.copyOf(causes);
        }

        public Snapshot(Optional<Statement> latest, Optional<Long> staleMark, long monthDone, int latestRevision) {
            this(latest, staleMark, monthDone, latestRevision, List.of());
        }

        public Snapshot(Optional<Statement> latest, Optional<Long> staleMark, long monthDone) {
            this(latest, staleMark, monthDone, latest.map(Statement::revision).orElse(0));
        }

        public Snapshot(Optional<Statement> latest, Optional<Long> staleMark) {
            this(latest, staleMark, 0);
        }

        /** Stale against the month-wide mark {@code monthMark} read with it, or by its own mark. */
        public boolean stale(long monthMark) {
            return staleMark.isPresent() || monthMark > monthDone;
        }
    }

    /**
     * {@link #staleMark} then {@link #latest}, in that order (the stale-mark protocol needs the
     * mark read before the aggregates); adapters may answer both with one request.
     */
    default Snapshot snapshot(String accountId, YearMonth month) {
        Optional<Long> mark = staleMark(accountId, month);
        return new Snapshot(latest(accountId, month), mark);
    }

    /** Every statement revision, oldest first (void revisions left out). */
    List<Statement> history(String accountId, YearMonth month);

    /**
     * Stores {@code statement} as its revision if no statement with that revision exists yet.
     *
     * @return false when another writer stored that revision first (nothing was written)
     */
    boolean saveRevision(Statement statement);

    /**
     * Stores a void revision: the account-month had a statement but no longer has a service period
     * (its subscription was shortened or cancelled backwards). {@link #latest} answers empty after
     * it; the revisions before it stay in {@link #history} (S5.5). Same condition as
     * {@link #saveRevision}.
     *
     * @return false when another writer stored that revision first
     */
    boolean saveVoid(String accountId, YearMonth month, int revision);

    /**
     * Whether the compensable statement of this revision still owes its event: set by
     * {@link #saveRevision} for a compensable statement, cleared by {@link #markEventSent}.
     * Together they make an outbox: a run that died between storing and announcing announces
     * on the next run.
     */
    boolean eventPending(String accountId, YearMonth month, int revision);

    /** The event of this revision was delivered: it leaves the outbox and {@link #forEachPendingEvent}. */
    void markEventSent(String accountId, YearMonth month, int revision);

    /** The statement stored as {@code revision} of the account-month: empty when there is none, or it is void. */
    Optional<Statement> revision(String accountId, YearMonth month, int revision);

    /** One entry of the statement outbox: a compensable revision whose event is owed. */
    record PendingEvent(String accountId, YearMonth month, int revision) {
    }

    /**
     * Every compensable revision whose event is still owed ({@link #eventPending}) and that was
     * computed at or before {@code olderThan} (its {@code computedAt}), without reading anything
     * else: the outbox sweep's input (S7.6). Costs O(1) requests when nothing is owed. The list may
     * lag behind the store (an entry sent a moment ago may show once more): check
     * {@link #eventPending} before sending.
     */
    void forEachPendingEvent(Instant olderThan, Consumer<PendingEvent> sink);

    /** An input of the account-month changed after its statement may have been computed (S7.1). */
    @Override
    void markStale(String accountId, YearMonth month);

    /** The stale mark of the account-month, if set: a token to clear it with. */
    Optional<Long> staleMark(String accountId, YearMonth month);

    /**
     * Clears the mark only if it is still {@code mark}: data that arrived meanwhile keeps it set. A
     * clear that succeeds also drops the causes recorded with the mark (S9.7): every cause is
     * recorded with a new mark, so none can have come after the one read.
     */
    void clearStale(String accountId, YearMonth month, long mark);

    /** The month-wide mark of {@code month}: 0 when the month was never marked as a whole. */
    long monthMark(YearMonth month);

    /**
     * The causes recorded with the month-wide marks of {@code month} (S9.7), by the mark each came
     * with: an account-month recomputed with month-wide mark {@code m} after {@code done} takes those
     * in {@code (done, m]}. Empty for a store that keeps none.
     */
    default Map<Long, RevisionCause> monthCauses(YearMonth month) {
        return Map.of();
    }

    /**
     * Records that the account-month was recomputed with month-wide mark {@code mark} read before
     * its inputs; never lowers what is recorded.
     */
    void recordMonthDone(String accountId, YearMonth month, long mark);

    /**
     * The month-wide mark {@code mark} has been handed to the restatement of every account of the
     * month: it leaves the list of {@link #forEachStale}, unless the month was marked again.
     */
    void clearMonthStale(YearMonth month, long mark);

    /** One entry of the stale list: an account-month, or a whole month when no account is given. */
    record StaleEntry(Optional<String> accountId, YearMonth month, long mark) {
    }

    /**
     * Every account-month with its own mark set, and every month whose month-wide mark is not yet
     * handed out ({@link #clearMonthStale}), without reading anything else: the restatement run's
     * input (S7.2). Costs O(1) requests when nothing is stale.
     */
    void forEachStale(Consumer<StaleEntry> sink);
}
