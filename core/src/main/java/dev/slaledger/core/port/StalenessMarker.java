package dev.slaledger.core.port;

import dev.slaledger.core.statement.RevisionCause;
import java.time.YearMonth;

/**
 * What a producer of statement inputs needs of the statement store (S7.1): say that an input of
 * an account-month changed after its statement may have been computed, so it is recomputed before
 * the next claim or read, and by the restatement run. Ingest (late traffic), the accounts function
 * (fees, subscriptions, contacts) and the maintenance-window route depend only on this.
 *
 * <p>The protocol (docs/monthend.md): a producer writes its input first and marks after; a
 * recomputation reads the mark first and its inputs after, and clears only the mark it read. So a
 * change racing a recomputation either is read by it or leaves a newer mark behind.
 */
public interface StalenessMarker {
    /**
     * Sets a new stale mark on the account-month: every call yields a mark different from any
     * earlier one, so a reader that cleared an older mark never clears this one.
     */
    void markStale(String accountId, YearMonth month);

    /**
     * Marks every account-month of {@code month} stale at once (a maintenance window for all
     * accounts): one write, however many accounts; each account records the month-wide mark it
     * has been recomputed with, and the restatement run recomputes the month's accounts.
     */
    void markMonthStale(YearMonth month);

    /**
     * {@link #markStale(String, YearMonth)} recording why (S9.7): the cause rides on the mark to the
     * revision the recomputation stores. A marker that keeps no causes marks without it (the
     * revision then says {@code unrecorded}).
     */
    default void markStale(String accountId, YearMonth month, RevisionCause cause) {
        markStale(accountId, month);
    }

    /** {@link #markMonthStale(YearMonth)} recording why (S9.7). */
    default void markMonthStale(YearMonth month, RevisionCause cause) {
        markMonthStale(month);
    }
}
