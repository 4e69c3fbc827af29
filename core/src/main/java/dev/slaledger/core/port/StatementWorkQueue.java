package dev.slaledger.core.port;

import java.time.YearMonth;
import java.util.List;

/** Hands batches of account-months to the statement workers (an SQS queue in AWS). */
public interface StatementWorkQueue {
    /** What the workers do with a unit of work. */
    enum Kind {
        /** Compute and store every listed account-month (the month-end run). */
        MONTH_END,
        /** Recompute only the listed account-months that are still stale (S7.2 restatement). */
        RESTATEMENT
    }

    /** Enqueues one unit of work: these accounts' statements for {@code month}. */
    void enqueue(YearMonth month, List<String> accountIds, Kind kind);

    /** Enqueues month-end work. */
    default void enqueue(YearMonth month, List<String> accountIds) {
        enqueue(month, accountIds, Kind.MONTH_END);
    }

    /** Enqueues restatement work. */
    default void enqueueRestatement(YearMonth month, List<String> accountIds) {
        enqueue(month, accountIds, Kind.RESTATEMENT);
    }

    /** Sends whatever an adapter buffered; called once at the end of a run. */
    default void flush() {
    }
}
