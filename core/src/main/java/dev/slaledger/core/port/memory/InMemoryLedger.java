package dev.slaledger.core.port.memory;

import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.ClaimRepository;
import dev.slaledger.core.port.IdempotencyStore;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.RateLimiter;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.Ledger;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The ledger graph in this process's memory: one twin of each store, shared by every function wired
 * on it (the local runtime's {@code --engine memory}: no table, no emulator process). The aggregates'
 * read role is the one given (the ingest's in-memory table), or a twin of its own.
 */
public final class InMemoryLedger implements Ledger {
    private final Clock clock;
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final AggregateRepository aggregates;
    private final InMemoryTermsRepository terms;
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final InMemoryNoticeLedger notices = new InMemoryNoticeLedger();
    private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    private final InMemoryUndeliverableContacts undeliverable = new InMemoryUndeliverableContacts();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    private final InMemoryJobProgress jobProgress = new InMemoryJobProgress();
    private final InMemoryForecastRepository forecasts = new InMemoryForecastRepository();
    private final InMemoryNoticeCursors cursors = new InMemoryNoticeCursors();
    private final InMemoryNoticeBacklog backlog = new InMemoryNoticeBacklog();
    private final InMemorySendThrottle throttle = new InMemorySendThrottle();
    private final Map<Integer, InMemoryRateLimiter> limiters = new HashMap<>();

    public InMemoryLedger(TermsVersion originalTerms, AggregateRepository aggregates, Clock clock) {
        this.terms = new InMemoryTermsRepository(originalTerms);
        this.aggregates = aggregates;
        this.clock = clock;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public StatementRepository statements() {
        return statements;
    }

    @Override
    public AccountRepository accounts() {
        return accounts;
    }

    @Override
    public AccountRegistry accountRegistry() {
        return accounts;
    }

    @Override
    public AggregateRepository aggregates() {
        return aggregates;
    }

    @Override
    public TermsRepository terms() {
        return terms;
    }

    @Override
    public MaintenanceWindowRepository maintenanceWindows() {
        return windows;
    }

    @Override
    public NoticeRepository notices() {
        return notices;
    }

    @Override
    public NoticeDeliveries noticeDeliveries() {
        return notices;
    }

    @Override
    public ClaimRepository claims() {
        return claims;
    }

    @Override
    public InMemoryNoticeCursors noticeCursors() {
        return cursors;
    }

    @Override
    public InMemoryNoticeBacklog noticeBacklog() {
        return backlog;
    }

    @Override
    public InMemorySendThrottle sendThrottle() {
        return throttle;
    }

    @Override
    public InMemoryForecastRepository forecasts() {
        return forecasts;
    }

    @Override
    public InMemoryJobProgress jobProgress() {
        return jobProgress;
    }

    @Override
    public UndeliverableContacts undeliverableContacts() {
        return undeliverable;
    }

    @Override
    public IdempotencyStore idempotency() {
        return idempotency;
    }

    @Override
    public synchronized RateLimiter rateLimiter(int perMinute) {
        return limiters.computeIfAbsent(perMinute, InMemoryRateLimiter::new);
    }
}
