package dev.slaledger.core.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * An amount in an ISO 4217 currency, held at the currency's minor unit (S4.3): two decimals
 * for EUR or CNY, none for JPY, three for KWD. Never a double.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

    public Money {
        if (amount == null || currency == null) {
            throw new IllegalArgumentException("amount and currency are required");
        }
        int digits = minorUnit(currency);
        if (amount.scale() != digits) {
            amount = amount.setScale(digits, RoundingMode.UNNECESSARY);
        }
    }

    /**
     * Parses an amount given as a decimal string (D2); refuses more decimals than the
     * currency's minor unit rather than rounding an input silently.
     */
    public static Money of(String amount, String currencyCode) {
        Currency currency = currency(currencyCode);
        BigDecimal value;
        try {
            value = new BigDecimal(amount);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("amount " + amount + " is not a decimal number");
        }
        if (value.stripTrailingZeros().scale() > minorUnit(currency)) {
            throw new IllegalArgumentException("amount " + amount + " has more decimals than " + currency
                    + " allows (" + minorUnit(currency) + ")");
        }
        return new Money(value, currency);
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    /** A computed amount rounded half-up to the currency's minor unit (S4.3). */
    public static Money rounded(BigDecimal amount, Currency currency) {
        return new Money(amount.setScale(minorUnit(currency), RoundingMode.HALF_UP), currency);
    }

    /** The ISO 4217 currency of {@code code}; refuses unknown codes and those without a minor unit (XAU...). */
    public static Currency currency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency " + code + " is not an ISO 4217 code");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency " + code + " is not an ISO 4217 code");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency " + code + " has no minor unit (not a money currency)");
        }
        return currency;
    }

    public static int minorUnit(Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException("currency " + currency + " has no minor unit");
        }
        return digits;
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    public Money max(Money other) {
        requireSameCurrency(other);
        return compareTo(other) >= 0 ? this : other;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currencies differ: " + currency + " and " + other.currency);
        }
    }

    /** The amount as a plain decimal string (D3: amounts are decimal strings). */
    public String toDecimalString() {
        return amount.toPlainString();
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
