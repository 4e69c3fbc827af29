package dev.slaledger.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.accounts.AccountsWiring;
import dev.slaledger.adapter.dynamodb.TableDefinitions;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.claims.ClaimsConfig;
import dev.slaledger.claims.ClaimsHandler;
import dev.slaledger.claims.ClaimsWiring;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.KinesisStreamSource;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.WindowedIngestHandler;
import dev.slaledger.lambda.Env;
import dev.slaledger.local.ClaimsHttpServer;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.LoopbackEventBridge;
import dev.slaledger.testkit.UsesEngines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 31 item 6, the nearest honest thing to a deployed stage that this machine has: the smoke
 * test's command ({@link SmokeTest}) against a stage made of the local engines, with the handlers
 * the CDK app deploys wired through their composition roots: the tables from tables.json on moto,
 * the request stream on moto read by the mapping poller into the windowed ingest handler, the bus on
 * moto with the deployed BillingEvents rule delivering to a queue the accounts handler reads, the
 * claims handler behind a loopback HTTP server (local-only authentication: {@code Bearer local:<id>}),
 * and the SES v2 emulator. Not AWS: no IAM, no JWT authorizer, no Lambda; the docs say so.
 */
@UsesEngines
class SmokeLocalIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("issue 31 item 6: the smoke test passes every step against the local stage and leaves nothing of its synthetic account behind")
    void smokeTestAgainstTheLocalEngines() throws Exception {
        Engines engines = Engines.get();
        String prefix = "smoke" + UUID.randomUUID().toString().substring(0, 6);
        Clock clock = Clock.systemUTC();
        AtomicBoolean running = new AtomicBoolean(true);
        try (DynamoDbClient dynamo = engines.dynamoDb().build();
                KinesisClient kinesis = engines.kinesis().build();
                EventBridgeClient events = EventBridgeClient.builder().endpointOverride(engines.dynamoDbEndpoint())
                        .region(engines.region()).credentialsProvider(engines.credentials()).build();
                SqsClient motoSqs = SqsClient.builder().endpointOverride(engines.dynamoDbEndpoint())
                        .region(engines.region()).credentialsProvider(engines.credentials()).build();
                LoopbackEventBridge outbound = new LoopbackEventBridge()) {
            String aggregates = prefix + "-aggregates";
            String quarantine = prefix + "-quarantine";
            String ledger = prefix + "-ledger";
            String accounts = prefix + "-accounts";
            TableDefinitions.table(TableDefinitions.AGGREGATES).create(dynamo, aggregates);
            TableDefinitions.table(TableDefinitions.QUARANTINE).create(dynamo, quarantine);
            TableDefinitions.table(TableDefinitions.LEDGER).create(dynamo, ledger);
            TableDefinitions.table(TableDefinitions.ACCOUNTS).create(dynamo, accounts);

            String stream = prefix + "-requests";
            kinesis.createStream(b -> b.streamName(stream).shardCount(1));
            for (int i = 0; i < 100 && kinesis.describeStreamSummary(b -> b.streamName(stream))
                    .streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE; i++) {
                Thread.sleep(50);
            }

            String bus = prefix + "-bus";
            events.createEventBus(b -> b.name(bus));
            String[] billingQueue = new String[1];
            EventRules.install(events, bus, rule -> {
                String url = motoSqs.createQueue(b -> b.queueName(prefix + "-" + rule.name())).queueUrl();
                if (rule.name().equals(EventRules.BILLING_EVENTS)) {
                    billingQueue[0] = url;
                }
                return motoSqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
            });

            // the deployed handlers, wired as in Lambda on the engines' clients
            WindowedIngestHandler ingest = new WindowedIngestHandler(new IngestWiring(
                    IngestConfig.of(aggregates, quarantine, ledger), dynamo, clock).windowed(), clock);
            var accountsHandler = new AccountsWiring(new Env(Map.of("AWS_REGION", "eu-west-1", "ACCOUNTS_TABLE", accounts,
                    "LEDGER_TABLE", ledger)), dynamo, clock, DefaultTerms.version()).handler();
            ClaimsConfig claimsConfig = new ClaimsConfig("eu-west-1", ledger, accounts, aggregates, "bus",
                    ClaimsConfig.DEFAULT_ACCOUNT_CLAIM);
            ClaimsHandler claims = new ClaimsHandler(ClaimsWiring.create(claimsConfig, dynamo,
                    new EventBridgeVoucherEvents(outbound.client, "bus"), new EventBridgeStatementEvents(outbound.client, "bus"),
                    clock, () -> UUID.randomUUID().toString()).api());

            // the event source mappings and the rule's delivery, polled in the background as AWS would
            // the mapping's checkpoint: each drain starts where the last one ended, as Lambda's does
            KinesisStreamSource stream0 = new KinesisStreamSource(kinesis, stream);
            Map<String, String> checkpoint = new java.util.concurrent.ConcurrentHashMap<>();
            KinesisEsm.RecordSource source = new KinesisEsm.RecordSource() {
                @Override
                public List<String> shards() {
                    return stream0.shards();
                }

                @Override
                public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
                    List<KinesisEsm.SourceRecord> read = stream0.read(shardId,
                            afterSequence == null ? checkpoint.get(shardId) : afterSequence, max);
                    if (!read.isEmpty()) {
                        checkpoint.put(shardId, read.get(read.size() - 1).sequenceNumber());
                    }
                    return read;
                }
            };
            Thread mappings = new Thread(() -> {
                KinesisEsm.Settings settings = new KinesisEsm.Settings(100, Duration.ofSeconds(1), 1, true, true, -1,
                        Duration.ofSeconds(900));
                while (running.get()) {
                    try {
                        new KinesisEsm(settings, source,
                                KinesisEsm.windowed(e -> ingest.handleRequest(e, null)), KinesisEsm.Chaos.NONE).drain();
                        for (Message m : motoSqs.receiveMessage(b -> b.queueUrl(billingQueue[0]).maxNumberOfMessages(10)
                                .waitTimeSeconds(0)).messages()) {
                            accountsHandler.handleRequest(new ByteArrayInputStream(m.body().getBytes(StandardCharsets.UTF_8)),
                                    new ByteArrayOutputStream(), null);
                            motoSqs.deleteMessage(b -> b.queueUrl(billingQueue[0]).receiptHandle(m.receiptHandle()));
                        }
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        System.err.println("local stage poller: " + e);
                    }
                }
            }, "smoke-local-mappings");
            mappings.setDaemon(true);
            mappings.start();

            try (ClaimsHttpServer api = new ClaimsHttpServer(claims, clock)) {
                String account = prefix + "-account";
                SmokeTest.Config config = new SmokeTest.Config(engines.region(), Optional.of(engines.dynamoDbEndpoint()),
                        Optional.of(engines.sesEndpoint()), stream, aggregates, ledger, accounts, bus, api.endpoint(),
                        "sla-notices@provider.example", Optional.of("sla-ledger-smoke"), account, "local:" + account,
                        Duration.ofSeconds(60), SmokeTest.SIMULATOR);
                engines.mailbox().allowSender("sla-notices@provider.example", "sla-ledger-smoke");
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                List<SmokeTest.Step> steps = new SmokeTest(config, clock, new PrintStream(printed, true,
                        StandardCharsets.UTF_8)).run();

                assertThat(steps).as(printed.toString(StandardCharsets.UTF_8)).allMatch(SmokeTest.Step::passed);
                assertThat(steps).extracting(SmokeTest.Step::name).containsExactly("register the account",
                        "put records and wait for the aggregate", "read the statement", "a claim that must be refused",
                        "a notice to the SES mailbox simulator", "remove what the smoke test created");
                // the notice reached the SES engine, addressed to the simulator
                List<JsonNode> mail = engines.mailbox().emails();
                assertThat(mail.toString()).contains(SmokeTest.SIMULATOR).contains("SLA Ledger smoke test");
                // nothing of the synthetic account is left in any table
                for (String table : List.of(aggregates, ledger, accounts)) {
                    assertThat(dynamo.scan(b -> b.tableName(table)).items().toString()).as(table).doesNotContain(account);
                }
            } finally {
                running.set(false);
                mappings.interrupt();
                mappings.join(10_000);
            }
        }
    }

    @Test
    @DisplayName("the command reads the stage from cdk deploy's outputs file; a missing option is named")
    void parsesTheOutputsFile() throws Exception {
        java.nio.file.Path outputs = java.nio.file.Files.createTempFile("cdk-outputs", ".json");
        java.nio.file.Files.writeString(outputs, JSON.writeValueAsString(Map.of(
                "SlaLedger-prod-Data", Map.of("RequestStreamName", "s", "AggregatesTableName", "ag",
                        "LedgerTableName", "le", "AccountsTableName", "ac"),
                "SlaLedger-prod-App", Map.of("EventBusName", "b", "ApiUrl", "https://x.example/",
                        "MailConfigurationSet", "cs"))));
        SmokeTest.Config c = SmokeTest.parse(new String[] {"--outputs", outputs.toString(), "--stage", "prod",
                "--ses-sender", "n@provider.example", "--account", "smoke-1", "--token", "jwt"});
        assertThat(c.stream()).isEqualTo("s");
        assertThat(c.ledgerTable()).isEqualTo("le");
        assertThat(c.sesConfigurationSet()).contains("cs");
        assertThat(c.recipient()).isEqualTo(SmokeTest.SIMULATOR);
        assertThat(c.endpoint()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SmokeTest.parse(new String[] {"--outputs",
                outputs.toString(), "--stage", "prod", "--ses-sender", "n@provider.example", "--account", "smoke-1"}))
                .hasMessageContaining("--token");
    }
}
