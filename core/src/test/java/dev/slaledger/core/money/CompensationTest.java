package dev.slaledger.core.money;

import static dev.slaledger.core.Fixtures.UTC;
import static dev.slaledger.core.Fixtures.rows;
import static dev.slaledger.core.Fixtures.tier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.availability.Availability;
import dev.slaledger.core.availability.AvailabilityCalculator;
import dev.slaledger.core.terms.TermsVersion;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompensationTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    /** October (N = 8928) with {@code failed} intervals wholly in error. */
    private static Availability withFailedIntervals(long failed) {
        return AvailabilityCalculator.compute("acme", Fixtures.wholeMonth(OCTOBER), UTC,
                Fixtures.consecutive(OCTOBER, UTC, rows(failed, 1, 1)), List.of());
    }

    @ParameterizedTest(name = "S4.1 {0} failed intervals of 8928 -> A {1} -> {2}%")
    @CsvSource({
        "0,    100.0000, 0",
        "8,    99.9103,  0",
        "9,    99.8991,  10",
        "89,   99.0031,  10",
        "90,   98.9919,  25",
        "446,  95.0044,  25",
        "447,  94.9932,  50",
        "8928, 0.0000,   50",
    })
    @DisplayName("S4.1 default tiers: >= 99.90 -> 0, [99.00, 99.90) -> 10, [95.00, 99.00) -> 25, < 95.00 -> 50")
    void defaultTiers(long failed, String shown, String percent) {
        Availability a = withFailedIntervals(failed);
        assertThat(a.percentTruncated()).hasToString(shown);
        assertThat(Compensation.percent(Fixtures.defaults(), a)).isEqualByComparingTo(percent);
    }

    @Test
    @DisplayName("S4.2 the cap (capPercent of base) applies when a tier's percent is above it")
    void capBelowTier() {
        TermsVersion terms = Fixtures.withTiers("30", tier("99.00", "99.90", "10"), tier("0", "99.00", "80"));
        BigDecimal percent = Compensation.percent(terms, withFailedIntervals(447));
        assertThat(percent).isEqualByComparingTo("80");
        Money voucher = Compensation.voucher(percent, terms.capPercent(), MonthlyFee.of("1000.00", "0.00", "EUR"));
        assertThat(voucher).isEqualTo(Money.of("300.00", "EUR"));
        assertThat(Compensation.voucher(BigDecimal.TEN, terms.capPercent(), MonthlyFee.of("1000.00", "0.00", "EUR")))
                .as("below the cap the tier's percent applies").isEqualTo(Money.of("100.00", "EUR"));
    }

    @ParameterizedTest(name = "S4.2/S4.3 {0}% (cap {1}%) of {2} - {3} {4}: base {5}, voucher {6}")
    @CsvSource({
        "10, 50, 1000.00, 100.00,  CNY, 900.00,  90.00",
        "25, 50, 1000.00, 0.00,    EUR, 1000.00, 250.00",
        "50, 50, 1000.00, 0.00,    EUR, 1000.00, 500.00",
        "80, 50, 1000.00, 0.00,    EUR, 1000.00, 500.00",
        "50, 30, 999.99,  0.00,    EUR, 999.99,  300.00",
        "0,  50, 1000.00, 0.00,    EUR, 1000.00, 0.00",
        "50, 0,  1000.00, 0.00,    EUR, 1000.00, 0.00",
        "10, 50, 1000.00, 1000.00, EUR, 0.00,    0.00",
        "50, 50, 100.00,  150.00,  EUR, 0.00,    0.00",
        "10, 50, 0.05,    0.00,    EUR, 0.05,    0.01",
        "25, 50, 0.02,    0.00,    EUR, 0.02,    0.01",
        "10, 50, 1005,    0,       JPY, 1005,    101",
        "25, 50, 1002,    0,       JPY, 1002,    251",
        "10, 50, 1004,    0,       JPY, 1004,    100",
        "50, 50, 3,       0,       JPY, 3,       2",
        "10, 50, 1.225,   0.000,   KWD, 1.225,   0.123",
        "10, 50, 1.224,   0.000,   KWD, 1.224,   0.122",
        "50, 50, 0.005,   0.000,   KWD, 0.005,   0.003",
        "25, 50, 10.502,  0.500,   BHD, 10.002,  2.501",
    })
    @DisplayName("S4.2 base = fee - voucherPaid (not below 0), voucher capped; S4.3 HALF_UP to the minor unit")
    void voucher(String percent, String cap, String fee, String paid, String currency, String base, String voucher) {
        MonthlyFee f = MonthlyFee.of(fee, paid, currency);
        assertThat(f.base()).isEqualTo(Money.of(base, currency));
        Money v = Compensation.voucher(new BigDecimal(percent), new BigDecimal(cap), f);
        assertThat(v).isEqualTo(Money.of(voucher, currency));
        assertThat(v.amount().scale()).isEqualTo(Money.minorUnit(v.currency()));
        assertThat(v.toDecimalString()).isEqualTo(voucher);
    }

    @ParameterizedTest(name = "S4.3 {0} {1} is refused ({2})")
    @CsvSource({
        "12.345, EUR, 12.345",
        "1.5,    JPY, 1.5",
        "1.2345, KWD, 1.2345",
        "12.00,  XYZ, XYZ",
        "12.00,  eur, eur",
        "12.00,  XAU, XAU",
        "abc,    EUR, abc",
    })
    @DisplayName("S4.3 amounts are strict decimal strings in a known ISO 4217 currency with a minor unit")
    void refusedMoney(String amount, String currency, String named) {
        assertThatThrownBy(() -> Money.of(amount, currency)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "S4.3 {0} {1} holds {2} decimals: {3}")
    @CsvSource({
        "12.3,  EUR, 2, 12.30",
        "1000,  JPY, 0, 1000",
        "1.5,   KWD, 3, 1.500",
        "1.500, BHD, 3, 1.500",
        "7,     CNY, 2, 7.00",
    })
    @DisplayName("S4.3 money is held at the currency's minor unit")
    void minorUnit(String amount, String currency, int digits, String plain) {
        Money m = Money.of(amount, currency);
        assertThat(m.amount().scale()).isEqualTo(digits);
        assertThat(m.toDecimalString()).isEqualTo(plain);
    }

    @Test
    @DisplayName("S4.3 a computed amount is rounded HALF_UP, not HALF_EVEN")
    void halfUp() {
        assertThat(Money.rounded(new BigDecimal("0.1225"), Money.currency("KWD")).toDecimalString()).isEqualTo("0.123");
        assertThat(Money.rounded(new BigDecimal("100.5"), Money.currency("JPY")).toDecimalString()).isEqualTo("101");
        assertThat(Money.rounded(new BigDecimal("0.125"), Money.currency("EUR")).toDecimalString()).isEqualTo("0.13");
    }

    @Test
    @DisplayName("S4.2 a fee and its voucher part must share a currency and not be negative")
    void invalidFees() {
        assertThatThrownBy(() -> new MonthlyFee(Money.of("10.00", "EUR"), Money.of("1.00", "USD")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different currencies");
        assertThatThrownBy(() -> MonthlyFee.of("-1.00", "0.00", "EUR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.of("1.00", "EUR").minus(Money.of("1.00", "USD")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
