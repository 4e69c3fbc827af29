package dev.slaledger.core.billing;



/**
 * One fact from the billing system, parsed and validated from its EventBridge envelope.
 *
 * <p>Every event is a <em>state transfer</em>: it carries the whole current state of one billing
 * entity (a subscription, the fee of one account-month, the contact of an account) at version
 * {@link #billingVersion()}. The registry keeps, per entity, the state of the highest version it
 * has seen, so arrival order and replays do not matter.
 */
public sealed interface BillingEvent
        permits SubscriptionEvent, FeeAssessed, ContactChanged {

    /** The EventBridge event id (envelope {@code id}). */
    String eventId();

    /** The billing system's id of the record this event reports; kept for traceability. */
    String billingId();

    /** Version of the entity in billing; strictly increasing per entity ({@link #entity()}). */
    long billingVersion();

    String accountId();

    /** The envelope's {@code detail-type}. */
    String detailType();

    /** The entity whose version this event carries, for messages: {@code subscription acme/sub-1}. */
    String entity();
}
