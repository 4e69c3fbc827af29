package dev.slaledger.core.port;

import dev.slaledger.core.claim.Claim;

/**
 * Tells billing that a claim issued a voucher above zero (an EventBridge {@code VoucherIssued}
 * event in AWS). Delivery is at least once: billing deduplicates on {@code claimId} (there is
 * at most one accepted claim per account and period, S4.4, so also on account and month).
 */
public interface VoucherEvents {
    void voucherIssued(Claim claim);
}
