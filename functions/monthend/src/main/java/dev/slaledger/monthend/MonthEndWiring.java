package dev.slaledger.monthend;

import dev.slaledger.accounts.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbMaintenanceWindowRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.ingest.DynamoDbAggregateStore;
import dev.slaledger.ingest.IngestConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the month-end's use cases, once per execution environment, from the variables the
 * infrastructure sets: {@code LEDGER_TABLE}, {@code ACCOUNTS_TABLE}, {@code AGGREGATES_TABLE},
 * {@code WORK_QUEUE_URL} (fan-out), {@code EVENT_BUS_NAME} (worker), {@code WORK_BATCH_SIZE}
 * (accounts per work message, default 20), and {@code AWS_REGION}. Credentials come from the
 * default chain (under SnapStart Lambda serves them from a container endpoint, not the
 * environment). Each handler builds only the clients it uses.
 */
public final class MonthEndWiring {
    static final int DEFAULT_BATCH_SIZE = 20;

    private final Map<String, String> env;
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final TermsVersion originalTerms;

    MonthEndWiring(Map<String, String> env, DynamoDbClient dynamo, Clock clock) {
        this(env, dynamo, clock, DefaultTerms.version());
    }

    /**
     * For other runtimes (the local runtime): the same wiring on a given client, clock and
     * original terms (the version in force before any publication; Lambda uses the default terms).
     */
    public MonthEndWiring(Map<String, String> env, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this.env = env;
        this.dynamo = dynamo;
        this.clock = clock;
        this.originalTerms = originalTerms;
    }

    static MonthEndWiring fromEnvironment() {
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .region(region())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new MonthEndWiring(System.getenv(), dynamo, Clock.systemUTC());
    }

    static MaintenanceWindowRepository maintenanceWindowsFromEnvironment() {
        return fromEnvironment().maintenanceWindows();
    }

    public MonthEndFanOut fanOut(StatementWorkQueue queue) {
        return new MonthEndFanOut(new DynamoDbAccountRepository(dynamo, required("ACCOUNTS_TABLE")), queue, clock,
                batchSize());
    }

    MonthEndFanOut fanOut() {
        SqsClient sqs = SqsClient.builder()
                .region(region())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return fanOut(new SqsStatementWorkQueue(sqs, required("WORK_QUEUE_URL")));
    }

    public StatementService statementService(StatementEvents events) {
        String ledger = required("LEDGER_TABLE");
        Duration retention = Duration.ofDays(IngestConfig.DEFAULT_RETENTION_DAYS);
        return new StatementService(
                new DynamoDbAccountRepository(dynamo, required("ACCOUNTS_TABLE")),
                new DynamoDbAggregateStore(dynamo, required("AGGREGATES_TABLE"), retention),
                maintenanceWindows(),
                new DynamoDbStatementRepository(dynamo, ledger),
                terms(),
                new DynamoDbNoticeRepository(dynamo, ledger),
                events,
                clock);
    }

    StatementService statementService() {
        EventBridgeClient eventBridge = EventBridgeClient.builder()
                .region(region())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return statementService(new EventBridgeStatementEvents(eventBridge, required("EVENT_BUS_NAME")));
    }

    public TermsRepository terms() {
        return new DynamoDbTermsRepository(dynamo, required("LEDGER_TABLE"), originalTerms);
    }

    public MaintenanceWindowRepository maintenanceWindows() {
        return new DynamoDbMaintenanceWindowRepository(dynamo, required("LEDGER_TABLE"));
    }

    private int batchSize() {
        String value = env.get("WORK_BATCH_SIZE");
        return value == null || value.isBlank() ? DEFAULT_BATCH_SIZE : Integer.parseInt(value.trim());
    }

    private String required(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static Region region() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("environment variable AWS_REGION is not set");
        }
        return Region.of(region);
    }
}
