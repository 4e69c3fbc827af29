package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.ShardEndLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ShardEndLog} in the Ledger table: one item per ended shard, {@code pk = SHARDEND#{shardId}},
 * {@code sk = ~END}, holding {@code through} (the last record re-applied) and {@code done}; it expires
 * ({@code expiresAt}) after the stream's retention, when the shard is gone from the stream.
 */
public final class DynamoDbShardEndLog implements ShardEndLog {
    static final String PREFIX = "SHARDEND#";
    static final String SK = "~END";
    /** Longer than any stream retention the CDK app sets (7 days): the ended shard is gone by then. */
    static final Duration KEEP = Duration.ofDays(8);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbShardEndLog(DynamoDbClient dynamo, String ledgerTable, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(ledgerTable);
        this.clock = Objects.requireNonNull(clock);
    }

    private Map<String, AttributeValue> key(String shardId) {
        return Map.of(LedgerTable.PK, AttributeValue.fromS(PREFIX + shardId), LedgerTable.SK, AttributeValue.fromS(SK));
    }

    @Override
    public Progress progress(String shardId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(shardId))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Progress.NONE;
        }
        AttributeValue done = item.get("done");
        AttributeValue through = item.get("through");
        return new Progress(done != null && Boolean.TRUE.equals(done.bool()), through == null ? null : through.s());
    }

    @Override
    public void applied(String shardId, String sequenceNumber) {
        dynamo.updateItem(b -> b.tableName(table).key(key(shardId))
                .updateExpression("SET through = :s, expiresAt = :t")
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(sequenceNumber), ":t", expiry())));
    }

    @Override
    public void done(String shardId) {
        dynamo.updateItem(b -> b.tableName(table).key(key(shardId))
                .updateExpression("SET done = :d, expiresAt = :t")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromBool(true), ":t", expiry())));
    }

    private AttributeValue expiry() {
        return AttributeValue.fromN(Long.toString(clock.instant().plus(KEEP).getEpochSecond()));
    }
}
