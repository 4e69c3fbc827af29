package dev.slaledger.core.traffic;

/**
 * Counts of one account in one five-minute interval (S2, D1).
 *
 * @param valid           requests the server received, whatever their status (S2.2)
 * @param errors          received requests answered 5xx, not excluded (S2.3)
 * @param unreachedErrors requests that did not reach the server through a provider fault, not excluded (S2.3)
 * @param excludedErrors  errors flagged with an exclusion (S2.4): informational, never in E
 */
public record IntervalCounts(long valid, long errors, long unreachedErrors, long excludedErrors) {
    public static final IntervalCounts ZERO = new IntervalCounts(0, 0, 0, 0);

    public IntervalCounts {
        if (valid < 0 || errors < 0 || unreachedErrors < 0 || excludedErrors < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + valid + "/" + errors + "/"
                    + unreachedErrors + "/" + excludedErrors);
        }
    }

    /** E of S2.3: received 5xx plus unreached, exclusions already left out. */
    public long errorRequests() {
        return errors + unreachedErrors;
    }

    public IntervalCounts plus(IntervalCounts o) {
        return new IntervalCounts(Math.addExact(valid, o.valid), Math.addExact(errors, o.errors),
                Math.addExact(unreachedErrors, o.unreachedErrors), Math.addExact(excludedErrors, o.excludedErrors));
    }
}
