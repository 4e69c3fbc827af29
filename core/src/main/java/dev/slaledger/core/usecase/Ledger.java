package dev.slaledger.core.usecase;

import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.port.ForecastEvents;
import dev.slaledger.core.port.ForecastRepository;
import dev.slaledger.core.port.JobProgress;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.ClaimRepository;
import dev.slaledger.core.port.IdempotencyStore;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeCursors;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.RateLimiter;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.core.port.VoucherEvents;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The ledger graph (issue 29 item 2): every store the functions keep their state in, on one engine
 * (the Ledger, accounts and aggregates tables on DynamoDB in AWS: {@code DynamoDbLedger}; the
 * process's memory in the local runtime's memory engine: {@code InMemoryLedger}), and the
 * {@link StatementService} and the {@link ClaimService} assembled once on them, here, for every
 * function computing statements or filing claims: the month-end worker, the claims API, the
 * notifier's eligibility run, and through their wirings the local runtime and the harnesses.
 */
public interface Ledger {
    Clock clock();

    StatementRepository statements();

    /** The account registry's read side (what the statements and the notices read). */
    AccountRepository accounts();

    /** Its write side (the accounts function applies billing's events). */
    AccountRegistry accountRegistry();

    /** The aggregates' read role. */
    AggregateRepository aggregates();

    /** The terms: the original version (in force before any publication) and the published ones. */
    TermsRepository terms();

    MaintenanceWindowRepository maintenanceWindows();

    NoticeRepository notices();

    /** Where the month-end and the restatement of a whole month got to (S9.2: a stopped run continues). */
    JobProgress jobProgress();

    /** The liability forecasts (S9.8). */
    ForecastRepository forecasts();

    /** The delivery log of the notices (reservations, sends, bounces). */
    NoticeDeliveries noticeDeliveries();

    ClaimRepository claims();

    /** Where each notice sweep got to, and the audience counted for S9.4. */
    NoticeCursors noticeCursors();

    /** The notices parked for later (no send slot, a transient failure) and those given up on. */
    NoticeBacklog noticeBacklog();

    /**
     * The shared send schedule of the notices (S9.3). A DynamoDB one remembers the item it last saw:
     * a caller keeps the one it got.
     */
    SendThrottle sendThrottle();

    UndeliverableContacts undeliverableContacts();

    /** The claims API's Idempotency-Key records. */
    IdempotencyStore idempotency();

    /** The claims API's per-account limit of requests per minute. */
    RateLimiter rateLimiter(int perMinute);

    /** The statement service on the aggregates, announcing compensable statements to {@code events}. */
    default StatementService statementService(StatementEvents events) {
        return statementService(events, aggregates());
    }

    /** The same service reading the aggregates from {@code aggregates}. */
    default StatementService statementService(StatementEvents events, AggregateRepository aggregates) {
        return new StatementService(accounts(), aggregates, maintenanceWindows(), statements(), terms(), notices(),
                events, clock());
    }

    /**
     * The read-only evidence and revisions of statements (S9.6, S9.7) on {@code aggregates}, the
     * aggregates kept {@code retentionMargin} after the claim windows (ingest's margin, S7.4).
     */
    default StatementEvidence statementEvidence(AggregateRepository aggregates, java.time.Duration retentionMargin) {
        return new StatementEvidence(accounts(), aggregates, maintenanceWindows(), statements(), terms(), clock(),
                retentionMargin);
    }

    /** The liability forecast (S9.8) on {@code aggregates}, announcing status changes to {@code events}. */
    default LiabilityForecast liabilityForecast(ForecastEvents events, AggregateRepository aggregates,
            java.time.Duration settle) {
        return new LiabilityForecast(accounts(), aggregates, maintenanceWindows(), terms(), notices(), forecasts(),
                events, clock(), settle);
    }

    /**
     * The claim path (the claims API's, and the eligibility run's S8.3 filing): a stale or missing
     * statement recomputed first on {@code aggregates}, one accepted claim per account-month, vouchers
     * announced to {@code voucherEvents} under {@link ClaimService#ANNOUNCE_LEASE}.
     */
    default ClaimService claimService(StatementEvents statementEvents, VoucherEvents voucherEvents,
            AggregateRepository aggregates, Supplier<String> claimIds) {
        return new ClaimService(statementService(statementEvents, aggregates), statements(), claims(), voucherEvents,
                clock(), claimIds, ClaimService.ANNOUNCE_LEASE);
    }
}
