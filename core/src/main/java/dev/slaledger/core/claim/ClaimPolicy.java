package dev.slaledger.core.claim;

import dev.slaledger.core.statement.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides a claim (S5.3), checking in order: a service period exists, the window is open,
 * the tier gives a voucher. The caller keeps S4.4 (at most one accepted claim per account
 * and period): once a claim is accepted, later claims return it and are not decided again.
 */
public final class ClaimPolicy {
    private ClaimPolicy() {
    }

    /**
     * @param statement the current statement of the account-month, empty when the account
     *                  has no service period that month
     */
    public static ClaimDecision decide(Optional<Statement> statement, Instant now) {
        if (statement.isEmpty()) {
            return ClaimDecision.refuse(RefusalReason.NO_SERVICE_PERIOD);
        }
        Statement s = statement.get();
        if (now.isBefore(s.claimOpensAt().toInstant())) {
            return ClaimDecision.tooEarly(s.claimOpensAt());
        }
        if (!now.isBefore(s.claimClosesAt().toInstant())) {
            return ClaimDecision.tooLate(s.claimClosesAt());
        }
        if (!s.compensable()) {
            return ClaimDecision.refuse(RefusalReason.SLA_MET);
        }
        if (!s.feeAssessed()) {
            return ClaimDecision.refuse(RefusalReason.FEE_NOT_ASSESSED);
        }
        return ClaimDecision.accept(s);
    }
}
