package dev.slaledger.core.billing;

import dev.slaledger.core.period.Term;
import java.util.Optional;

/**
 * What applying one billing event did.
 *
 * @param outcome       applied, a replay of the stored version, or older than the stored version
 * @param storedVersion the entity's billing version stored after the call
 * @param replacedTerm  for an applied subscription event, the term the subscription had before
 *                      (empty when it had none): with the event's own term, the months whose
 *                      covered days may have changed (S7.1)
 */
public record ApplyResult(Outcome outcome, long storedVersion, Optional<Term> replacedTerm) {

    public enum Outcome {
        /** The event's version was newer than the stored one (or none was stored): now stored. */
        APPLIED,
        /** The same version with the same content was already stored: nothing changed. */
        REPLAY,
        /** A higher version is already stored: the event arrived late and is ignored (not an error). */
        STALE
    }

    public static ApplyResult applied(long version) {
        return new ApplyResult(Outcome.APPLIED, version, Optional.empty());
    }

    /** A subscription event applied over the term {@code replaced} (empty: the subscription is new). */
    public static ApplyResult applied(long version, Optional<Term> replaced) {
        return new ApplyResult(Outcome.APPLIED, version, replaced);
    }

    public static ApplyResult replay(long version) {
        return new ApplyResult(Outcome.REPLAY, version, Optional.empty());
    }

    public static ApplyResult stale(long storedVersion) {
        return new ApplyResult(Outcome.STALE, storedVersion, Optional.empty());
    }
}
