package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;

import dev.slaledger.core.port.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Per-account request counters in the Ledger table (issue 15), one item per account and minute:
 *
 * <pre>
 * pk               sk                  what
 * RATE#{account}   M#{epochMinute}     n (N): requests granted in that minute; expiresAt (N, epoch
 *                                      seconds, the table's TTL attribute): {@value #KEEP_MINUTES}
 *                                      minutes after the minute ends
 * </pre>
 *
 * One conditional UpdateItem per request: {@code ADD n :one}, on condition that the counter is
 * absent or below the limit. DynamoDB applies the writes of one item one after another, so of
 * any number of concurrent requests exactly as many as the limit allows succeed; the others fail
 * their condition, are refused, and do not count. The limit is this adapter's (one per function).
 */
public final class DynamoDbRateLimiter implements RateLimiter {
    /** How long a counter outlives its minute before TTL may delete it. */
    static final int KEEP_MINUTES = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int limitPerMinute;

    public DynamoDbRateLimiter(DynamoDbClient dynamo, String table, int limitPerMinute) {
        if (limitPerMinute < 1) {
            throw new IllegalArgumentException("a limit is at least 1 request per minute: " + limitPerMinute);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.limitPerMinute = limitPerMinute;
    }

    static String pk(String accountId) {
        return "RATE#" + accountId;
    }

    static String sk(long window) {
        return "M#" + window;
    }

    @Override
    public boolean tryAcquire(String accountId, Instant now) {
        long window = RateLimiter.window(now);
        Instant expiresAt = RateLimiter.nextWindow(now).plus(Duration.ofMinutes(KEEP_MINUTES));
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk(accountId), sk(window)))
                    .updateExpression("ADD n :one SET expiresAt = :exp")
                    .conditionExpression("attribute_not_exists(n) OR n < :limit")
                    .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limitPerMinute),
                            ":exp", n(expiresAt.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException limitReached) {
            return false;
        }
    }
}
