package dev.slaledger.ingest;

import dev.slaledger.testkit.Engines;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB of the {@link Engines} fixture (moto on a loopback port, or LocalStack),
 * reached by a real SDK client with its URLConnection HTTP client and the given execution
 * interceptors (the write counter, the fault injector), exactly as the function reaches DynamoDB.
 */
final class LocalDynamo {

    private LocalDynamo() {
    }

    static DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return Engines.get().dynamoDb()
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** Fresh tables for one test: names unique, so tests never see each other's items. */
    static IngestConfig createTables(DynamoDbClient dynamo) {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        IngestConfig config = IngestConfig.of(prefix + "-aggregates", prefix + "-quarantine", prefix + "-ledger");
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
