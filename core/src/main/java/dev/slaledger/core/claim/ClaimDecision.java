package dev.slaledger.core.claim;

import dev.slaledger.core.money.Money;
import dev.slaledger.core.statement.Statement;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The outcome of a claim (S5.3): accepted with its voucher (possibly zero, S5.3), or refused
 * with a machine-readable reason; a window refusal carries the window edge.
 */
public record ClaimDecision(boolean accepted, Optional<RefusalReason> reason, Optional<Money> voucher,
        Optional<OffsetDateTime> opensAt, Optional<OffsetDateTime> closedAt, Optional<Integer> statementRevision) {

    public static ClaimDecision accept(Statement statement) {
        return new ClaimDecision(true, Optional.empty(), statement.voucherAmount(), Optional.empty(), Optional.empty(),
                Optional.of(statement.revision()));
    }

    public static ClaimDecision refuse(RefusalReason reason) {
        return new ClaimDecision(false, Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static ClaimDecision tooEarly(OffsetDateTime opensAt) {
        return new ClaimDecision(false, Optional.of(RefusalReason.TOO_EARLY), Optional.empty(), Optional.of(opensAt),
                Optional.empty(), Optional.empty());
    }

    static ClaimDecision tooLate(OffsetDateTime closedAt) {
        return new ClaimDecision(false, Optional.of(RefusalReason.TOO_LATE), Optional.empty(), Optional.empty(),
                Optional.of(closedAt), Optional.empty());
    }

    /** An accepted claim whose voucher is zero sends nothing to billing (S5.3). */
    public boolean issuesVoucher() {
        return accepted && voucher.map(v -> !v.isZero()).orElse(false);
    }
}
