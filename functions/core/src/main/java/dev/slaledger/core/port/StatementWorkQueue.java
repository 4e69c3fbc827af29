package dev.slaledger.core.port;

import java.time.YearMonth;
import java.util.List;

/** Hands batches of account-months to the statement workers (an SQS queue in AWS). */
public interface StatementWorkQueue {
    /** Enqueues one unit of work: these accounts' statements for {@code month}. */
    void enqueue(YearMonth month, List<String> accountIds);

    /** Sends whatever an adapter buffered; called once at the end of a run. */
    default void flush() {
    }
}
