package dev.slaledger.core.port;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The life of one SLA-change notice per account and version (S6.2, S6.4), kept so that a notice
 * is sent once: a run <em>reserves</em> the delivery (a conditional write) before it asks the
 * mail provider to send, and <em>completes</em> it with the provider's message id after. The
 * completed deliveries are what {@link NoticeRepository#sentDates} (S6.3) reads.
 *
 * <pre>
 * (none) --reserve--> SENDING --complete--> SENT --bounce--> BOUNCED
 *                       |  ^                                   |
 *               release |  | reserve (lease expired,           | reserve (contact changed, or a
 *                       v  |  or a RETRY)                      |  soft bounce under the send limit)
 *                     RETRY                                    v
 *                                                           SENDING ...
 * </pre>
 */
public interface NoticeDeliveries {
    enum State {
        /** Reserved by an attempt that may or may not have reached the mail provider. */
        SENDING,
        /** The provider accepted the mail (message id known). */
        SENT,
        /** The provider refused the mail: nothing was sent; a later run tries again. */
        RETRY,
        /** The provider accepted the mail but it bounced: the customer was not told. */
        BOUNCED
    }

    /**
     * What is stored for one account and version.
     *
     * @param attemptId  the attempt that last reserved the delivery (a random id, also sent to the
     *                   provider as a message tag so its events can be matched to the delivery)
     * @param to         the address of that attempt
     * @param sends      how many times the provider accepted this notice (more than 1 only after bounces)
     * @param failures   how many attempts the provider refused
     * @param leaseUntil until when a SENDING reservation belongs to its attempt
     */
    record Record(String accountId, String version, State state, String attemptId, String to, int sends,
            int failures, Instant leaseUntil, Optional<String> messageId, Optional<Instant> sentAt,
            Optional<LocalDate> sentOn, Optional<String> lastError) {
    }

    /**
     * One attempt to send a notice.
     *
     * @param zone the version's time zone: the date the notice is sent on is taken in it (S1.4)
     */
    record Attempt(String accountId, String version, String attemptId, String to, ZoneId zone, Instant reservedAt,
            Instant leaseUntil) {
    }

    /** What is stored for the account and version, whatever its state. */
    Optional<Record> stored(String accountId, String version);

    /**
     * Every delivery record of the account (every version and eligibility key), whatever its state,
     * read together (one request in the Ledger: the account's partition): what a notice worker
     * decides an account on.
     */
    List<Record> records(String accountId);

    /**
     * Takes the delivery for {@code attempt}: succeeds only if nothing is stored and
     * {@code previous} is empty, or if what is stored is still exactly {@code previous} (same
     * state and attempt id). Also remembers the attempt so {@link #attempt} finds it.
     *
     * @return false if another run reserved or completed the delivery first
     */
    boolean reserve(Attempt attempt, Optional<Record> previous);

    /** SENDING by {@code attemptId} -> SENT. False if that attempt no longer holds the delivery. */
    boolean complete(String accountId, String version, String attemptId, String messageId, Instant sentAt,
            LocalDate sentOn);

    /**
     * SENDING by {@code attemptId} -> RETRY: the provider refused the mail, nothing was sent. The
     * refusal counts against the notice ({@code failures} + 1): every store counts it the same way,
     * so this is the one place that says so.
     */
    default boolean release(String accountId, String version, String attemptId, String error) {
        return release(accountId, version, attemptId, error, true);
    }

    /**
     * {@link #release}, counting the refusal against the notice ({@code failures} + 1) only when
     * {@code countsAsFailure}: a throttled send was not refused for anything the notice did, and is
     * retried later without using up its tries (S9.3).
     */
    boolean release(String accountId, String version, String attemptId, String error, boolean countsAsFailure);

    /** SENT with {@code messageId} -> BOUNCED. False if the delivery is not that message. */
    boolean markBounced(String accountId, String version, String messageId, String reason);

    /** The attempt with this id, to match the provider's events (which carry it as a tag). */
    Optional<Attempt> attempt(String attemptId);
}
