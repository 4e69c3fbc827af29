package dev.slaledger.core.money;

import dev.slaledger.core.availability.Availability;
import dev.slaledger.core.terms.Tier;
import dev.slaledger.core.terms.TermsVersion;
import java.math.BigDecimal;

/**
 * Compensation of one service period (S4): the tier's percent of the base (fee minus the part
 * paid with vouchers), capped at capPercent of the base, rounded half-up to the currency's
 * minor unit.
 */
public final class Compensation {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Compensation() {
    }

    /** S4.1: the voucher percent the terms give for this availability, decided exactly. */
    public static BigDecimal percent(TermsVersion terms, Availability availability) {
        if (availability.meets(terms.commitment())) {
            return BigDecimal.ZERO;
        }
        for (Tier tier : terms.tiers()) {
            if (availability.meets(tier.atLeast())) {
                return tier.percent();
            }
        }
        throw new IllegalStateException("tiers of terms " + terms.version() + " do not reach 0%");
    }

    /** S4.2, S4.3: the voucher amount for {@code percent} of the fee's base, capped. */
    public static Money voucher(BigDecimal percent, BigDecimal capPercent, MonthlyFee fee) {
        Money base = fee.base();
        BigDecimal raw = base.amount().multiply(percent).divide(HUNDRED);
        BigDecimal cap = base.amount().multiply(capPercent).divide(HUNDRED);
        return Money.rounded(raw.min(cap), base.currency());
    }
}
