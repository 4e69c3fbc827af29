package dev.slaledger.core.port.memory;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.billing.ApplyResult;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ConflictingBillingEventException;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * Accounts in memory, in account id order: the read side ({@link AccountRepository}) and the write
 * side ({@link AccountRegistry}) with the account table's semantics (DynamoDbAccountRepository): per
 * billing entity (the contact, a subscription, a month's fee) the state of the highest
 * {@code billingVersion} seen, so a replay changes nothing ({@code REPLAY}), an older version is
 * {@code STALE}, and the same version with other content is a {@link ConflictingBillingEventException}.
 * Tests may also {@link #save} an account as a whole. Like the accounts table it keeps two listings:
 * term ends ({@code {end}#{account}#{n}}, one entry per term) and month memberships
 * ({@code {account}#{n}} per month a term touches), so pages cost what they list.
 */
public final class InMemoryAccountRepository implements AccountRepository, AccountRegistry {
    /** One entity's stored version and content (what a conflicting event is compared with). */
    private record Versioned<T>(long version, T value, String rendered) {
    }

    /** What billing's events built for one account. */
    private static final class Entities {
        Versioned<ContactChanged> contact;
        final Map<String, Versioned<Optional<Term>>> subscriptions = new TreeMap<>();
        final Map<YearMonth, Versioned<MonthlyFee>> fees = new TreeMap<>();
    }

    private final Map<String, Account> accounts = new ConcurrentSkipListMap<>();
    private final Map<String, Entities> entities = new HashMap<>();
    private final NavigableMap<String, String> termEnds = new ConcurrentSkipListMap<>();
    private final Map<YearMonth, NavigableMap<String, String>> months = new ConcurrentSkipListMap<>();

    public synchronized void save(Account account) {
        put(account);
    }

    private void put(Account account) {
        Account old = accounts.put(account.accountId(), account);
        if (old != null && old.terms().equals(account.terms())) {
            return; // a contact or a fee: the indexes follow the terms alone
        }
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
    public synchronized ApplyResult apply(BillingEvent event) {
        Entities e = entities.computeIfAbsent(event.accountId(), id -> new Entities());
        ApplyResult result = switch (event) {
            case ContactChanged c -> {
                ApplyResult r = check(event, e.contact, render(c));
                if (r == null) {
                    e.contact = new Versioned<>(c.billingVersion(), c, render(c));
                }
                yield r;
            }
            case FeeAssessed f -> {
                ApplyResult r = check(event, e.fees.get(f.month()), render(f));
                if (r == null) {
                    e.fees.put(f.month(), new Versioned<>(f.billingVersion(), f.fee(), render(f)));
                }
                yield r;
            }
            case SubscriptionPurchased p -> subscription(e, event, p.subscriptionId(), p.term().start(), p.term().end(),
                    "PURCHASED");
            case SubscriptionEnded x -> subscription(e, event, x.subscriptionId(), x.start(), x.end(), x.reason().name());
        };
        if (result == null) {
            result = ApplyResult.applied(event.billingVersion());
        }
        put(account(event.accountId(), e));
        return result;
    }

    private static ApplyResult subscription(Entities e, BillingEvent event, String id, LocalDate start, LocalDate end,
            String status) {
        String rendered = "{end=" + end + ", start=" + start + ", status=" + status + ", subscriptionId=" + id + "}";
        Versioned<Optional<Term>> stored = e.subscriptions.get(id);
        ApplyResult r = check(event, stored, rendered);
        if (r != null) {
            return r;
        }
        Optional<Term> term = end.isBefore(start) ? Optional.empty() : Optional.of(new Term(start, end));
        e.subscriptions.put(id, new Versioned<>(event.billingVersion(), term, rendered));
        return ApplyResult.applied(event.billingVersion(), stored == null ? Optional.empty() : stored.value());
    }

    /** Null when the event is newer than what is stored (apply it); else the outcome, or a conflict. */
    private static ApplyResult check(BillingEvent event, Versioned<?> stored, String rendered) {
        if (stored == null || stored.version() < event.billingVersion()) {
            return null;
        }
        if (stored.version() > event.billingVersion()) {
            return ApplyResult.stale(stored.version());
        }
        if (!stored.rendered().equals(rendered)) {
            throw new ConflictingBillingEventException(event, stored.rendered(), rendered);
        }
        return ApplyResult.replay(stored.version());
    }

    private static String render(ContactChanged c) {
        return "{email=" + c.email() + c.locale().map(l -> ", locale=" + l.toLanguageTag()).orElse("") + "}";
    }

    private static String render(FeeAssessed f) {
        return "{amount=" + f.fee().amount().toDecimalString() + ", currency="
                + f.fee().amount().currency().getCurrencyCode() + ", month=" + f.month() + ", voucherPaid="
                + f.fee().voucherPaid().toDecimalString() + "}";
    }

    private static Account account(String accountId, Entities e) {
        List<Term> terms = new ArrayList<>();
        e.subscriptions.values().forEach(v -> v.value().ifPresent(terms::add));
        terms.sort(Comparator.comparing(Term::start).thenComparing(Term::end));
        Map<YearMonth, MonthlyFee> fees = new HashMap<>();
        e.fees.forEach((m, v) -> fees.put(m, v.value()));
        return new Account(accountId, e.contact == null ? null : e.contact.value().email(),
                e.contact == null ? Optional.<Locale>empty() : e.contact.value().locale(), terms, fees);
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
