package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Intervals;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The read role of the five-minute aggregates ({@link DynamoDbAggregateStore} writes them): a
 * month of one account at a time, for the month-end worker and the claims API. A stored count is
 * never a reason to throw: out-of-range values (only items older than the bound, or edited by
 * hand) are clamped to {@code [0, CountLimits.PER_INTERVAL]} ({@link StoredCounts}, S7.5).
 */
public final class DynamoDbAggregateRepository implements AggregateRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Integer pageLimit;

    public DynamoDbAggregateRepository(DynamoDbClient dynamo, String table) {
        this(dynamo, table, null);
    }

    private DynamoDbAggregateRepository(DynamoDbClient dynamo, String table, Integer pageLimit) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
        this.pageLimit = pageLimit;
    }

    /** The same repository reading at most {@code items} per Query page (DynamoDB's own limit is 1 MB). */
    public DynamoDbAggregateRepository withPageLimit(int items) {
        return new DynamoDbAggregateRepository(dynamo, table, items);
    }

    /**
     * Every aggregate of the account with an interval start in {@code [from, to)}: one
     * strongly consistent, paged Query on the account's partition (never a Scan). Strong
     * consistency matters: the stale-mark protocol (docs/ingest.md) assumes a reader that saw
     * a mark also sees every aggregate written before it.
     */
    @Override
    public AccountMonthTraffic load(String accountId, Instant fromInclusive, Instant toExclusive) {
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        long from = fromInclusive.getEpochSecond() + (fromInclusive.getNano() > 0 ? 1 : 0);
        long toInclusive = toExclusive.getEpochSecond() - (toExclusive.getNano() > 0 ? 0 : 1);
        if (toInclusive < from) {
            return traffic;
        }
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("a = :a AND i BETWEEN :f AND :t")
                    .expressionAttributeValues(Map.of(
                            ":a", AttributeValue.fromS(accountId),
                            ":f", AttributeValue.fromN(Long.toString(from)),
                            ":t", AttributeValue.fromN(Long.toString(toInclusive))))
                    .projectionExpression("i, v, e, u, x, xm, xc, xb")
                    .consistentRead(true)
                    .limit(pageLimit)
                    .exclusiveStartKey(start)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                long interval = intervalStart(item.get(DynamoDbAggregateStore.INTERVAL).n());
                if (interval == NOT_AN_INTERVAL) {
                    continue; // not an item ingest wrote (a sort key that is no interval start)
                }
                // each count is at most CountLimits.PER_INTERVAL (10^12): e + u cannot overflow
                long x = count(item, "x");
                if (item.containsKey("xm") || item.containsKey("xc") || item.containsKey("xb")) {
                    // the kinds (S9.6): each within x as written; clamped to it should an item say otherwise
                    long m = Math.min(count(item, "xm"), x);
                    long c = Math.min(count(item, "xc"), x - m);
                    long b = Math.min(count(item, "xb"), x - m - c);
                    traffic.add(interval, count(item, "v"), count(item, "e") + count(item, "u"), x, m, c, b);
                } else {
                    traffic.add(interval, count(item, "v"), count(item, "e") + count(item, "u"), x);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return traffic;
    }

    /** The stored counts of one key, or zero: for tests and tools. */
    public IntervalCounts counts(AggregateKey key) {
        Map<String, AttributeValue> item = DynamoDbAggregateStore.read(dynamo, table, key);
        long x = count(item, "x");
        long m = Math.min(count(item, "xm"), x);
        long c = Math.min(count(item, "xc"), x - m);
        return new IntervalCounts(count(item, "v"), count(item, "e"), count(item, "u"), x, m, c,
                Math.min(count(item, "xb"), x - m - c));
    }

    private static final long NOT_AN_INTERVAL = Long.MIN_VALUE;

    /**
     * The sort key as an interval start, or {@link #NOT_AN_INTERVAL}: ingest writes only multiples
     * of 300 that fit a long, but the key is a DynamoDB number (38 digits, fractions): an item
     * written by hand with another key is left out rather than stopping the account's statement.
     */
    private static long intervalStart(String n) {
        try {
            long start = Long.parseLong(n);
            return Math.floorMod(start, Intervals.SECONDS) == 0 ? start : NOT_AN_INTERVAL;
        } catch (NumberFormatException e) {
            return NOT_AN_INTERVAL;
        }
    }

    /** Never throws on a stored value: clamped to [0, CountLimits.PER_INTERVAL] ({@link StoredCounts}). */
    private static long count(Map<String, AttributeValue> item, String name) {
        return StoredCounts.count(item, name);
    }

}
