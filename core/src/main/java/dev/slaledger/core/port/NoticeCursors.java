package dev.slaledger.core.port;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Where each notice sweep stands (S9.2): one cursor per terms version (the change notices) and per
 * month (eligibility), so a run continues where the last one stopped and its cost grows with the
 * accounts left, not with those done. Also the count of accounts a change would notify, kept
 * daily, which the publication's feasibility check reads (S9.4).
 */
public interface NoticeCursors {
    /**
     * @param campaign  {@code CHANGE#{version}} or {@code ELIGIBILITY#{yyyy-MM}}
     * @param listFrom  the date the change sweep lists terms ending on or after (fixed at its start)
     * @param position  the last listing position handed to the workers (empty: none yet)
     * @param listed    listing entries handed to the workers so far
     * @param done      the listing is exhausted: what is owed later comes by events, not by the sweep
     * @param audience  entries the listing held when the sweep started (0 when not counted)
     * @param revision  the stored revision (0: not stored yet); a save is conditioned on it
     */
    record Cursor(String campaign, Optional<LocalDate> listFrom, Optional<String> position, long listed,
            boolean done, long audience, Instant startedAt, Instant updatedAt, long revision) {
        public static Cursor start(String campaign, Optional<LocalDate> listFrom, long audience, Instant now) {
            return new Cursor(campaign, listFrom, Optional.empty(), 0, false, audience, now, now, 0);
        }

        /** Moved past {@code lastPosition}, {@code more} entries more, {@code exhausted} if the listing ended. */
        public Cursor advanced(Optional<String> lastPosition, long more, boolean exhausted, Instant now) {
            return new Cursor(campaign, listFrom, lastPosition.or(() -> position), listed + more, exhausted, audience,
                    startedAt, now, revision);
        }

        /** Entries of the listing not handed out yet (estimated from the count at the start). */
        public long remaining() {
            return done ? 0 : Math.max(0, audience - listed);
        }
    }

    /**
     * @param countedOn     the day of the count (terms' zone)
     * @param subscriptions subscriptions with a term ending on or after that day: at least the accounts to notify
     */
    record AudienceCount(LocalDate countedOn, long subscriptions, Instant countedAt) {
    }

    /** Every cursor (a handful: one per version and per month of open windows). */
    List<Cursor> all();

    Optional<Cursor> find(String campaign);

    /**
     * Stores {@code next} if the stored cursor is still at {@code next.revision()} (absent when 0);
     * the stored revision becomes one more.
     *
     * @return false when another run moved it first (nothing stored)
     */
    boolean save(Cursor next);

    Optional<AudienceCount> audience();

    void recordAudience(AudienceCount count);
}
