package dev.slaledger.core.port;

import dev.slaledger.core.claim.Claim;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/** Claims and the vouchers they issue; keeps S4.4 (one voucher per account and period). */
public interface ClaimRepository {
    Optional<Claim> acceptedClaim(String accountId, YearMonth month);

    /**
     * Records an accepted claim unless one is already recorded for its account and month,
     * atomically.
     *
     * @return the accepted claim that stands: {@code claim}, or the one recorded before it
     */
    Claim recordAccepted(Claim claim);

    /** Records a refused claim (it may be made again later, S5.3). */
    void recordRefused(Claim claim);

    Optional<Claim> find(String accountId, String claimId);

    /** Accepted claims of the account, newest month first. */
    List<Claim> acceptedClaims(String accountId);
}
