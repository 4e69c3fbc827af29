package dev.slaledger.core.port;

import dev.slaledger.core.statement.Statement;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * Statements (D3), kept as revisions (S5.5), and the staleness marks late data leaves on an
 * account-month so it is recomputed.
 */
public interface StatementRepository extends StalenessMarker {
    Optional<Statement> latest(String accountId, YearMonth month);

    /** The latest revision and the stale mark of an account-month, read together. */
    record Snapshot(Optional<Statement> latest, Optional<Long> staleMark) {
    }

    /**
     * {@link #staleMark} then {@link #latest}, in that order (the stale-mark protocol needs the
     * mark read before the aggregates); adapters may answer both with one request.
     */
    default Snapshot snapshot(String accountId, YearMonth month) {
        Optional<Long> mark = staleMark(accountId, month);
        return new Snapshot(latest(accountId, month), mark);
    }

    /** Every revision, oldest first. */
    List<Statement> history(String accountId, YearMonth month);

    /**
     * Stores {@code statement} as its revision if no statement with that revision exists yet.
     *
     * @return false when another writer stored that revision first (nothing was written)
     */
    boolean saveRevision(Statement statement);

    /**
     * Whether the compensable statement of this revision still owes its event: set by
     * {@link #saveRevision} for a compensable statement, cleared by {@link #markEventSent}.
     * Together they make an outbox: a run that died between storing and announcing announces
     * on the next run.
     */
    boolean eventPending(String accountId, YearMonth month, int revision);

    void markEventSent(String accountId, YearMonth month, int revision);

    /** Late data arrived for a month whose statement may already be computed (ingest). */
    @Override
    void markStale(String accountId, YearMonth month);

    /** The stale mark of the account-month, if set: a token to clear it with. */
    Optional<Long> staleMark(String accountId, YearMonth month);

    /** Clears the mark only if it is still {@code mark}: data that arrived meanwhile keeps it set. */
    void clearStale(String accountId, YearMonth month, long mark);
}
