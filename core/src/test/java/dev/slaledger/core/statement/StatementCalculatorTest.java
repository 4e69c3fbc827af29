package dev.slaledger.core.statement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.terms.HolidayRules;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatementCalculatorTest {

    @Test
    @DisplayName("S1.1 S3.3 S4.2 S5.1 the D3 statement of the March 17 example's first period, in +08:00")
    void marchStatement() {
        TermsVersion terms = Fixtures.withCalendar("Asia/Shanghai", HolidayRules.weekendsOnly());
        Account acme = new Account("acme", "ops@acme.test", Optional.empty(),
                List.of(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 6, 16))),
                Map.of(YearMonth.of(2026, 3), MonthlyFee.of("1000.00", "100.00", "CNY")));
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        // 00:00 of March 17 in Shanghai is 16:00 UTC on March 16; one interval of 1/3 and 10 in error.
        Instant first = Instant.parse("2026-03-16T16:00:00Z");
        traffic.add(first, new IntervalCounts(3, 1, 0, 0));
        for (int k = 1; k <= 10; k++) {
            traffic.add(first.plusSeconds(300L * k), new IntervalCounts(2, 1, 1, 0));
        }
        // The interval just before the period starts locally is ignored.
        traffic.add(first.minusSeconds(300), new IntervalCounts(1, 1, 0, 0));

        Statement s = StatementCalculator.compute(acme, YearMonth.of(2026, 3), terms, traffic, List.of(),
                Instant.parse("2026-04-01T00:00:00Z")).orElseThrow();

        assertThat(s.periodDays()).containsExactly(new DateRange(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 3, 31)));
        assertThat(s.days()).isEqualTo(15);
        assertThat(s.intervals()).isEqualTo(4320);
        assertThat(s.errorRateSum().toPlainString()).isEqualTo("10.333333333333333333");
        // A = 1 - (31/3) / 4320 = 99.760802...
        assertThat(s.availability()).hasToString("99.7608");
        assertThat(s.compensationPercent()).isEqualByComparingTo("10");
        assertThat(s.base()).contains(Money.of("900.00", "CNY"));
        assertThat(s.voucherAmount()).contains(Money.of("90.00", "CNY"));
        assertThat(s.claimOpensAt()).hasToString("2026-04-08T00:00+08:00");
        assertThat(s.claimClosesAt()).hasToString("2026-06-01T00:00+08:00");
        assertThat(s.termsVersion()).isEqualTo(terms.version());
        assertThat(s.revision()).isEqualTo(1);
    }

    @Test
    @DisplayName("S1.2 no statement for a month without a service period")
    void noPeriod() {
        Account acme = new Account("acme", "ops@acme.test", Optional.empty(),
                List.of(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 6, 16))), Map.of());
        assertThat(StatementCalculator.compute(acme, YearMonth.of(2026, 7), Fixtures.defaults(),
                new AccountMonthTraffic(), List.of(), Instant.EPOCH)).isEmpty();
    }
}
