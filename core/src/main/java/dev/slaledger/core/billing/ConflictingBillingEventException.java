package dev.slaledger.core.billing;



/**
 * The registry already holds this entity at this very billing version, with different content:
 * billing reused a version number. Refused like any invalid event (to the on-failure destination)
 * rather than guessing which of the two is right; nothing is written.
 */
public final class ConflictingBillingEventException extends InvalidBillingEventException {
    private static final long serialVersionUID = 1L;

    public ConflictingBillingEventException(BillingEvent event, String stored, String received) {
        super(event.eventId(), "detail.billingVersion", event.entity() + " is already stored at billingVersion "
                + event.billingVersion() + " with different content (stored " + stored + ", received " + received + ")");
    }
}
