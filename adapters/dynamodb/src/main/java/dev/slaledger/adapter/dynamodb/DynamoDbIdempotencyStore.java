package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency records in the Ledger table, one per caller and key: pk {@code IDEM#{caller}},
 * sk {@code {key}}, with {@code fp} (request fingerprint), {@code st} (IN_PROGRESS or
 * COMPLETED), {@code leaseUntil} (N, epoch ms), the stored response ({@code rs} status,
 * {@code rb} body) and {@code expiresAt} (N, epoch seconds: the table's TTL attribute; TTL
 * deletes lazily, so expiry is also checked on every read).
 *
 * <p>{@link #begin} is one conditional put that succeeds only when no live record exists (absent,
 * expired, or in progress with its lease run out); when it fails, DynamoDB returns the record in
 * the same call, so a retry costs one request.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    private static final String IN_PROGRESS = "IN_PROGRESS";
    private static final String COMPLETED = "COMPLETED";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(String caller) {
        return "IDEM#" + caller;
    }

    @Override
    public Begin begin(String caller, String key, String fingerprint, Instant now, Instant leaseUntil,
            Instant expiresAt) {
        Map<String, AttributeValue> item = key(pk(caller), key);
        item.put("fp", s(fingerprint));
        item.put("st", s(IN_PROGRESS));
        item.put("leaseUntil", n(leaseUntil.toEpochMilli()));
        item.put("expiresAt", n(expiresAt.getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :nowS"
                            + " OR (st = :inProgress AND leaseUntil <= :nowMs)")
                    .expressionAttributeValues(Map.of(":nowS", n(now.getEpochSecond()),
                            ":nowMs", n(now.toEpochMilli()), ":inProgress", s(IN_PROGRESS)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Acquired();
        } catch (ConditionalCheckFailedException live) {
            Map<String, AttributeValue> old = live.item();
            if (old == null || old.isEmpty()) {
                return new InProgress(); // raced with a delete: the caller may retry
            }
            if (!fingerprint.equals(Attr.string(old, "fp"))) {
                return new Mismatch();
            }
            return COMPLETED.equals(Attr.string(old, "st")) ? new Completed(response(old)) : new InProgress();
        }
    }

    @Override
    public void complete(String caller, String key, String fingerprint, StoredResponse response, Instant expiresAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":fp", s(fingerprint));
        values.put(":done", s(COMPLETED));
        values.put(":rs", n(response.status()));
        values.put(":rb", s(response.body()));
        values.put(":exp", n(expiresAt.getEpochSecond()));
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk(caller), key))
                    .updateExpression("SET st = :done, rs = :rs, rb = :rb, expiresAt = :exp REMOVE leaseUntil")
                    .conditionExpression("fp = :fp")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException takenOver) {
            // our lease ran out and another request took the key: its response will be stored
        }
    }

    @Override
    public void release(String caller, String key, String fingerprint) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(key(pk(caller), key))
                    .conditionExpression("fp = :fp AND st = :inProgress")
                    .expressionAttributeValues(Map.of(":fp", s(fingerprint), ":inProgress", s(IN_PROGRESS))));
        } catch (ConditionalCheckFailedException notOurs) {
            // completed or taken over meanwhile
        }
    }

    @Override
    public Optional<StoredResponse> completed(String caller, String key, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(caller), key)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !COMPLETED.equals(Attr.string(item, "st"))
                || Attr.number(item, "expiresAt") <= now.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(response(item));
    }

    private static StoredResponse response(Map<String, AttributeValue> item) {
        return new StoredResponse((int) Attr.number(item, "rs"), Attr.string(item, "rb"));
    }
}
