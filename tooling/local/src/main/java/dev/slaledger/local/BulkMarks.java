package dev.slaledger.local;

import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.statement.RevisionCause;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Ledger's stale marks for the in-process engine's bulk ingest. Ingest marks every late
 * account-month once per delivered batch (S7.1): a replay of 100 million records would send one
 * Ledger write per account per batch. A mark is a counter, stale while it is above what the last
 * recomputation saw; while nothing recomputes (a replay's ingest phase, before its month-end), one
 * increment leaves the same state as many. So inside {@link #bulk} each account-month is marked
 * once; outside it every mark goes through.
 */
final class BulkMarks implements StalenessMarker {
    private final StalenessMarker ledger;
    /** The accounts marked, by month (a replay's few months; no key object built per mark). */
    private final Map<YearMonth, Set<String>> marked = new HashMap<>();
    private boolean bulk;

    BulkMarks(StalenessMarker ledger) {
        this.ledger = ledger;
    }

    /** Runs {@code phase}, during which no statement is recomputed, marking each account-month once. */
    synchronized void bulk(Runnable phase) {
        bulk = true;
        try {
            phase.run();
        } finally {
            bulk = false;
            marked.clear();
        }
    }

    @Override
    public synchronized void markStale(String accountId, YearMonth month) {
        if (first(accountId, month)) {
            ledger.markStale(accountId, month);
        }
    }

    /** Whether the mark goes through: always outside the bulk phase, once per account-month inside it. */
    private boolean first(String accountId, YearMonth month) {
        return !bulk || marked.computeIfAbsent(month, m -> new HashSet<>()).add(accountId);
    }

    @Override
    public synchronized void markMonthStale(YearMonth month) {
        ledger.markMonthStale(month);
    }

    /** The same with the change's cause (S9.7), which rides on the one mark of the bulk phase. */
    @Override
    public synchronized void markStale(String accountId, YearMonth month, RevisionCause cause) {
        if (first(accountId, month)) {
            ledger.markStale(accountId, month, cause);
        }
    }

    @Override
    public synchronized void markMonthStale(YearMonth month, RevisionCause cause) {
        ledger.markMonthStale(month, cause);
    }
}
