package dev.slaledger.core.statement;

import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * The statement of one account for one service period (D3). Amounts are absent while no fee
 * has been assessed for the month: the claim for it then waits ({@code FEE_NOT_ASSESSED}).
 *
 * @param revision 1 for the first computation; a recomputation that changes anything is
 *                 stored as the next revision, never over an issued voucher (S5.5)
 */
public record Statement(
        String accountId,
        YearMonth month,
        List<DateRange> periodDays,
        long days,
        long intervals,
        BigDecimal errorRateSum,
        BigDecimal availability,
        String termsVersion,
        BigDecimal compensationPercent,
        Optional<Money> fee,
        Optional<Money> voucherPaid,
        Optional<Money> base,
        Optional<Money> voucherAmount,
        Optional<Currency> currency,
        OffsetDateTime claimOpensAt,
        OffsetDateTime claimClosesAt,
        int revision,
        Instant computedAt) {

    public Statement {
        periodDays = List.copyOf(periodDays);
    }

    public boolean feeAssessed() {
        return fee.isPresent();
    }

    /** Whether the SLA was missed with a voucher owed (percent above zero). */
    public boolean compensable() {
        return compensationPercent.signum() > 0;
    }

    public Statement withRevision(int newRevision) {
        return new Statement(accountId, month, periodDays, days, intervals, errorRateSum, availability, termsVersion,
                compensationPercent, fee, voucherPaid, base, voucherAmount, currency, claimOpensAt, claimClosesAt,
                newRevision, computedAt);
    }

    /** Same content, ignoring revision and computation time: a recomputation that changes nothing. */
    public boolean sameContentAs(Statement o) {
        return withRevision(0).withComputedAt(Instant.EPOCH).equals(o.withRevision(0).withComputedAt(Instant.EPOCH));
    }

    private Statement withComputedAt(Instant at) {
        return new Statement(accountId, month, periodDays, days, intervals, errorRateSum, availability, termsVersion,
                compensationPercent, fee, voucherPaid, base, voucherAmount, currency, claimOpensAt, claimClosesAt,
                revision, at);
    }
}
