package dev.slaledger.core.traffic;

/**
 * Counts of one account in one five-minute interval (S2, D1).
 *
 * @param valid               requests the server received, whatever their status (S2.2)
 * @param errors              received requests answered 5xx, not excluded (S2.3)
 * @param unreachedErrors     requests that did not reach the server through a provider fault, not excluded (S2.3)
 * @param excludedErrors      errors flagged with an exclusion (S2.4): informational, never in E; the total
 *                            of the three kinds below and of those whose kind is not known (a pre-aggregated
 *                            D1 record may give the total alone)
 * @param excludedMaintenance of {@code excludedErrors}, those flagged {@code maintenance} (S2.4 (i))
 * @param excludedCompromised of {@code excludedErrors}, those flagged {@code customer-compromised} (S2.4 (ii))
 * @param excludedContentBan  of {@code excludedErrors}, those flagged {@code content-ban} (S2.4 (iii))
 */
public record IntervalCounts(long valid, long errors, long unreachedErrors, long excludedErrors,
        long excludedMaintenance, long excludedCompromised, long excludedContentBan) {
    public static final IntervalCounts ZERO = new IntervalCounts(0, 0, 0, 0);

    public IntervalCounts {
        if (valid < 0 || errors < 0 || unreachedErrors < 0 || excludedErrors < 0 || excludedMaintenance < 0
                || excludedCompromised < 0 || excludedContentBan < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + valid + "/" + errors + "/"
                    + unreachedErrors + "/" + excludedErrors + "/" + excludedMaintenance + "/"
                    + excludedCompromised + "/" + excludedContentBan);
        }
        if (excludedMaintenance > excludedErrors || excludedCompromised > excludedErrors - excludedMaintenance
                || excludedContentBan > excludedErrors - excludedMaintenance - excludedCompromised) {
            throw new IllegalArgumentException("the excluded errors by kind (" + excludedMaintenance + "/"
                    + excludedCompromised + "/" + excludedContentBan + ") exceed their total " + excludedErrors);
        }
    }

    /** Counts whose excluded errors are of no known kind (a pre-aggregated record's total). */
    public IntervalCounts(long valid, long errors, long unreachedErrors, long excludedErrors) {
        this(valid, errors, unreachedErrors, excludedErrors, 0, 0, 0);
    }

    /** E of S2.3: received 5xx plus unreached, exclusions already left out. */
    public long errorRequests() {
        return errors + unreachedErrors;
    }

    /** Of the excluded errors, those flagged with {@code kind}. */
    public long excluded(ExclusionKind kind) {
        return switch (kind) {
            case MAINTENANCE -> excludedMaintenance;
            case CUSTOMER_COMPROMISED -> excludedCompromised;
            case CONTENT_BAN -> excludedContentBan;
        };
    }

    /** Of the excluded errors, those whose kind is not known (counted by a pre-aggregated record's total). */
    public long excludedUnspecified() {
        return excludedErrors - excludedMaintenance - excludedCompromised - excludedContentBan;
    }

    public IntervalCounts plus(IntervalCounts o) {
        return new IntervalCounts(Math.addExact(valid, o.valid), Math.addExact(errors, o.errors),
                Math.addExact(unreachedErrors, o.unreachedErrors), Math.addExact(excludedErrors, o.excludedErrors),
                Math.addExact(excludedMaintenance, o.excludedMaintenance),
                Math.addExact(excludedCompromised, o.excludedCompromised),
                Math.addExact(excludedContentBan, o.excludedContentBan));
    }
}
