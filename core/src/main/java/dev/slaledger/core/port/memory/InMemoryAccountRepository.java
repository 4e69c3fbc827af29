package dev.slaledger.core.port.memory;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** Accounts in memory, in account id order. */
public final class InMemoryAccountRepository implements AccountRepository {
    private final Map<String, Account> accounts = new ConcurrentSkipListMap<>();

    public void save(Account account) {
        accounts.put(account.accountId(), account);
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
}
