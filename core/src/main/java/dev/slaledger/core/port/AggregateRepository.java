package dev.slaledger.core.port;

import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.time.Instant;

/** Reads the five-minute aggregates of an account (written by ingest, read by the month-end). */
public interface AggregateRepository {
    /** Every aggregate of the account with an interval start in {@code [from, to)}. */
    AccountMonthTraffic load(String accountId, Instant fromInclusive, Instant toExclusive);
}
