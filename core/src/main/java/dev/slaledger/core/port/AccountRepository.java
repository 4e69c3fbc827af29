package dev.slaledger.core.port;

import dev.slaledger.core.account.Account;
import java.time.YearMonth;
import java.util.Optional;
import java.util.function.Consumer;

/** The accounts the SLA applies to, as the billing system describes them (D2). */
public interface AccountRepository {
    Optional<Account> find(String accountId);

    /**
     * Calls {@code sink} once per account having a service period in {@code month}, without
     * reading the whole registry; adapters page internally.
     */
    void forEachAccountWithServiceIn(YearMonth month, Consumer<String> sink);

    /** Calls {@code sink} once per account with a term ending on or after {@code date} (S6.2). */
    void forEachAccountWithTermOnOrAfter(java.time.LocalDate date, Consumer<Account> sink);
}
