package dev.slaledger.core.account;

import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An account as the SLA sees it (D2): who to write to, in which language, which terms it
 * bought, and its monthly fees.
 */
public record Account(String accountId, String email, Optional<Locale> locale, List<Term> terms,
        Map<YearMonth, MonthlyFee> fees) {

    public Account {
        if (accountId == null || accountId.isBlank()) {
            throw new IllegalArgumentException("accountId is required");
        }
        terms = List.copyOf(terms);
        fees = Map.copyOf(fees);
    }

    public Optional<MonthlyFee> feeFor(YearMonth month) {
        return Optional.ofNullable(fees.get(month));
    }
}
