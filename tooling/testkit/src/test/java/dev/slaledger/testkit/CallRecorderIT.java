package dev.slaledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Issue 31 item 1: what the call recorder records, through the testkit's own client builders. */
@UsesEngines
class CallRecorderIT {
    private static final String TABLE = "CallRecorderIT";

    /** A handler as Lambda would call it: its calls are its function's. */
    static final class Handler implements RequestHandler<Map<String, String>, String> {
        private final DynamoDbClient dynamo;

        Handler(DynamoDbClient dynamo) {
            this.dynamo = dynamo;
        }

        @Override
        public String handleRequest(Map<String, String> input, Context context) {
            dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("ST#acme#2026-10"),
                    "sk", AttributeValue.fromS("R1"))));
            dynamo.transactWriteItems(b -> b.transactItems(
                    t -> t.update(u -> u.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("CLAIM#acme"),
                            "sk", AttributeValue.fromS("M#2026-10"))).updateExpression("SET x = :x")
                            .expressionAttributeValues(Map.of(":x", AttributeValue.fromS("1")))),
                    t -> t.conditionCheck(c -> c.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("TERMS"),
                            "sk", AttributeValue.fromS("V1"))).conditionExpression("attribute_not_exists(pk)"))));
            dynamo.query(b -> b.tableName(TABLE).keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", "pk"))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("ST#acme#2026-10"))));
            return "ok";
        }
    }

    @Test
    @DisplayName("calls under a handler are recorded per IAM action with the leading key, even when the test replaces the client's interceptors; the test's own calls are not")
    void recordsTheHandlersCalls() {
        try (DynamoDbClient dynamo = Engines.get().dynamoDb()
                .overrideConfiguration(c -> c.executionInterceptors(List.of())).build()) {
            dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            dynamo.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("SEED"),
                    "sk", AttributeValue.fromS("x"))));
            new Handler(dynamo).handleRequest(Map.of(), null);
        }
        List<Map<String, Object>> lines = CallRecorder.parsed(CallRecorder.get().lines()).stream()
                .filter(l -> TABLE.equals(l.get("resourceName")) || TABLE.equals(l.get("createTable"))).toList();
        String function = "handler:" + Handler.class.getName();
        assertThat(lines).anySatisfy(l -> assertThat(l).containsEntry("createTable", TABLE));
        assertThat(lines).filteredOn(l -> function.equals(l.get("function")))
                .extracting(l -> l.get("action") + " " + l.get("leadingKey"))
                .containsExactlyInAnyOrder("dynamodb:PutItem ST#acme#2026-10", "dynamodb:UpdateItem CLAIM#acme",
                        "dynamodb:ConditionCheckItem TERMS", "dynamodb:Query ST#acme#2026-10");
        assertThat(lines).as("the test's own GetItem belongs to no function")
                .noneSatisfy(l -> assertThat(l.get("action")).isEqualTo("dynamodb:GetItem"));
        assertThat(lines).filteredOn(l -> function.equals(l.get("function")))
                .allSatisfy(l -> assertThat((String) l.get("resource"))
                        .isEqualTo("arn:aws:dynamodb:eu-west-1:" + CallRecorder.ACCOUNT + ":table/" + TABLE));
    }
}
