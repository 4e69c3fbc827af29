package dev.slaledger.core.money;

/**
 * The monthly service fee of an account for one service period and the part of it paid
 * with vouchers (SLA 1.5, 3.1; D2).
 */
public record MonthlyFee(Money amount, Money voucherPaid) {
    public MonthlyFee {
        if (amount == null || voucherPaid == null) {
            throw new IllegalArgumentException("amount and voucherPaid are required");
        }
        if (!amount.currency().equals(voucherPaid.currency())) {
            throw new IllegalArgumentException("fee and voucher part are in different currencies: "
                    + amount.currency() + ", " + voucherPaid.currency());
        }
        if (amount.isNegative() || voucherPaid.isNegative()) {
            throw new IllegalArgumentException("fee amounts must not be negative: " + amount + ", " + voucherPaid);
        }
    }

    public static MonthlyFee of(String amount, String voucherPaid, String currency) {
        return new MonthlyFee(Money.of(amount, currency), Money.of(voucherPaid, currency));
    }

    /** S4.2: the fee minus the part paid with vouchers, not below zero. */
    public Money base() {
        return amount.minus(voucherPaid).max(Money.zero(amount.currency()));
    }
}
