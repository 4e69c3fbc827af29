package dev.slaledger.core.billing;

import dev.slaledger.core.period.Term;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A subscription whose term now ends on {@code end}: it ran out, or was cancelled early. The event
 * repeats the term's {@code start}, so that it carries the subscription's whole state even when it
 * arrives before the purchase. {@code end} may be the day before {@code start}: a subscription
 * cancelled before its first day, which then covers no day at all ({@link #term()} is empty).
 */
public record SubscriptionEnded(String eventId, String billingId, long billingVersion, String accountId,
        String subscriptionId, LocalDate start, LocalDate end, Reason reason) implements SubscriptionEvent {

    public static final String DETAIL_TYPE = "SubscriptionEnded";

    /** Why the term ends on {@code end}; informational. */
    public enum Reason { EXPIRED, CANCELLED }

    public SubscriptionEnded {
        if (end.isBefore(start.minusDays(1))) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** The remaining term, empty when the subscription was cancelled before its first day. */
    public Optional<Term> term() {
        return end.isBefore(start) ? Optional.empty() : Optional.of(new Term(start, end));
    }

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
