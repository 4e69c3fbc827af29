package dev.slaledger.core.port;

import java.time.YearMonth;

/**
 * The one thing ingest needs of the statement store: say that data for an account-month arrived
 * after its statement may have been computed (late data), so the month-end recomputes it.
 * {@link StatementRepository} extends it; ingest depends only on this.
 */
public interface StalenessMarker {
    /**
     * Sets a new stale mark on the account-month: every call yields a mark different from any
     * earlier one, so a reader that cleared an older mark never clears this one.
     */
    void markStale(String accountId, YearMonth month);
}
