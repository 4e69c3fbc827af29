package dev.slaledger.ingest;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The ingest function's composition root (docs/architecture.md): the ingest service on the
 * aggregates, quarantine and Ledger tables, from the Lambda environment ({@link #fromEnvironment})
 * or from a given configuration, DynamoDB client and clock (tests, the local runtime, the
 * harnesses). Credentials come from the SDK's default chain: under SnapStart Lambda gives them as
 * container credentials, not as the AWS_ACCESS_KEY_ID variables.
 */
public final class IngestWiring {
    private final IngestConfig config;
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final Region region;
    private final TermsVersion originalTerms;
    /** The terms of a given ledger graph; null on DynamoDB (the Ledger table). */
    private final TermsRepository terms;

    /** On the default terms as the original version (the published ones are read from the Ledger). */
    public IngestWiring(IngestConfig config, DynamoDbClient dynamo, Clock clock) {
        this(config, dynamo, clock, DefaultTerms.version());
    }

    public IngestWiring(IngestConfig config, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this(config, dynamo, clock, Region.US_EAST_1, originalTerms);
    }

    /**
     * For other runtimes (the local runtime's memory engine): the terms (retention) read from a given
     * ledger graph; the stores are given to {@link #service(AggregateStore, QuarantineStore, StalenessMarker)}.
     */
    public IngestWiring(IngestConfig config, Ledger ledger) {
        this.config = config;
        this.dynamo = null;
        this.clock = ledger.clock();
        this.region = Region.US_EAST_1;
        this.originalTerms = ledger.terms().published().get(0);
        this.terms = ledger.terms();
    }

    private IngestWiring(IngestConfig config, DynamoDbClient dynamo, Clock clock, Region region,
            TermsVersion originalTerms) {
        this.terms = null;
        this.config = config;
        this.dynamo = dynamo;
        this.clock = clock;
        this.region = region;
        this.originalTerms = originalTerms;
    }

    /** Lambda: the process environment, a DynamoDB client from {@link AwsClients}, the system clock. */
    static IngestWiring fromEnvironment() {
        Env env = Env.system();
        return new IngestWiring(IngestConfig.fromEnvironment(env), AwsClients.build(DynamoDbClient.builder(),
                env.region()), Clock.systemUTC(), env.region(), DefaultTerms.version());
    }

    /**
     * The ingest service. Retention (S7.4) is derived from the published terms, read once per
     * service (one per container) and re-read hourly ({@link TermsRetention}): an aggregate expires
     * when every month it can count in is past its claim window plus the margin; a quarantined
     * record is kept as long as any aggregate written at the same moment could be (the one of the
     * latest interval ingest accepts then, 15 minutes ahead), so never less than an aggregate.
     */
    public IngestService service() {
        TermsRetention retention = retention();
        long ahead = RequestRecordParser.MAX_AHEAD.toSeconds();
        return service(retention,
                new DynamoDbAggregateStore(dynamo, config.aggregatesTable(),
                        intervalStart -> retention.current().expiresAt(intervalStart)),
                new DynamoDbQuarantineStore(dynamo, config.quarantineTable(), clock,
                        quarantinedAt -> retention.current().expiresAt(
                                Math.floorDiv(quarantinedAt + ahead, Intervals.SECONDS) * Intervals.SECONDS)));
    }

    /**
     * The same service with the aggregates, the quarantine and the stale marks on given ports (the
     * local runtime's in-process engine keeps the first two in memory); the terms stay on the Ledger.
     */
    public IngestService service(AggregateStore aggregates, QuarantineStore quarantine, StalenessMarker marks) {
        return new IngestService(payloads(), aggregates, quarantine, marks, clock, retention()::refresh);
    }

    /** D1 records and CloudWatch Logs subscription payloads of access-log lines, on one stream. */
    private StreamPayloads payloads() {
        return new StreamPayloads(new RequestRecordParser(), new AccessLogMapper(config.accessLogAccountSource()));
    }

    private TermsRetention retention() {
        return new TermsRetention(terms != null ? terms
                : new DynamoDbTermsRepository(dynamo, config.ledgerTable(), originalTerms), config.retentionMargin(), clock);
    }

    private IngestService service(TermsRetention retention, AggregateStore aggregates, QuarantineStore quarantine) {
        return new IngestService(payloads(), aggregates, quarantine,
                new DynamoDbStatementRepository(dynamo, config.ledgerTable()), clock, retention::refresh);
    }

    /** The tumbling-window path (issue 18) on the same stores, with the default state budget. */
    public WindowedIngest windowed() {
        return new WindowedIngest(service(), WindowedIngest.DEFAULT_BUDGET_BYTES);
    }

    /** The handler on this graph (no SnapStart hook: other runtimes and tests). */
    public IngestHandler handler() {
        return new IngestHandler(service(), clock);
    }

    Clock clock() {
        return clock;
    }

    /**
     * SnapStart priming (issue 11 item 3): a sample batch (one D1 record of the current interval,
     * as Kinesis delivers it) through the whole service on a DynamoDB client that answers from
     * memory: record decoding, validation, aggregation and the conditional UpdateItem marshalling;
     * then a read of a ledger key that cannot exist through the real client. Nothing is written
     * anywhere, and no metric line is printed (the handler's log line is left out).
     */
    Priming.Step[] priming() {
        return new Priming.Step[] {
            Priming.step("sample batch on canned DynamoDB", () -> {
                IngestService canned = new IngestWiring(config, CannedClients.build(DynamoDbClient.builder(), region),
                        clock, region, originalTerms).service();
                canned.ingest(List.of(IngestHandler.toStreamRecord(IngestHandler.sampleRecord(clock.instant()))));
            }),
            MissingItemRead.step(dynamo, config.ledgerTable(), LedgerTable.PK, LedgerTable.SK)
        };
    }
}
