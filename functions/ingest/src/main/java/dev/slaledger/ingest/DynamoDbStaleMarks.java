package dev.slaledger.ingest;

import dev.slaledger.core.port.StalenessMarker;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Stale marks of account-months, kept in the statements table beside the statements, so the
 * month-end's {@code StatementRepository} adapter can delegate {@code staleMark} and
 * {@code clearStale} here.
 *
 * <pre>
 * pk   S  accountId
 * sk   S  "stale#" + yyyy-MM
 * mark N  a counter: every markStale adds 1, so every mark differs from all earlier ones
 * done N  the mark the last recomputation cleared; stale while mark &gt; done
 * at   N  when the mark was last set, epoch ms
 * </pre>
 * The counter is never reset (no delete), so an old mark can never be mistaken for a new one.
 */
public final class DynamoDbStaleMarks implements StalenessMarker {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbStaleMarks(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
        this.clock = Objects.requireNonNull(clock);
    }

    static Map<String, AttributeValue> key(String accountId, YearMonth month) {
        return Map.of("pk", AttributeValue.fromS(accountId), "sk", AttributeValue.fromS("stale#" + month));
    }

    @Override
    public void markStale(String accountId, YearMonth month) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(accountId, month))
                .updateExpression("ADD #m :one SET #at = :now")
                .expressionAttributeNames(Map.of("#m", "mark", "#at", "at"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":now", AttributeValue.fromN(Long.toString(clock.millis())))));
    }

    /** The current mark if the account-month is stale (StatementRepository.staleMark). */
    public Optional<Long> staleMark(String accountId, YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(accountId, month)).consistentRead(true)).item();
        if (item == null || !item.containsKey("mark")) {
            return Optional.empty();
        }
        long mark = Long.parseLong(item.get("mark").n());
        long done = item.containsKey("done") ? Long.parseLong(item.get("done").n()) : 0;
        return mark > done ? Optional.of(mark) : Optional.empty();
    }

    /** Clears the mark only if it is still {@code mark} (StatementRepository.clearStale). */
    public void clearStale(String accountId, YearMonth month, long mark) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(accountId, month))
                    .updateExpression("SET #d = :m")
                    .conditionExpression("#m = :m")
                    .expressionAttributeNames(Map.of("#m", "mark", "#d", "done"))
                    .expressionAttributeValues(Map.of(":m", AttributeValue.fromN(Long.toString(mark)))));
        } catch (ConditionalCheckFailedException e) {
            // marked again meanwhile: it stays stale, which is the point
        }
    }
}
