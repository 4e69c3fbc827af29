package dev.slaledger.core.claim;

/** Why a claim was refused (S5.3), in the order they are checked. */
public enum RefusalReason {
    /** The account has no service period in the month. */
    NO_SERVICE_PERIOD,
    /** The claim window has not opened yet ({@code opensAt} says when it does). */
    TOO_EARLY,
    /** The claim window has closed ({@code closedAt} says when it did). */
    TOO_LATE,
    /** The availability met the commitment: no voucher is owed. */
    SLA_MET,
    /**
     * No fee has been assessed for the month yet, so the voucher cannot be priced. Not in
     * SLA-SEMANTICS S5.3: without it a claim would have to be accepted at zero and, by S4.4,
     * could never be paid. The claim may be made again once billing assesses the fee.
     */
    FEE_NOT_ASSESSED
}
