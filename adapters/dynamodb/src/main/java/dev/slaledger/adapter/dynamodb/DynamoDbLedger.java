package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.core.usecase.StatementService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The ledger graph ({@link Ledger}) on DynamoDB: the repositories of the Ledger, accounts and
 * aggregates tables on one DynamoDB client; the {@link StatementService} and the {@link ClaimService}
 * on them are assembled once, by {@link Ledger}'s own methods.
 *
 * @param originalTerms the terms in force before any publication (Lambda: the default terms)
 */
public record DynamoDbLedger(DynamoDbClient dynamo, String ledgerTable, String accountsTable, String aggregatesTable,
        TermsVersion originalTerms, Clock clock) implements Ledger {

    public DynamoDbLedger {
        Objects.requireNonNull(dynamo);
        Objects.requireNonNull(ledgerTable);
        Objects.requireNonNull(accountsTable);
        Objects.requireNonNull(originalTerms);
        Objects.requireNonNull(clock);
    }

    @Override
    public DynamoDbStatementRepository statements() {
        return new DynamoDbStatementRepository(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbAccountRepository accounts() {
        return new DynamoDbAccountRepository(dynamo, accountsTable);
    }

    @Override
    public DynamoDbAccountRepository accountRegistry() {
        return accounts();
    }

    /** The aggregates' read role; {@code AGGREGATES_TABLE} must have been given. */
    @Override
    public DynamoDbAggregateRepository aggregates() {
        return new DynamoDbAggregateRepository(dynamo, Objects.requireNonNull(aggregatesTable, "aggregates table"));
    }

    @Override
    public DynamoDbTermsRepository terms() {
        return new DynamoDbTermsRepository(dynamo, ledgerTable, originalTerms);
    }

    @Override
    public DynamoDbMaintenanceWindowRepository maintenanceWindows() {
        return new DynamoDbMaintenanceWindowRepository(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbNoticeRepository notices() {
        return new DynamoDbNoticeRepository(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbNoticeRepository noticeDeliveries() {
        return notices();
    }

    @Override
    public DynamoDbClaimRepository claims() {
        return new DynamoDbClaimRepository(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbNoticeCursors noticeCursors() {
        return new DynamoDbNoticeCursors(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbNoticeBacklog noticeBacklog() {
        return new DynamoDbNoticeBacklog(dynamo, ledgerTable);
    }

    /** A new send schedule reader on each call (each remembers the item it last saw). */
    @Override
    public DynamoDbSendThrottle sendThrottle() {
        return new DynamoDbSendThrottle(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbJobProgress jobProgress() {
        return new DynamoDbJobProgress(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbForecastRepository forecasts() {
        return new DynamoDbForecastRepository(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbUndeliverableContacts undeliverableContacts() {
        return new DynamoDbUndeliverableContacts(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbIdempotencyStore idempotency() {
        return new DynamoDbIdempotencyStore(dynamo, ledgerTable);
    }

    @Override
    public DynamoDbRateLimiter rateLimiter(int perMinute) {
        return new DynamoDbRateLimiter(dynamo, ledgerTable, perMinute);
    }
}
