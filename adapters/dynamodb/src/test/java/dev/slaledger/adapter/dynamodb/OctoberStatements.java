package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementCalculator;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statements the Ledger table ITs store: an account on a 2026 term with a 1000.00 EUR fee for
 * {@link #MONTH} (100.00 of it paid with vouchers, so a stored document carries both parts), whose
 * first {@code errorIntervals} five-minute intervals fail every request, computed on the default
 * terms at {@link #COMPUTED}. The error intervals decide whether the statement owes compensation,
 * so a test gets a met or a compensable statement from one call.
 */
final class OctoberStatements {
    static final YearMonth MONTH = YearMonth.of(2026, 10);
    static final Instant COMPUTED = Instant.parse("2026-11-01T01:00:00Z");

    private OctoberStatements() {
    }

    static Statement statement(String accountId, long errorIntervals) {
        Account account = new Account(accountId, accountId + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"))),
                Map.of(MONTH, MonthlyFee.of("1000.00", "100.00", "EUR")));
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        long start = MONTH.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        for (int i = 0; i < errorIntervals; i++) {
            traffic.add(start + 300L * i, 10, 10, 0);
        }
        return StatementCalculator.compute(account, MONTH, DefaultTerms.version(), traffic, List.of(), COMPUTED)
                .orElseThrow();
    }
}
