package dev.slaledger.claims;

import dev.slaledger.testkit.ApiContract;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbClaimRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.LoopbackEventBridge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The claims handler wired exactly as in Lambda ({@link ClaimsWiring}) on DynamoDB (Local, or
 * any client given) with fresh tables, and EventBridge played by {@link LoopbackEventBridge}.
 * Accounts are written through the accounts function's adapter from billing events, traffic
 * through the ingest function's aggregate store.
 */
final class DynamoClaims implements AutoCloseable {
    static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final AtomicLong SEQUENCE = new AtomicLong(1_000_000);

    final DynamoDbClient dynamo;
    final ClaimsConfig config;
    final SettableClock clock = new SettableClock(InMemoryClaims.IN_WINDOW);
    final LoopbackEventBridge events = new LoopbackEventBridge();
    final ClaimsHandler handler;
    final DynamoDbStatementRepository statements;
    final DynamoDbClaimRepository claims;
    private final DynamoDbAccountRepository accounts;
    private final DynamoDbAggregateStore aggregates;

    DynamoClaims(DynamoDbClient dynamo) {
        this(dynamo, ClaimsConfig.DEFAULT_RATE_PER_MINUTE);
    }

    /** Fresh tables on the JVM's shared client of the engines ({@code Engines.sharedDynamoDbClient}). */
    DynamoClaims() {
        this(Engines.get().sharedDynamoDbClient());
    }

    DynamoClaims(int ratePerMinute) {
        this(Engines.get().sharedDynamoDbClient(), ratePerMinute);
    }

    /** With {@code ratePerMinute} requests per account per minute (CLAIMS_RATE_PER_MINUTE). */
    DynamoClaims(DynamoDbClient dynamo, int ratePerMinute) {
        this.dynamo = dynamo;
        String prefix = "claims" + TABLES.incrementAndGet();
        config = new ClaimsConfig("eu-west-1", prefix + "-ledger", prefix + "-accounts", prefix + "-aggregates",
                "sla-bus", ClaimsConfig.DEFAULT_ACCOUNT_CLAIM, ratePerMinute);
        createTables(dynamo, config);
        handler = new ClaimsHandler(ClaimsWiring.create(config, dynamo,
                new EventBridgeVoucherEvents(events.client, config.eventBusName()),
                new EventBridgeStatementEvents(events.client, config.eventBusName()), clock,
                () -> UUID.randomUUID().toString()).api());
        statements = new DynamoDbStatementRepository(dynamo, config.ledgerTable());
        claims = new DynamoDbClaimRepository(dynamo, config.ledgerTable());
        accounts = new DynamoDbAccountRepository(dynamo, config.accountsTable());
        aggregates = new DynamoDbAggregateStore(dynamo, config.aggregatesTable(), Duration.ofDays(3650));
    }

    static void createTables(DynamoDbClient dynamo, ClaimsConfig config) {
        LedgerTable.create(dynamo, config.ledgerTable());
        AccountsTable.create(dynamo, config.accountsTable());
        DynamoDbAggregateStore.createTable(dynamo, config.aggregatesTable());
    }

    /** Billing's events for an account with a term over Oct-Dec 2026 and an October fee (EUR). */
    DynamoClaims account(String id, String fee, String voucherPaid) {
        accounts.apply(new SubscriptionPurchased(UUID.randomUUID().toString(), "sub-" + id, 1, id, "sub-" + id,
                new Term(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31))));
        accounts.apply(new FeeAssessed(UUID.randomUUID().toString(), "inv-" + id, 1, id, OCT,
                MonthlyFee.of(fee, voucherPaid, "EUR")));
        return this;
    }

    /** {@code n} October intervals from {@code fromInterval} (0 = Oct 2 00:00Z) where every request failed. */
    DynamoClaims errors(String id, int fromInterval, int n) {
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        for (int i = fromInterval; i < fromInterval + n; i++) {
            KeyBatch batch = new KeyBatch(new AggregateKey(id, start + 300L * i));
            batch.add("shardId-000000000000", Long.toString(SEQUENCE.incrementAndGet()),
                    new IntervalCounts(10, 10, 0, 0), 0);
            aggregates.apply(batch);
        }
        return this;
    }

    APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        // every response of the claims ITs is held to the contract (docs/openapi.yaml)
        return ApiContract.checked(event, handler.handleRequest(event, null));
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        events.close();
    }
}
