package dev.slaledger.core.billing;

/**
 * A billing event about one subscription: its purchase and its end carry the state of the same
 * entity, so they name it alike, and {@link #billingVersion()} counts across both.
 */
public sealed interface SubscriptionEvent extends BillingEvent permits SubscriptionPurchased, SubscriptionEnded {

    String subscriptionId();

    @Override
    default String entity() {
        return "subscription " + accountId() + "/" + subscriptionId();
    }
}
