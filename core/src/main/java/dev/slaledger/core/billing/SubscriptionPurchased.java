package dev.slaledger.core.billing;

import dev.slaledger.core.period.Term;

/** A subscription bought for {@code term} (S1.1: start and end inclusive, in the SLA time zone). */
public record SubscriptionPurchased(String eventId, String billingId, long billingVersion, String accountId,
        String subscriptionId, Term term) implements SubscriptionEvent {

    public static final String DETAIL_TYPE = "SubscriptionPurchased";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
