package dev.slaledger.core.terms;

/**
 * What the system does on its own when an account-month is owed a voucher (S8.1): {@code notify}
 * (JSON field {@code notify}) emails the contact that it is eligible (S8.2), {@code autoClaim} files the claim itself and
 * emails that it was credited (S8.3; it takes precedence over {@code notify}). Absent from a
 * terms document means {@link #NONE}: the customer must claim (the reference SLA).
 */
public record Eligibility(boolean notifyCustomer, boolean autoClaim) {
    /** The reference SLA: nothing is sent, the customer claims. */
    public static final Eligibility NONE = new Eligibility(false, false);

    /** Whether the system acts at all for this version. */
    public boolean active() {
        return notifyCustomer || autoClaim;
    }
}
