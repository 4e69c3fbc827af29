package dev.slaledger.core.claim;

import static dev.slaledger.core.Fixtures.UTC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementCalculator;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimPolicyTest {
    private static final Instant COMPUTED = Instant.parse("2026-07-01T01:00:00Z");

    /** The SLA's example term 03-17..06-16 with fees for each of its months. */
    private static Account account(String marchFee, String marchPaid) {
        Map<YearMonth, MonthlyFee> fees = new java.util.HashMap<>();
        if (marchFee != null) {
            fees.put(YearMonth.of(2026, 3), MonthlyFee.of(marchFee, marchPaid, "EUR"));
        }
        fees.put(YearMonth.of(2026, 6), MonthlyFee.of("500.00", "0.00", "EUR"));
        return new Account("acme", "ops@acme.test", Optional.empty(),
                List.of(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 6, 16))), fees);
    }

    /** {@code failed} intervals wholly in error from the first covered day of the month. */
    private static Optional<Statement> statement(Account account, YearMonth month, long failed) {
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        long start = StatementCalculator.periodOf(account, month).map(p -> p.firstDay().atStartOfDay(UTC)
                .toEpochSecond()).orElse(0L);
        for (long k = 0; k < failed; k++) {
            traffic.add(start + 300 * k, 7, 7, 0);
        }
        return StatementCalculator.compute(account, month, Fixtures.defaults(), traffic, List.of(), COMPUTED);
    }

    @ParameterizedTest(name = "S5.3 {0}: period {1}, {2} failed intervals, claim at {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
        no service period before anything else  | 2026-07 | 10 | 2026-04-01T00:00:00Z     | NO_SERVICE_PERIOD
        no service period, inside its window    | 2026-07 | 10 | 2026-08-20T00:00:00Z     | NO_SERVICE_PERIOD
        too early, the last instant before      | 2026-03 | 10 | 2026-04-07T23:59:59.999Z | TOO_EARLY
        too early even though the SLA was met   | 2026-03 |  0 | 2026-04-01T00:00:00Z     | TOO_EARLY
        accepted at the opening instant         | 2026-03 | 10 | 2026-04-08T00:00:00Z     | ACCEPTED
        accepted at the last instant            | 2026-03 | 10 | 2026-05-31T23:59:59.999Z | ACCEPTED
        too late at the closing instant         | 2026-03 | 10 | 2026-06-01T00:00:00Z     | TOO_LATE
        too late even though the SLA was met    | 2026-03 |  0 | 2026-09-01T00:00:00Z     | TOO_LATE
        SLA met inside the window               | 2026-03 |  0 | 2026-04-20T00:00:00Z     | SLA_MET
        SLA met at 99.9074 (4 of 4320)    | 2026-03 |  4 | 2026-04-20T00:00:00Z     | SLA_MET
        """)
    @DisplayName("S5.3 claims are checked in order: service period, window, tier")
    void decisionOrder(String why, String month, long failed, String at, String expected) {
        ClaimDecision d = ClaimPolicy.decide(statement(account("1000.00", "100.00"), YearMonth.parse(month), failed),
                Instant.parse(at));
        if (expected.equals("ACCEPTED")) {
            assertThat(d.accepted()).isTrue();
            assertThat(d.reason()).isEmpty();
            assertThat(d.voucher()).contains(Money.of("90.00", "EUR"));
            assertThat(d.issuesVoucher()).isTrue();
            assertThat(d.statementRevision()).contains(1);
            return;
        }
        assertThat(d.accepted()).isFalse();
        assertThat(d.reason()).contains(RefusalReason.valueOf(expected));
        assertThat(d.voucher()).isEmpty();
        assertThat(d.opensAt().map(Object::toString))
                .isEqualTo(expected.equals("TOO_EARLY") ? Optional.of("2026-04-08T00:00Z") : Optional.empty());
        assertThat(d.closedAt().map(Object::toString))
                .isEqualTo(expected.equals("TOO_LATE") ? Optional.of("2026-06-01T00:00Z") : Optional.empty());
    }

    @Test
    @DisplayName("S5.3 a fee fully paid with vouchers (base 0): accepted with a zero voucher that sends nothing")
    void zeroBase() {
        ClaimDecision d = ClaimPolicy.decide(statement(account("1000.00", "1000.00"), YearMonth.of(2026, 3), 500),
                Instant.parse("2026-04-20T00:00:00Z"));
        assertThat(d.accepted()).isTrue();
        assertThat(d.voucher()).contains(Money.of("0.00", "EUR"));
        assertThat(d.issuesVoucher()).isFalse();
    }

    @Test
    @DisplayName("S5.3 a period without an assessed fee is refused FEE_NOT_ASSESSED (may be claimed again later)")
    void feeNotAssessed() {
        ClaimDecision d = ClaimPolicy.decide(statement(account(null, null), YearMonth.of(2026, 3), 10),
                Instant.parse("2026-04-20T00:00:00Z"));
        assertThat(d.reason()).contains(RefusalReason.FEE_NOT_ASSESSED);
    }

    @ParameterizedTest(name = "S5.4 partial period {0} ({1} days) is claimable from {2}")
    @CsvSource({
        "2026-03, 15, 2026-04-08T00:00Z, 10, 90.00",
        "2026-06, 16, 2026-07-08T00:00Z, 50, 125.00",
    })
    @DisplayName("S5.4 the first and last (partial) months of a term are claimable like others")
    void partialPeriods(String month, long days, String opensAt, long failed, String voucher) {
        Statement s = statement(account("1000.00", "100.00"), YearMonth.parse(month), failed).orElseThrow();
        assertThat(s.days()).isEqualTo(days);
        assertThat(s.intervals()).isEqualTo(288 * days);
        assertThat(s.claimOpensAt()).hasToString(opensAt);
        ClaimDecision d = ClaimPolicy.decide(Optional.of(s), s.claimOpensAt().toInstant());
        assertThat(d.accepted()).isTrue();
        assertThat(d.voucher()).contains(Money.of(voucher, "EUR"));
    }
}
