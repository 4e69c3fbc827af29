package dev.slaledger.core.statement;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a statement revision exists (S9.7): the change of an input that made the account-month stale
 * (S7.1), with the id of the event that brought it and the instant it was recorded. A change is
 * recorded with the stale mark it leaves (the producers: ingest, the accounts function, the
 * maintenance-window route) and carried from the mark to the revision the recomputation stores.
 *
 * <p>One cause per kind and event; {@code count} says how many changes of that kind the revision
 * folded in when several arrived before it was computed (the id and instant are the latest one's).
 *
 * @param eventId the triggering event: a billing event's EventBridge id, a maintenance window's id,
 *                the stream position ({@code shardId:sequenceNumber}) of the first late record, the
 *                month for the month-end; empty when unknown
 * @param at      when the change was recorded (for the month-end: when the month ended in the terms' zone)
 */
public record RevisionCause(Kind kind, Optional<String> eventId, Instant at, long count) {

    /** The kinds of S9.7, each written as its {@link #wireName()}. */
    public enum Kind {
        /** The first statement of the account-month, computed after the month ended. */
        MONTH_END("month-end"),
        /** Traffic of the month arrived after its statement may have been computed. */
        LATE_TRAFFIC("late-traffic"),
        /** A fee was assessed for a month whose statement had none. */
        FEE_ASSESSED("fee-assessed"),
        /** The month's fee was corrected (a newer billing version of it). */
        FEE_CORRECTED("fee-corrected"),
        WINDOW_RECORDED("window-recorded"),
        WINDOW_CHANGED("window-changed"),
        WINDOW_WITHDRAWN("window-withdrawn"),
        /** A subscription was purchased, ended or changed, so covered days may have changed (S1.2). */
        SUBSCRIPTION_CHANGED("subscription-changed"),
        /** A contact change that can change who was notified, and so which terms govern (S6.3). */
        TERMS_GOVERNANCE("terms-governance"),
        /**
         * The revision changed the statement but no change was recorded for it (marks left before
         * causes were recorded, or a recomputation of a month an operator asked for).
         */
        UNRECORDED("unrecorded");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Kind> parse(String wireName) {
            for (Kind k : values()) {
                if (k.wireName.equals(wireName)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public RevisionCause {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(at, "at");
        if (count < 1) {
            throw new IllegalArgumentException("a cause stands for at least one change: " + count);
        }
    }

    public static RevisionCause of(Kind kind, String eventId, Instant at) {
        return new RevisionCause(kind, Optional.ofNullable(eventId), at, 1);
    }

    /** The first revision: the month {@code month} ended at {@code endedAt} (the terms' zone). */
    public static RevisionCause monthEnd(java.time.YearMonth month, Instant endedAt) {
        return of(Kind.MONTH_END, month.toString(), endedAt);
    }

    public static RevisionCause lateTraffic(String streamPosition, Instant arrivedAt) {
        return of(Kind.LATE_TRAFFIC, streamPosition, arrivedAt);
    }

    public static RevisionCause unrecorded(Instant at) {
        return new RevisionCause(Kind.UNRECORDED, Optional.empty(), at, 1);
    }

    /** The same change: kind, event and instant (the count aside). */
    public boolean sameChangeAs(RevisionCause o) {
        return kind == o.kind && eventId.equals(o.eventId) && at.equals(o.at);
    }

    public RevisionCause withKind(Kind newKind) {
        return new RevisionCause(newKind, eventId, at, count);
    }

    public RevisionCause withCount(long newCount) {
        return new RevisionCause(kind, eventId, at, newCount);
    }
}
