package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The read role of the five-minute aggregates ({@link DynamoDbAggregateStore} writes them): a
 * month of one account at a time, for the month-end worker and the claims API.
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
                    .projectionExpression("i, v, e, u, x")
                    .consistentRead(true)
                    .limit(pageLimit)
                    .exclusiveStartKey(start)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                traffic.add(Long.parseLong(item.get(DynamoDbAggregateStore.INTERVAL).n()), count(item, "v"),
                        Math.addExact(count(item, "e"), count(item, "u")), count(item, "x"));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return traffic;
    }

    /** The stored counts of one key, or zero: for tests and tools. */
    public IntervalCounts counts(AggregateKey key) {
        Map<String, AttributeValue> item = DynamoDbAggregateStore.read(dynamo, table, key);
        return new IntervalCounts(count(item, "v"), count(item, "e"), count(item, "u"), count(item, "x"));
    }

    private static long count(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

}
