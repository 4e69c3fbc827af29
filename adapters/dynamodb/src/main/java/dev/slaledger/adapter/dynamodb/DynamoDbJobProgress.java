package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.JobProgress;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Job progress in the Ledger table: one item per job, {@code JOB#{key}} / {@code PROGRESS}, with
 * {@code cursor}, {@code items} and {@code complete}. A checkpoint is one UpdateItem that never
 * reopens a completed job; reading it is one strongly consistent GetItem.
 */
public final class DynamoDbJobProgress implements JobProgress {
    private static final String PREFIX = "JOB#";
    private static final String SK = "PROGRESS";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbJobProgress(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Progress> progress(String jobKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(PREFIX + jobKey, SK))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Progress(
                item.containsKey("cursor") ? Optional.of(Attr.string(item, "cursor")) : Optional.empty(),
                item.containsKey("items") ? Attr.number(item, "items") : 0,
                item.containsKey("complete") && Boolean.TRUE.equals(item.get("complete").bool())));
    }

    @Override
    public void checkpoint(String jobKey, String cursor, long items) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(PREFIX + jobKey, SK))
                    .updateExpression("SET #cursor = :c, #items = :n")
                    .conditionExpression("attribute_not_exists(#complete) OR #complete = :false")
                    .expressionAttributeNames(Map.of("#cursor", "cursor", "#items", "items", "#complete", "complete"))
                    .expressionAttributeValues(Map.of(":c", s(cursor), ":n", n(items),
                            ":false", AttributeValue.fromBool(false))));
        } catch (ConditionalCheckFailedException completed) {
            // another run completed the job meanwhile: nothing to record
        }
    }

    @Override
    public void complete(String jobKey, long items) {
        dynamo.updateItem(b -> b.tableName(table).key(key(PREFIX + jobKey, SK))
                .updateExpression("SET #complete = :true, #items = :n")
                .expressionAttributeNames(Map.of("#complete", "complete", "#items", "items"))
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":n", n(items))));
    }
}
