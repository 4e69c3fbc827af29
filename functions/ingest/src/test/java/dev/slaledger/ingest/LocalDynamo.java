package dev.slaledger.ingest;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local (AWS's own emulator) started in-process by the tests, once per test JVM,
 * listening on a free port so that the function's real SDK client, with its URLConnection
 * HTTP client and execution interceptors, talks HTTP to it exactly as it would to DynamoDB.
 */
final class LocalDynamo {
    private static DynamoDBProxyServer server;
    private static URI endpoint;

    private LocalDynamo() {
    }

    static synchronized URI endpoint() {
        if (server == null) {
            try {
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", Integer.toString(port)});
                server.start();
                endpoint = URI.create("http://127.0.0.1:" + port);
                DynamoDBProxyServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.stop();
                    } catch (Exception e) {
                        // the JVM is going away anyway
                    }
                }));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start", e);
            }
        }
        return endpoint;
    }

    static DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** Fresh tables for one test: names unique, so tests never see each other's items. */
    static IngestConfig createTables(DynamoDbClient dynamo) {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        IngestConfig config = new IngestConfig(prefix + "-aggregates", prefix + "-quarantine",
                prefix + "-ledger", java.time.Duration.ofDays(IngestConfig.DEFAULT_RETENTION_DAYS),
                java.time.Duration.ofDays(IngestConfig.DEFAULT_QUARANTINE_RETENTION_DAYS));
        create(dynamo, config.aggregatesTable(), "a", ScalarAttributeType.S, "i", ScalarAttributeType.N);
        create(dynamo, config.quarantineTable(), "k", ScalarAttributeType.S, null, null);
        create(dynamo, config.ledgerTable(), "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        return config;
    }

    private static void create(DynamoDbClient dynamo, String table, String pk, ScalarAttributeType pkType,
            String sk, ScalarAttributeType skType) {
        dynamo.createTable(b -> {
            b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST);
            if (sk == null) {
                b.attributeDefinitions(AttributeDefinition.builder().attributeName(pk).attributeType(pkType).build())
                        .keySchema(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build());
            } else {
                b.attributeDefinitions(
                                AttributeDefinition.builder().attributeName(pk).attributeType(pkType).build(),
                                AttributeDefinition.builder().attributeName(sk).attributeType(skType).build())
                        .keySchema(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(sk).keyType(KeyType.RANGE).build());
            }
        });
    }
}
