package dev.slaledger.core.port;

import dev.slaledger.core.account.Account;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * One page of a listing (S9.2): the account ids of up to {@code limit} entries after a position,
     * and the position of the last entry given (empty when the listing ended with this page). An
     * account with several entries (subscriptions) may come more than once, in different pages.
     *
     * @param entries how many listing entries the page covered (at least {@code accountIds.size()})
     */
    record Page(List<String> accountIds, int entries, Optional<String> next) {
        public Page {
            accountIds = List.copyOf(accountIds);
        }
    }

    /**
     * The accounts with a term ending on or after {@code date} (S6.2), one page after {@code after}
     * (an earlier page's {@link Page#next}; empty: from the start). Listing order is stable while
     * the listing is paged; entries added behind a position are not listed again (they come by
     * events: docs/notices.md). Adapters override this; the default walks the whole listing.
     */
    default Page pageAccountsWithTermOnOrAfter(LocalDate date, Optional<String> after, int limit) {
        List<String> all = new ArrayList<>();
        forEachAccountWithTermOnOrAfter(date, a -> all.add(a.accountId()));
        return pageOf(all, after, limit);
    }

    /** The accounts with a service period in {@code month}, one page after {@code after} (as above). */
    default Page pageAccountsWithServiceIn(YearMonth month, Optional<String> after, int limit) {
        List<String> all = new ArrayList<>();
        forEachAccountWithServiceIn(month, all::add);
        return pageOf(all, after, limit);
    }

    /**
     * How many listing entries {@link #pageAccountsWithTermOnOrAfter} holds for {@code date}: at
     * least the number of accounts it lists (an account with several terms counts once per term).
     * Adapters answer from the listing without reading the accounts.
     */
    default long countTermsOnOrAfter(LocalDate date) {
        long[] n = {0};
        forEachAccountWithTermOnOrAfter(date, a -> n[0]++);
        return n[0];
    }

    /** A page of {@code all} (positions are account ids, in the given order). */
    private static Page pageOf(List<String> all, Optional<String> after, int limit) {
        int from = after.map(a -> all.indexOf(a) + 1).orElse(0);
        int to = Math.min(all.size(), from + limit);
        List<String> ids = all.subList(from, to);
        return new Page(ids, ids.size(), to < all.size() && !ids.isEmpty() ? Optional.of(ids.get(ids.size() - 1))
                : Optional.empty());
    }
}
