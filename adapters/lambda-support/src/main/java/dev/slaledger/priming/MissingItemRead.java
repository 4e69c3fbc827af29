package dev.slaledger.priming;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The one priming step that goes over the network: an eventually consistent GetItem, through the
 * function's real DynamoDB client, of a key no writer ever uses. It loads and runs the real HTTP
 * client, the credentials provider (container credentials under SnapStart), endpoint resolution
 * and the response path, and it cannot change data: a read, of an item that cannot exist.
 */
public final class MissingItemRead {
    /** The value of every key attribute: no account id, month or version has this shape. */
    public static final String KEY = "#sla-ledger#priming#no-such-item#";

    private MissingItemRead() {
    }

    /** A step reading {@link #KEY} in every named (string-typed) key attribute of the table. */
    public static Priming.Step step(DynamoDbClient dynamo, String table, String... keyAttributes) {
        return Priming.step("GetItem " + table, () -> read(dynamo, table, keyAttributes));
    }

    /** Returns whether an item came back (it never should). */
    public static boolean read(DynamoDbClient dynamo, String table, String... keyAttributes) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String attribute : keyAttributes) {
            key.put(attribute, AttributeValue.fromS(KEY));
        }
        return dynamo.getItem(GetItemRequest.builder().tableName(table).key(key).build()).hasItem();
    }
}
