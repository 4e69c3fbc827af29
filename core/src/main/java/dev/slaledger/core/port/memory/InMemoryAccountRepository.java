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
 * Tests may also {@link #save} an account as a whole.
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

    public void save(Account account) {
        accounts.put(account.accountId(), account);
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
        accounts.put(event.accountId(), account(event.accountId(), e));
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
}
