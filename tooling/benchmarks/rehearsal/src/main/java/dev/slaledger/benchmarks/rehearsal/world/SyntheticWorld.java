package dev.slaledger.benchmarks.rehearsal.world;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryClaimRepository;
import dev.slaledger.core.port.memory.InMemoryJobProgress;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeBacklog;
import dev.slaledger.core.port.memory.InMemoryNoticeCursors;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemorySendThrottle;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.core.terms.TermsVersion;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stores of a provider with {@code accounts} accounts, on the core's in-memory twins: each account
 * {@code acct-0000000}... has a contact address, one term from 2026-10-01 to 2027-12-31 (October 2026
 * is its first service period) and a fee of 100.00 EUR for October to December 2026; the
 * aggregates are {@link SyntheticAggregates}. Addresses of every {@code bounceEvery}-th account
 * hard-bounce.
 */
public final class SyntheticWorld {
    public static final Term TERM = new Term(LocalDate.of(2026, 10, 1), LocalDate.of(2027, 12, 31));
    private static final MonthlyFee FEE = MonthlyFee.of("100.00", "0.00", "EUR");

    public final int accounts;
    public final InMemoryAccountRepository accountStore = new InMemoryAccountRepository();
    public final InMemoryStatementRepository statementStore = new InMemoryStatementRepository();
    public final InMemoryMaintenanceWindowRepository windowStore = new InMemoryMaintenanceWindowRepository();
    public final InMemoryNoticeLedger noticeStore = new InMemoryNoticeLedger();
    public final InMemoryUndeliverableContacts undeliverableStore = new InMemoryUndeliverableContacts();
    public final InMemoryClaimRepository claimStore = new InMemoryClaimRepository();
    public final InMemoryJobProgress progressStore = new InMemoryJobProgress();
    /** The notice sweeps' cursors, the parked notice work and the shared send schedule (S9.2, S9.3). */
    public final InMemoryNoticeCursors cursorStore = new InMemoryNoticeCursors();
    public final InMemoryNoticeBacklog backlogStore = new InMemoryNoticeBacklog();
    public final InMemorySendThrottle throttleStore = new InMemorySendThrottle();
    /** Accounts whose statement items cannot be read (a corrupt item): every snapshot of them fails. */
    public final java.util.Set<String> poisoned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final InMemoryTermsRepository termsStore;
    public final SyntheticAggregates aggregates;
    private final int bounceEvery;

    public SyntheticWorld(int accounts, TermsVersion original, int compensableEvery, int bounceEvery) {
        this.accounts = accounts;
        this.termsStore = new InMemoryTermsRepository(original);
        this.aggregates = new SyntheticAggregates(compensableEvery);
        this.bounceEvery = bounceEvery;
        Map<YearMonth, MonthlyFee> fees = new HashMap<>();
        for (int m = 10; m <= 12; m++) {
            fees.put(YearMonth.of(2026, m), FEE);
        }
        Map<YearMonth, MonthlyFee> shared = Map.copyOf(fees);
        List<Term> terms = List.of(TERM);
        for (int i = 0; i < accounts; i++) {
            String id = accountId(i);
            accountStore.save(new Account(id, id + "@customers.example", Optional.empty(), terms, shared));
        }
    }

    public static String accountId(int index) {
        return String.format("acct-%07d", index);
    }

    public static int indexOf(String accountId) {
        return Integer.parseInt(accountId.substring(5));
    }

    /** Whether the account's address hard-bounces (SES answers a permanent bounce a few seconds after the send). */
    public boolean bounces(String email) {
        if (bounceEvery <= 0) {
            return false;
        }
        return indexOf(email.substring(0, email.indexOf('@'))) % bounceEvery == bounceEvery - 1;
    }
}
