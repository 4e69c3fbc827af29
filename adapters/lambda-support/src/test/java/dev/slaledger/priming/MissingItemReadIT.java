package dev.slaledger.priming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@UsesEngines
class MissingItemReadIT {
    private static final String TABLE = "MissingItemReadIT-ledger";
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        dynamo.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        dynamo.putItem(p -> p.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("ACCOUNT#acme"),
                "sk", AttributeValue.fromS("STATEMENT#2026-10"))));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    @DisplayName("the network priming step is a read of a key that cannot exist: nothing found, nothing written")
    void readsNothingWritesNothing() {
        Priming.Report report = Priming.of("test", MissingItemRead.step(dynamo, TABLE, "pk", "sk")).run();

        assertThat(report.allCompleted()).isTrue();
        assertThat(MissingItemRead.read(dynamo, TABLE, "pk", "sk")).isFalse();
        assertThat(dynamo.scan(s -> s.tableName(TABLE)).items()).singleElement()
                .satisfies(item -> assertThat(item.get("pk").s()).isEqualTo("ACCOUNT#acme"));
    }

    @Test
    @DisplayName("a missing table fails the step, not the run")
    void missingTableIsReported() {
        Priming.Report report = Priming.of("test", MissingItemRead.step(dynamo, "MissingItemReadIT-no-such-table", "pk")).run();
        assertThat(report.failed()).singleElement().asString().contains("ResourceNotFoundException");
    }
}
