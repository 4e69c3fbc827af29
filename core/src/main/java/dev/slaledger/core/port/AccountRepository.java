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

    /**
     * As {@link #forEachAccountWithServiceIn(YearMonth, Consumer)}, in the order of {@code accountId + "#"}
     * (ids hold no '#'), starting after account {@code after} when given: how a stopped fan-out resumes
     * (S9.2). Adapters read from the cursor on; this default reads everything and sorts.
     */
    default void forEachAccountWithServiceIn(YearMonth month, java.util.Optional<String> after,
            Consumer<String> sink) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        forEachAccountWithServiceIn(month, ids::add);
        ids.sort(java.util.Comparator.comparing(id -> id + "#"));
        for (String id : ids) {
            if (after.isEmpty() || (id + "#").compareTo(after.get() + "#") > 0) {
                sink.accept(id);
            }
        }
    }

    /** Calls {@code sink} once per account with a term ending on or after {@code date} (S6.2). */
    void forEachAccountWithTermOnOrAfter(java.time.LocalDate date, Consumer<Account> sink);
}
