package dev.slaledger.core.port;

import dev.slaledger.core.notice.NoticeWork;
import java.time.Instant;
import java.util.List;

/**
 * Notice work put aside (S9.2, S9.3) and what was given up on. A worker parks what it may not do
 * yet: sends beyond the hour's share of the quota or after the provider throttled, a reservation
 * whose outcome is unknown until its lease ends, a refused send to retry later. The dispatcher hands
 * parked work back to the queue once due: a run's cost follows the work left. An account that kept
 * failing is recorded once, for the operator (an alarm watches the count).
 */
public interface NoticeBacklog {
    /** One parked unit. {@code id} identifies it for {@link #remove}. */
    record Parked(String id, NoticeWork work, Instant notBefore, String reason) {
    }

    /** An account given up on after {@code attempts} attempts. */
    record GaveUp(String campaign, String accountId, int attempts, String error, Instant at) {
    }

    /** Parks {@code work} until {@code notBefore}; the parked unit (its id for {@link #remove}). */
    Parked park(NoticeWork work, Instant notBefore, String reason);

    /** Parked units due at {@code now} (notBefore <= now), oldest first, at most {@code max}. */
    List<Parked> due(Instant now, int max);

    void remove(Parked parked);

    void gaveUp(GaveUp gaveUp);
}
