package dev.slaledger.core.billing;



/**
 * The write side of the account registry: applies one billing event, keeping per billing entity
 * the state of the highest {@code billingVersion} seen. Implementations must make {@link #apply}
 * idempotent, independent of arrival order and safe under concurrent deliveries.
 */
public interface AccountRegistry {
    ApplyResult apply(BillingEvent event);
}
