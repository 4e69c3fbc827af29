package dev.slaledger.claims;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.core.usecase.StatementEvidence;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import dev.slaledger.priming.SampleEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** Builds the claims API from its clients: once per execution environment in Lambda, per test in tests. */
public final class ClaimsWiring {
    /** How long one request holds the duty to announce a voucher before another may take it over. */
    public static final Duration ANNOUNCE_LEASE = ClaimService.ANNOUNCE_LEASE;

    private final ClaimsApi api;

    private ClaimsWiring(ClaimsApi api) {
        this.api = api;
    }

    public ClaimsApi api() {
        return api;
    }

    /** The Lambda wiring: SDK clients with the URLConnection HTTP client, region from AWS_REGION. */
    public static ClaimsWiring create(ClaimsConfig config, Clock clock) {
        return create(config, dynamo(config), eventBridge(config), clock);
    }

    /** The Lambda wiring on given clients: VoucherIssued and StatementCompensable go to {@code events}. */
    static ClaimsWiring create(ClaimsConfig config, DynamoDbClient dynamo, EventBridgeClient events, Clock clock) {
        return create(config, dynamo, () -> events, clock);
    }

    /** The same with the EventBridge client built when the first event is put ({@link AwsClients#lazy}). */
    static ClaimsWiring create(ClaimsConfig config, DynamoDbClient dynamo, Supplier<EventBridgeClient> events,
            Clock clock) {
        return create(config, dynamo, new EventBridgeVoucherEvents(events, config.eventBusName()),
                new EventBridgeStatementEvents(events, config.eventBusName()), clock,
                () -> UUID.randomUUID().toString());
    }

    static DynamoDbClient dynamo(ClaimsConfig config) {
        return AwsClients.build(DynamoDbClient.builder(), Region.of(config.region()));
    }

    /**
     * Built on the first announcement (an issued voucher, a compensable recomputation), not by the
     * constructor: most requests announce nothing ({@link AwsClients#lazy}).
     */
    static Supplier<EventBridgeClient> eventBridge(ClaimsConfig config) {
        return AwsClients.lazy("EventBridge", () -> AwsClients.build(EventBridgeClient.builder(),
                Region.of(config.region())));
    }

    /**
     * SnapStart priming (issue 11 item 3): the bundled copy of events/claims/post-claim.json (see
     * pom.xml) through the whole handler wired as in production but on DynamoDB and EventBridge
     * clients that answer from memory ({@link CannedClients}: request parsing, the claim and
     * statement paths' marshalling, signing and unmarshalling, the JSON answer; nothing leaves the
     * process, so no claim, statement or idempotency key is stored and no event published); then a
     * read of a ledger key that cannot exist through the real DynamoDB client.
     */
    static Priming.Step[] priming(ClaimsConfig config, DynamoDbClient dynamo) {
        return new Priming.Step[] {
            Priming.step("sample claim on canned DynamoDB and EventBridge", () -> {
                Region region = Region.of(config.region());
                ClaimsWiring canned = create(config, CannedClients.build(DynamoDbClient.builder(), region),
                        CannedClients.build(EventBridgeClient.builder(), region), Clock.systemUTC());
                new ClaimsHandler(canned.api()).handleRequest(
                        SampleEvents.httpApi(ClaimsWiring.class, SAMPLE_EVENT), null);
            }),
            MissingItemRead.step(dynamo, config.ledgerTable(), LedgerTable.PK, LedgerTable.SK)
        };
    }

    static final String SAMPLE_EVENT = "/dev/slaledger/claims/priming/post-claim.json";

    /**
     * Everything from given clients and ports (tests, benchmark).
     *
     * @param statementEvents where a recomputation that finds a compensable statement announces it,
     *                        as the month-end worker does
     */
    public static ClaimsWiring create(ClaimsConfig config, DynamoDbClient dynamo, VoucherEvents voucherEvents,
            StatementEvents statementEvents, Clock clock, Supplier<String> claimIds) {
        return create(config, dynamo, DefaultTerms.version(), voucherEvents, statementEvents, clock, claimIds);
    }

    /**
     * The same with given original terms (the version in force before any publication): the local
     * runtime replays a provider's own terms file; Lambda uses the default terms.
     */
    public static ClaimsWiring create(ClaimsConfig config, DynamoDbClient dynamo, TermsVersion originalTerms,
            VoucherEvents voucherEvents, StatementEvents statementEvents, Clock clock, Supplier<String> claimIds) {
        return create(config, dynamo, originalTerms, new DynamoDbAggregateRepository(dynamo, config.aggregatesTable()),
                voucherEvents, statementEvents, clock, claimIds);
    }

    /**
     * The same reading the aggregates (for a recomputation of a stale statement) from a given
     * repository: the local runtime's in-process engine keeps them in memory.
     */
    public static ClaimsWiring create(ClaimsConfig config, DynamoDbClient dynamo, TermsVersion originalTerms,
            AggregateRepository aggregates, VoucherEvents voucherEvents, StatementEvents statementEvents, Clock clock,
            Supplier<String> claimIds) {
        return create(config, new DynamoDbLedger(dynamo, config.ledgerTable(), config.accountsTable(),
                config.aggregatesTable(), originalTerms, clock), aggregates, voucherEvents, statementEvents, claimIds);
    }

    /**
     * The claims API on a given ledger graph (the local runtime's memory engine keeps it in memory),
     * recomputing a stale statement from {@code aggregates}.
     */
    public static ClaimsWiring create(ClaimsConfig config, Ledger ledger, AggregateRepository aggregates,
            VoucherEvents voucherEvents, StatementEvents statementEvents, Supplier<String> claimIds) {
        ClaimService claims = ledger.claimService(statementEvents, voucherEvents, aggregates, claimIds);
        // S9.6: the evidence reads the aggregates the statement worker reads, kept as ingest keeps them (S7.4)
        StatementEvidence evidence = ledger.statementEvidence(aggregates, Retention.DEFAULT_MARGIN);
        return new ClaimsWiring(new ClaimsApi(claims, evidence, ledger.idempotency(),
                ledger.rateLimiter(config.ratePerMinute()), ledger.clock(), config.accountClaim()));
    }
}
