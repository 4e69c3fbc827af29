package dev.slaledger.core.port;

import dev.slaledger.core.claim.Claim;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Claims and the vouchers they issue; keeps S4.4 (one voucher per account and period). */
public interface ClaimRepository {
    Optional<Claim> acceptedClaim(String accountId, YearMonth month);

    /**
     * Records an accepted claim unless one is already recorded for its account and month,
     * atomically. A claim whose voucher is above zero is recorded with its {@code VoucherIssued}
     * announcement owed (an outbox, see {@link #leaseVoucherEvent}).
     *
     * @return the accepted claim that stands: {@code claim}, or the one recorded before it
     */
    Claim recordAccepted(Claim claim);

    /**
     * Records a refused claim (it may be made again later, S5.3), kept until {@code expiresAt}
     * (issue 15): from then on the store may delete it (DynamoDB TTL deletes within days, not at
     * the second), and {@code ClaimService} no longer returns it, deleted yet or not. Accepted
     * claims are never recorded with an expiry.
     */
    void recordRefused(Claim claim, Instant expiresAt);

    Optional<Claim> find(String accountId, String claimId);

    /** Accepted claims of the account, newest month first. */
    List<Claim> acceptedClaims(String accountId);

    /**
     * Takes the duty to announce the voucher of the accepted claim of the account-month until
     * {@code leaseUntil}: true only while the announcement is owed and no one else holds an
     * unexpired lease on it, so that of many concurrent requests one announces.
     */
    boolean leaseVoucherEvent(String accountId, YearMonth month, Instant now, Instant leaseUntil);

    /** The announcement was delivered: nothing is owed any more. */
    void markVoucherEventSent(String accountId, YearMonth month);

    /** The announcement failed: give the lease back so the next request announces at once. */
    void releaseVoucherEvent(String accountId, YearMonth month);

    /** One entry of the VoucherIssued outbox: the accepted claim of an account-month whose voucher is not yet announced. */
    record PendingVoucher(String accountId, YearMonth month) {
    }

    /**
     * Every accepted claim whose {@code VoucherIssued} announcement is still owed and that was
     * requested at or before {@code olderThan}, leased or not, without reading anything else: the
     * outbox sweep's input (S7.6). Costs O(1) requests when nothing is owed. The list may lag
     * behind the store: take the duty with {@link #leaseVoucherEvent} before announcing.
     */
    void forEachPendingVoucherEvent(Instant olderThan, Consumer<PendingVoucher> sink);
}
