package dev.slaledger.core.traffic;

import java.time.Instant;

/** The counts of one account in the five-minute interval starting at {@code intervalStart}. */
public record IntervalAggregate(String accountId, Instant intervalStart, IntervalCounts counts) {
    public IntervalAggregate {
        if (!Intervals.isIntervalStart(intervalStart)) {
            throw new IllegalArgumentException(intervalStart + " is not the start of a 5-minute interval");
        }
    }
}
