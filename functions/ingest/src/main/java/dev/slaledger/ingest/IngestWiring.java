package dev.slaledger.ingest;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbShardEndLog;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The ingest function's composition root (docs/architecture.md): the ingest use case on the
 * aggregates, quarantine and Ledger tables, from the Lambda environment ({@link #fromEnvironment})
 * or from a given configuration, DynamoDB client and clock (tests, the local runtime, the
 * harnesses). Credentials come from the SDK's default chain: under SnapStart Lambda gives them as
 * container credentials, not as the AWS_ACCESS_KEY_ID variables. The Kinesis client (reading the
 * stream back: an ended shard's last window, the re-ingestion command) is built on first use only.
 */
public final class IngestWiring {
    private final IngestConfig config;
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final Region region;
    private final TermsVersion originalTerms;
    private final Supplier<KinesisClient> kinesis;

    /** On the default terms as the original version (the published ones are read from the Ledger). */
    public IngestWiring(IngestConfig config, DynamoDbClient dynamo, Clock clock) {
        this(config, dynamo, clock, DefaultTerms.version());
    }

    public IngestWiring(IngestConfig config, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this(config, dynamo, clock, Region.US_EAST_1, originalTerms, null);
    }

    /** With a Kinesis client of its own (tests, the re-ingestion command on an emulator). */
    public IngestWiring(IngestConfig config, DynamoDbClient dynamo, KinesisClient kinesis, Clock clock) {
        this(config, dynamo, clock, Region.US_EAST_1, DefaultTerms.version(), () -> kinesis);
    }

    private IngestWiring(IngestConfig config, DynamoDbClient dynamo, Clock clock, Region region,
            TermsVersion originalTerms, Supplier<KinesisClient> kinesis) {
        this.config = config;
        this.dynamo = dynamo;
        this.clock = clock;
        this.region = region;
        this.originalTerms = originalTerms;
        this.kinesis = kinesis != null ? kinesis : new Supplier<>() {
            private KinesisClient client;

            @Override
            public synchronized KinesisClient get() {
                if (client == null) {
                    client = AwsClients.build(KinesisClient.builder(), region);
                }
                return client;
            }
        };
    }

    /** Lambda: the process environment, a DynamoDB client from {@link AwsClients}, the system clock. */
    static IngestWiring fromEnvironment() {
        Env env = Env.system();
        return new IngestWiring(IngestConfig.fromEnvironment(env), AwsClients.build(DynamoDbClient.builder(),
                env.region()), Clock.systemUTC(), env.region(), DefaultTerms.version(), null);
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
        return new TermsRetention(new DynamoDbTermsRepository(dynamo, config.ledgerTable(), originalTerms),
                config.retentionMargin(), clock);
    }

    private IngestService service(TermsRetention retention, AggregateStore aggregates, QuarantineStore quarantine) {
        return new IngestService(payloads(), aggregates, quarantine,
                new DynamoDbStatementRepository(dynamo, config.ledgerTable()), clock, retention::refresh);
    }

    /**
     * The use case as deployed (issue 18, issue 26): the default state budget, and the reconciliation
     * of ended parent shards, reading the stream of each event (its ARN) with the Kinesis client.
     */
    public WindowedIngest windowed() {
        return new WindowedIngest(service(), WindowedIngest.DEFAULT_BUDGET_BYTES, shardEnds());
    }

    /** The reconciliation of ended shards on this graph's Ledger table and Kinesis client. */
    ShardEnds shardEnds() {
        Map<String, ShardEnds.StreamReader> readers = new ConcurrentHashMap<>();
        Function<String, ShardEnds.StreamReader> reader = arn -> readers.computeIfAbsent(arn,
                a -> new KinesisStreamReader(kinesis.get(), a, clock));
        return new ShardEnds(reader, new DynamoDbShardEndLog(dynamo, config.ledgerTable(), clock));
    }

    /** A reader of the stream {@code streamArn} on this graph's Kinesis client (the re-ingestion command). */
    ShardEnds.StreamReader reader(String streamArn) {
        return new KinesisStreamReader(kinesis.get(), streamArn, clock);
    }

    /** The handler on this graph (no SnapStart hook: other runtimes and tests). */
    public WindowedIngestHandler handler() {
        return new WindowedIngestHandler(windowed(), clock);
    }

    /**
     * The handler for a runtime whose stream never reshards (the local runtime: one shard), so without the
     * reconciliation of ended shards; the aggregates, quarantine and stale marks on the given ports, or,
     * where null, on this graph's tables.
     */
    public WindowedIngestHandler handler(AggregateStore aggregates, QuarantineStore quarantine, StalenessMarker marks) {
        IngestService service = aggregates == null ? service() : service(aggregates, quarantine, marks);
        return new WindowedIngestHandler(new WindowedIngest(service, WindowedIngest.DEFAULT_BUDGET_BYTES), clock);
    }

    Clock clock() {
        return clock;
    }

    IngestConfig config() {
        return config;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    /**
     * SnapStart priming (issue 11 item 3): a sample delivery (one D1 record of the current interval,
     * as Kinesis delivers it) through the whole use case on a DynamoDB client that answers from memory:
     * record decoding, validation, the fold and the conditional UpdateItem marshalling; then a read of a
     * ledger key that cannot exist through the real client. Nothing is written anywhere, and no metric
     * line is printed (the handler's log line is left out).
     */
    Priming.Step[] priming() {
        return new Priming.Step[] {
            Priming.step("sample batch on canned DynamoDB", () -> {
                IngestService canned = new IngestWiring(config, CannedClients.build(DynamoDbClient.builder(), region),
                        clock, region, originalTerms, kinesis).service();
                canned.ingest(List.of(WindowedIngestHandler.toStreamRecord(
                        WindowedIngestHandler.sampleRecord(clock.instant()))));
            }),
            MissingItemRead.step(dynamo, config.ledgerTable(), LedgerTable.PK, LedgerTable.SK)
        };
    }
}
