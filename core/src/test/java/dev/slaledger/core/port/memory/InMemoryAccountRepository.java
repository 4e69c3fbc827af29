package dev.slaledger.core.port.memory;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * Accounts in memory, in account id order, with the two listings the registry keeps (as the
 * accounts table does): term ends ({@code {end}#{account}#{n}}, one entry per term) and month
 * memberships ({@code {account}#{n}} per month a term touches), so pages cost what they list.
 */
public final class InMemoryAccountRepository implements AccountRepository {
    private final Map<String, Account> accounts = new ConcurrentSkipListMap<>();
    private final NavigableMap<String, String> termEnds = new ConcurrentSkipListMap<>();
    private final Map<YearMonth, NavigableMap<String, String>> months = new ConcurrentSkipListMap<>();

    public synchronized void save(Account account) {
        Account old = accounts.put(account.accountId(), account);
        if (old != null) {
            unindex(old);
        }
        index(account);
    }

    private void index(Account a) {
        List<Term> terms = a.terms();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            termEnds.put(t.end() + "#" + a.accountId() + "#" + i, a.accountId());
            for (YearMonth m = YearMonth.from(t.start()); !m.isAfter(YearMonth.from(t.end())); m = m.plusMonths(1)) {
                months.computeIfAbsent(m, k -> new ConcurrentSkipListMap<>()).put(a.accountId() + "#" + i,
                        a.accountId());
            }
        }
    }

    private void unindex(Account a) {
        List<Term> terms = a.terms();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            termEnds.remove(t.end() + "#" + a.accountId() + "#" + i);
            for (YearMonth m = YearMonth.from(t.start()); !m.isAfter(YearMonth.from(t.end())); m = m.plusMonths(1)) {
                NavigableMap<String, String> members = months.get(m);
                if (members != null) {
                    members.remove(a.accountId() + "#" + i);
                }
            }
        }
    }

    @Override
    public Optional<Account> find(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    @Override
    public void forEachAccountWithServiceIn(YearMonth month, Consumer<String> sink) {
        accounts.values().stream()
                .filter(a -> ServicePeriod.of(a.terms(), month).isPresent())
                .forEach(a -> sink.accept(a.accountId()));
    }

    @Override
    public void forEachAccountWithTermOnOrAfter(LocalDate date, Consumer<Account> sink) {
        accounts.values().stream()
                .filter(a -> a.terms().stream().map(Term::end).anyMatch(end -> !end.isBefore(date)))
                .forEach(sink);
    }

    @Override
    public Page pageAccountsWithTermOnOrAfter(LocalDate date, Optional<String> after, int limit) {
        NavigableMap<String, String> from = after.isPresent() ? termEnds.tailMap(after.get(), false)
                : termEnds.tailMap(date.toString(), true);
        return page(from, limit);
    }

    @Override
    public Page pageAccountsWithServiceIn(YearMonth month, Optional<String> after, int limit) {
        NavigableMap<String, String> members = months.getOrDefault(month, new ConcurrentSkipListMap<>());
        NavigableMap<String, String> from = after.isPresent() ? members.tailMap(after.get(), false) : members;
        // an account with several terms in the month is one member per term; list it once per page run
        return page(from, limit);
    }

    @Override
    public long countTermsOnOrAfter(LocalDate date) {
        return termEnds.tailMap(date.toString(), true).size();
    }

    private static Page page(NavigableMap<String, String> from, int limit) {
        List<String> ids = new ArrayList<>();
        String last = null;
        int entries = 0;
        for (Map.Entry<String, String> e : from.entrySet()) {
            if (entries == limit) {
                return new Page(ids, entries, Optional.of(last));
            }
            entries++;
            last = e.getKey();
            if (ids.isEmpty() || !ids.get(ids.size() - 1).equals(e.getValue())) {
                ids.add(e.getValue());
            }
        }
        return new Page(ids, entries, Optional.empty());
    }
}
