package dev.slaledger.accounts;

/**
 * What applying one billing event did.
 *
 * @param outcome       applied, a replay of the stored version, or older than the stored version
 * @param storedVersion the entity's billing version stored after the call
 */
public record ApplyResult(Outcome outcome, long storedVersion) {

    public enum Outcome {
        /** The event's version was newer than the stored one (or none was stored): now stored. */
        APPLIED,
        /** The same version with the same content was already stored: nothing changed. */
        REPLAY,
        /** A higher version is already stored: the event arrived late and is ignored (not an error). */
        STALE
    }

    public static ApplyResult applied(long version) {
        return new ApplyResult(Outcome.APPLIED, version);
    }

    public static ApplyResult replay(long version) {
        return new ApplyResult(Outcome.REPLAY, version);
    }

    public static ApplyResult stale(long storedVersion) {
        return new ApplyResult(Outcome.STALE, storedVersion);
    }
}
