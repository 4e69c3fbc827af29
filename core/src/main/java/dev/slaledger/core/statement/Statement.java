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
 * <p>Built from named parts: {@link #builder()} (or {@link #toBuilder()}), one setter per D3 field;
 * the positional constructor the record declares is for the builder only ({@code StatementRulesTest}).
 *
 * @param revision 1 for the first computation; a recomputation that changes anything is
 *                 stored as the next revision, never over an issued voucher (S5.5)
 * @param causes   why this revision exists (S9.7): set when it is stored; not part of its content
 *                 ({@link #sameContentAs}), empty on a statement computed and not stored
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
        Instant computedAt,
        List<RevisionCause> causes) {

    public Statement {
        periodDays = List.copyOf(periodDays);
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    public boolean feeAssessed() {
        return fee.isPresent();
    }

    /** Whether the SLA was missed with a voucher owed (percent above zero). */
    public boolean compensable() {
        return compensationPercent.signum() > 0;
    }

    public Statement withRevision(int newRevision) {
        return toBuilder().revision(newRevision).build();
    }

    /** This statement recorded as caused by {@code newCauses} (S9.7). */
    public Statement withCauses(List<RevisionCause> newCauses) {
        return toBuilder().causes(newCauses).build();
    }

    /** Same content, ignoring revision, computation time and causes: a recomputation that changes nothing. */
    public boolean sameContentAs(Statement o) {
        return contentOnly().equals(o.contentOnly());
    }

    private Statement contentOnly() {
        return toBuilder().revision(0).computedAt(Instant.EPOCH).causes(List.of()).build();
    }

    /** An empty builder: no fee (so no amounts and no currency), revision 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this statement's parts. */
    public Builder toBuilder() {
        return new Builder().accountId(accountId).month(month).periodDays(periodDays).days(days).intervals(intervals)
                .errorRateSum(errorRateSum).availability(availability).termsVersion(termsVersion)
                .compensationPercent(compensationPercent).fee(fee).voucherPaid(voucherPaid).base(base)
                .voucherAmount(voucherAmount).currency(currency).claimOpensAt(claimOpensAt)
                .claimClosesAt(claimClosesAt).revision(revision).computedAt(computedAt).causes(causes);
    }

    /** A statement by the names of its parts (D3). */
    public static final class Builder {
        private String accountId;
        private YearMonth month;
        private List<DateRange> periodDays = List.of();
        private long days;
        private long intervals;
        private BigDecimal errorRateSum;
        private BigDecimal availability;
        private String termsVersion;
        private BigDecimal compensationPercent;
        private Optional<Money> fee = Optional.empty();
        private Optional<Money> voucherPaid = Optional.empty();
        private Optional<Money> base = Optional.empty();
        private Optional<Money> voucherAmount = Optional.empty();
        private Optional<Currency> currency = Optional.empty();
        private OffsetDateTime claimOpensAt;
        private OffsetDateTime claimClosesAt;
        private int revision = 1;
        private Instant computedAt;
        private List<RevisionCause> causes = List.of();

        private Builder() {
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder month(YearMonth month) {
            this.month = month;
            return this;
        }

        public Builder periodDays(List<DateRange> periodDays) {
            this.periodDays = periodDays;
            return this;
        }

        public Builder days(long days) {
            this.days = days;
            return this;
        }

        public Builder intervals(long intervals) {
            this.intervals = intervals;
            return this;
        }

        public Builder errorRateSum(BigDecimal errorRateSum) {
            this.errorRateSum = errorRateSum;
            return this;
        }

        public Builder availability(BigDecimal availability) {
            this.availability = availability;
            return this;
        }

        public Builder termsVersion(String termsVersion) {
            this.termsVersion = termsVersion;
            return this;
        }

        public Builder compensationPercent(BigDecimal compensationPercent) {
            this.compensationPercent = compensationPercent;
            return this;
        }

        public Builder fee(Optional<Money> fee) {
            this.fee = fee;
            return this;
        }

        public Builder voucherPaid(Optional<Money> voucherPaid) {
            this.voucherPaid = voucherPaid;
            return this;
        }

        public Builder base(Optional<Money> base) {
            this.base = base;
            return this;
        }

        public Builder voucherAmount(Optional<Money> voucherAmount) {
            this.voucherAmount = voucherAmount;
            return this;
        }

        public Builder currency(Optional<Currency> currency) {
            this.currency = currency;
            return this;
        }

        public Builder claimOpensAt(OffsetDateTime claimOpensAt) {
            this.claimOpensAt = claimOpensAt;
            return this;
        }

        public Builder claimClosesAt(OffsetDateTime claimClosesAt) {
            this.claimClosesAt = claimClosesAt;
            return this;
        }

        public Builder revision(int revision) {
            this.revision = revision;
            return this;
        }

        public Builder computedAt(Instant computedAt) {
            this.computedAt = computedAt;
            return this;
        }

        public Builder causes(List<RevisionCause> causes) {
            this.causes = causes;
            return this;
        }

        public Statement build() {
            return new Statement(accountId, month, periodDays, days, intervals, errorRateSum, availability,
                    termsVersion, compensationPercent, fee, voucherPaid, base, voucherAmount, currency, claimOpensAt,
                    claimClosesAt, revision, computedAt, causes);
        }
    }
}
