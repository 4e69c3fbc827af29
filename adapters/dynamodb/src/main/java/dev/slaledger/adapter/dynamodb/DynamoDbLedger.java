package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.ForecastEvents;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.StatementEvidence;
import dev.slaledger.core.usecase.StatementService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The ledger graph, assembled once: the repositories of the Ledger, accounts and aggregates tables
 * on one DynamoDB client, and the {@link StatementService} (and the {@link ClaimService} on it) that
 * every function computing statements or filing claims runs: the month-end worker, the claims API,
 * the notifier's eligibility run, and through their wirings the local runtime and the harnesses.
 *
 * @param originalTerms the terms in force before any publication (Lambda: the default terms)
 */
public record DynamoDbLedger(DynamoDbClient dynamo, String ledgerTable, String accountsTable, String aggregatesTable,
        TermsVersion originalTerms, Clock clock) {

    public DynamoDbLedger {
        Objects.requireNonNull(dynamo);
        Objects.requireNonNull(ledgerTable);
        Objects.requireNonNull(accountsTable);
        Objects.requireNonNull(originalTerms);
        Objects.requireNonNull(clock);
    }

    public DynamoDbStatementRepository statements() {
        return new DynamoDbStatementRepository(dynamo, ledgerTable);
    }

    public DynamoDbAccountRepository accounts() {
        return new DynamoDbAccountRepository(dynamo, accountsTable);
    }

    /** The aggregates' read role; {@code AGGREGATES_TABLE} must have been given. */
    public DynamoDbAggregateRepository aggregates() {
        return new DynamoDbAggregateRepository(dynamo, Objects.requireNonNull(aggregatesTable, "aggregates table"));
    }

    public DynamoDbTermsRepository terms() {
        return new DynamoDbTermsRepository(dynamo, ledgerTable, originalTerms);
    }

    public DynamoDbMaintenanceWindowRepository maintenanceWindows() {
        return new DynamoDbMaintenanceWindowRepository(dynamo, ledgerTable);
    }

    public DynamoDbNoticeRepository notices() {
        return new DynamoDbNoticeRepository(dynamo, ledgerTable);
    }

    public DynamoDbClaimRepository claims() {
        return new DynamoDbClaimRepository(dynamo, ledgerTable);
    }

    /** The liability forecasts (S9.8) in the Ledger. */
    public DynamoDbForecastRepository forecasts() {
        return new DynamoDbForecastRepository(dynamo, ledgerTable);
    }

    /**
     * The read-only evidence and revisions of statements (S9.6, S9.7) on {@code aggregates}, the
     * aggregates kept {@code retentionMargin} after the claim windows (ingest's margin, S7.4).
     */
    public StatementEvidence statementEvidence(AggregateRepository aggregates, Duration retentionMargin) {
        return new StatementEvidence(accounts(), aggregates, maintenanceWindows(), statements(), terms(), clock,
                retentionMargin);
    }

    /** The liability forecast (S9.8) on {@code aggregates}, announcing status changes to {@code events}. */
    public LiabilityForecast liabilityForecast(ForecastEvents events, AggregateRepository aggregates, Duration settle) {
        return new LiabilityForecast(accounts(), aggregates, maintenanceWindows(), terms(), notices(), forecasts(),
                events, clock, settle);
    }

    /** The statement service on the aggregates table, announcing compensable statements to {@code events}. */
    public StatementService statementService(StatementEvents events) {
        return statementService(events, aggregates());
    }

    /** The same service reading the aggregates from {@code aggregates} (the local runtime's in-process engine). */
    public StatementService statementService(StatementEvents events, AggregateRepository aggregates) {
        return new StatementService(accounts(), aggregates, maintenanceWindows(), statements(), terms(), notices(),
                events, clock);
    }

    /**
     * The claim path (the claims API's, and the eligibility run's S8.3 filing): a stale or missing
     * statement recomputed first on {@code aggregates}, one accepted claim per account-month, vouchers
     * announced to {@code voucherEvents} under {@link ClaimService#ANNOUNCE_LEASE}.
     */
    public ClaimService claimService(StatementEvents statementEvents, VoucherEvents voucherEvents,
            AggregateRepository aggregates, Supplier<String> claimIds) {
        return new ClaimService(statementService(statementEvents, aggregates), statements(), claims(), voucherEvents,
                clock, claimIds, ClaimService.ANNOUNCE_LEASE);
    }
}
