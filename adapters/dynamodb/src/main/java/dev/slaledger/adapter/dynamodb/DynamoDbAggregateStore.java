package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.SequenceNumbers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The write role of the five-minute aggregates in DynamoDB (ingest): one item per account and
 * interval, written exactly once per record under at-least-once delivery (see docs/ingest.md).
 * {@link DynamoDbAggregateRepository} is the read role (the month-end and claims).
 *
 * <pre>
 * a  S  partition key: accountId
 * i  N  sort key: interval start, epoch seconds (a multiple of 300)
 * v  N  valid requests (S2.2)            e  N  received 5xx, not excluded (S2.3)
 * u  N  unreached, not excluded (S2.3)   x  N  excluded errors (S2.4, informational)
 * t  N  TTL, epoch seconds: set on every write, from the retention derived from the terms (S7.4)
 * h&lt;shard&gt; B  per-shard high-water mark: the largest sequence number applied (SequenceNumbers)
 * </pre>
 * Counts that are zero are not written (absent reads as 0).
 */
public final class DynamoDbAggregateStore implements AggregateStore {
    static final String ACCOUNT = "a";
    static final String INTERVAL = "i";
    static final String TTL = "t";
    private static final String[] COUNT_NAMES = {"v", "e", "u", "x"};
    /** The D1 names of the count fields, for quarantine details. */
    private static final String[] FIELD_NAMES = {"valid", "errors", "unreachedErrors", "excludedErrors"};
    private static final int MAX_ATTEMPTS = 4;

    private final DynamoDbClient dynamo;
    private final String table;
    private final LongUnaryOperator expiresAt;

    /**
     * @param expiresAt the TTL (epoch seconds) of the aggregate of an interval start (epoch
     *                  seconds): ingest gives {@code Retention#expiresAt} (S7.4, derived from the terms)
     */
    public DynamoDbAggregateStore(DynamoDbClient dynamo, String table, LongUnaryOperator expiresAt) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
        this.expiresAt = Objects.requireNonNull(expiresAt);
    }

    /** A store whose items expire a fixed {@code retention} after their interval start (tests, tools). */
    public DynamoDbAggregateStore(DynamoDbClient dynamo, String table, Duration retention) {
        this(dynamo, table, intervalStart -> intervalStart + retention.toSeconds());
    }


    /** The attribute holding the high-water mark of a shard: {@code h} + the shard's number. */
    static String hwmAttribute(String shardId) {
        String prefix = "shardId-";
        if (shardId.startsWith(prefix) && shardId.length() > prefix.length()) {
            String digits = shardId.substring(prefix.length());
            if (digits.chars().allMatch(Character::isDigit)) {
                String trimmed = digits.replaceFirst("^0+(?=.)", "");
                return "h" + trimmed;
            }
        }
        return "h:" + shardId;
    }

    /**
     * Adds the batch's records to the key's item, each record at most once ever: the write is
     * conditional on every contributing shard's stored high-water mark being below the batch's
     * smallest sequence number for that shard. If it is not (a redelivery), only the records
     * above the stored marks are applied, with a write conditional on the marks just read.
     *
     * <p>The same write is also conditional on every count it adds staying within
     * {@link CountLimits#PER_INTERVAL} ({@code v <= :maxMinusAdd}, S7.5), so the bound holds across
     * deliveries, not only within one. When that part fails (the stored item comes back with the
     * failure and shows the marks below the records), the records still to apply are refused with
     * {@code COUNT_OUT_OF_RANGE}: retrying cannot fix it, so they are for the quarantine, not for
     * a redelivery. A write the table refuses (a ValidationException: item or key over
     * DynamoDB's limits) is refused with {@code STORE_REFUSED}. Both leave the marks as they were.
     */
    @Override
    public ApplyResult apply(KeyBatch batch) {
        List<KeyBatch.Contribution> all = batch.contributions();
        List<KeyBatch.Contribution> pending = all;
        Map<String, AttributeValue> seen = null; // null: first attempt, "each mark below the batch minimum"
        boolean readFirst = false;
        int writes = 0;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                if (readFirst) {
                    seen = read(batch.key());
                    readFirst = false;
                }
                if (seen != null) {
                    pending = notYetApplied(all, seen);
                    if (pending.isEmpty()) {
                        return new ApplyResult(0, all.size(), writes);
                    }
                }
                long[] sum = sums(pending);
                String over = overLimit(sum, seen == null ? Map.of() : seen);
                if (over != null && seen == null) {
                    readFirst = true; // which of them were applied before? the marks say, then decide
                    continue;
                }
                if (over != null) {
                    return new ApplyResult(0, all.size() - pending.size(), writes,
                            new Refusal(QuarantineReason.COUNT_OUT_OF_RANGE, over, pending));
                }
                writes++;
                dynamo.updateItem(update(batch.key(), pending, sum, seen));
                return new ApplyResult(pending.size(), all.size() - pending.size(), writes);
            } catch (ConditionalCheckFailedException e) {
                seen = e.hasItem() ? e.item() : null;
                readFirst = !e.hasItem();
            } catch (DynamoDbException e) {
                if (!DynamoDbRefusals.isPermanent(e)) {
                    throw e; // transient (throttled, 5xx): the caller has the records redelivered
                }
                return new ApplyResult(0, all.size() - pending.size(), writes,
                        new Refusal(QuarantineReason.STORE_REFUSED, DynamoDbRefusals.describe(e), pending));
            }
        }
        throw new IllegalStateException("aggregate " + batch.key().accountId() + "@" + batch.key().intervalStart()
                + " kept changing under " + MAX_ATTEMPTS + " conditional writes: is a second writer on the shard?");
    }

    /**
     * Per count field, the sum of the records' counts, or {@link #OVER} once it exceeds
     * {@link CountLimits#PER_INTERVAL}: never overflows, whatever the counts.
     */
    private static long[] sums(List<KeyBatch.Contribution> records) {
        long[] sum = new long[4];
        for (KeyBatch.Contribution c : records) {
            IntervalCounts n = c.counts();
            sum[0] = add(sum[0], n.valid());
            sum[1] = add(sum[1], n.errors());
            sum[2] = add(sum[2], n.unreachedErrors());
            sum[3] = add(sum[3], n.excludedErrors());
        }
        return sum;
    }

    private static final long OVER = -1;

    private static long add(long sum, long n) {
        return sum == OVER || n > CountLimits.PER_INTERVAL - sum ? OVER : sum + n;
    }

    /** Why adding {@code sum} to the {@code stored} item would break the per-interval bound, or null. */
    private static String overLimit(long[] sum, Map<String, AttributeValue> stored) {
        for (int k = 0; k < 4; k++) {
            if (sum[k] == OVER || sum[k] > CountLimits.PER_INTERVAL - StoredCounts.count(stored, COUNT_NAMES[k])) {
                return FIELD_NAMES[k] + ": the interval would exceed " + CountLimits.PER_INTERVAL
                        + " (per-interval maximum)";
            }
        }
        return null;
    }

    private static List<KeyBatch.Contribution> notYetApplied(List<KeyBatch.Contribution> all,
            Map<String, AttributeValue> item) {
        Map<String, String> marks = new HashMap<>();
        List<KeyBatch.Contribution> out = new ArrayList<>();
        for (KeyBatch.Contribution c : all) {
            String mark = marks.computeIfAbsent(c.shardId(), s -> {
                AttributeValue v = item.get(hwmAttribute(s));
                return v == null ? "" : SequenceNumbers.decode(v.b().asByteArrayUnsafe());
            });
            if (mark.isEmpty() || SequenceNumbers.compare(c.firstSequenceNumber(), mark) > 0) {
                out.add(c);
            } else if (SequenceNumbers.compare(c.sequenceNumber(), mark) > 0) {
                // only a range part (a window's folded state) can straddle the mark
                throw new PartlyApplied("the stored mark of " + c.shardId() + " falls inside a folded range of "
                        + "the aggregate: another writer applied part of it");
            }
        }
        return out;
    }

    private UpdateItemRequest update(AggregateKey key, List<KeyBatch.Contribution> records, long[] sum,
            Map<String, AttributeValue> seen) {
        Map<String, String[]> minMaxByShard = new LinkedHashMap<>();
        for (KeyBatch.Contribution c : records) {
            String[] mm = minMaxByShard.computeIfAbsent(c.shardId(),
                    s -> new String[] {c.firstSequenceNumber(), c.sequenceNumber()});
            if (SequenceNumbers.compare(c.firstSequenceNumber(), mm[0]) < 0) {
                mm[0] = c.firstSequenceNumber();
            }
            if (SequenceNumbers.compare(c.sequenceNumber(), mm[1]) > 0) {
                mm[1] = c.sequenceNumber();
            }
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder();
        StringBuilder bound = new StringBuilder();
        for (int k = 0; k < 4; k++) {
            if (sum[k] != 0) {
                String n = COUNT_NAMES[k];
                add.append(add.isEmpty() ? "ADD " : ", ").append(n).append(" :").append(n);
                values.put(":" + n, AttributeValue.fromN(Long.toString(sum[k])));
                // S7.5: the stored count plus this one stays within the per-interval maximum
                bound.append(" AND (attribute_not_exists(").append(n).append(") OR ").append(n)
                        .append(" <= :").append(n).append("max)");
                values.put(":" + n + "max", AttributeValue.fromN(Long.toString(CountLimits.PER_INTERVAL - sum[k])));
            }
        }
        StringBuilder set = new StringBuilder("SET t = :t");
        values.put(":t", AttributeValue.fromN(Long.toString(expiresAt.applyAsLong(key.intervalStart()))));
        StringBuilder condition = new StringBuilder();
        int s = 0;
        for (Map.Entry<String, String[]> shard : minMaxByShard.entrySet()) {
            String attr = hwmAttribute(shard.getKey());
            names.put("#h" + s, attr);
            set.append(", #h").append(s).append(" = :max").append(s);
            values.put(":max" + s, binary(shard.getValue()[1]));
            if (!condition.isEmpty()) {
                condition.append(" AND ");
            }
            AttributeValue stored = seen == null ? null : seen.get(attr);
            if (seen == null) {
                condition.append("(attribute_not_exists(#h").append(s).append(") OR #h").append(s)
                        .append(" < :min").append(s).append(')');
                values.put(":min" + s, binary(shard.getValue()[0]));
            } else if (stored == null) {
                condition.append("attribute_not_exists(#h").append(s).append(')');
            } else {
                condition.append("#h").append(s).append(" = :old").append(s);
                values.put(":old" + s, stored);
            }
            s++;
        }
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(key(key))
                .updateExpression(add.isEmpty() ? set.toString() : add + " " + set)
                .conditionExpression(condition.append(bound).toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    static Map<String, AttributeValue> read(DynamoDbClient dynamo, String table, AggregateKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(key(key)).consistentRead(true).build()).item();
        return item == null ? Map.of() : item;
    }

    private Map<String, AttributeValue> read(AggregateKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(key(key)).consistentRead(true).build()).item();
        return item == null ? Map.of() : item;
    }

    static Map<String, AttributeValue> key(AggregateKey key) {
        return Map.of(ACCOUNT, AttributeValue.fromS(key.accountId()),
                INTERVAL, AttributeValue.fromN(Long.toString(key.intervalStart())));
    }

    private static AttributeValue binary(String sequenceNumber) {
        return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(SequenceNumbers.encode(sequenceNumber)));
    }

    /** Creates the table (on-demand) with this store's key schema; for tests and the local runtime. */
    /**
     * Loads aggregates in bulk, BatchWriteItem of 25 items per request (unprocessed items sent again):
     * for seeding a table (tests, harnesses), never on the ingest path. Each item is written whole
     * (counts and TTL, no high-water mark), replacing what the key held; so, unlike
     * {@link #apply}, the same counts loaded twice are not added twice, and records of the same
     * key ingested later are added to them. The number of requests sent.
     */
    public int load(Map<AggregateKey, IntervalCounts> aggregates) {
        List<WriteRequest> puts = new ArrayList<>(aggregates.size());
        aggregates.forEach((key, c) -> {
            Map<String, AttributeValue> item = new HashMap<>(key(key));
            long[] counts = {c.valid(), c.errors(), c.unreachedErrors(), c.excludedErrors()};
            for (int k = 0; k < 4; k++) {
                if (counts[k] != 0) {
                    item.put(COUNT_NAMES[k], AttributeValue.fromN(Long.toString(counts[k])));
                }
            }
            item.put(TTL, AttributeValue.fromN(Long.toString(expiresAt.applyAsLong(key.intervalStart()))));
            puts.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
        });
        int requests = 0;
        for (int i = 0; i < puts.size(); i += 25) {
            List<WriteRequest> pending = puts.subList(i, Math.min(puts.size(), i + 25));
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = Map.of(table, pending);
                requests++;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems()
                        .getOrDefault(table, List.of());
            }
        }
        return requests;
    }

    public static void createTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("a").attributeType("S").build(),
                        AttributeDefinition.builder().attributeName("i").attributeType("N").build())
                .keySchema(KeySchemaElement.builder().attributeName("a").keyType("HASH").build(),
                        KeySchemaElement.builder().attributeName("i").keyType("RANGE").build()));
    }
}
