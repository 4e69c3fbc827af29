package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.AggregateWriteProtocol;
import dev.slaledger.core.traffic.CountLimits;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.SequenceNumbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
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
 * xm xc xb N  of x, those flagged maintenance, customer-compromised, content-ban (S2.4 (i)-(iii), S9.6);
 *             x less their sum: excluded errors of no known kind (a pre-aggregated record's total)
 * t  N  TTL, epoch seconds: set on every write, from the retention derived from the terms (S7.4)
 * h&lt;shard&gt; B  per-shard high-water mark: the largest sequence number applied (SequenceNumbers)
 * r&lt;shard&gt; BS abandoned ranges of the shard re-ingested by the operator command (their first
 *             sequence numbers); only on items such a command wrote
 * w&lt;shard&gt; BS records of the shard written alone inside their own invocation (a record whose keys alone
 *             exceed a window's state budget); only on items such a write reached
 * </pre>
 * Counts that are zero are not written (absent reads as 0).
 */
public final class DynamoDbAggregateStore implements AggregateStore {
    static final String ACCOUNT = "a";
    static final String INTERVAL = "i";
    static final String TTL = "t";
    /** The count attributes, in {@link AggregateWriteProtocol#FIELDS} order. */
    static final String[] COUNT_NAMES = {"v", "e", "u", "x", "xm", "xc", "xb"};
    /** Per shard, the binary set of abandoned ranges re-ingested into the item (their first sequence numbers). */
    static final char RECOVERED = 'r';
    /** Per shard, the binary set of records written alone inside their own invocation. */
    static final char WRITTEN_ALONE = 'w';

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final LongUnaryOperator expiresAt;

    /**
     * @param expiresAt the TTL (epoch seconds) of the aggregate of an interval start (epoch
     *                  seconds): ingest gives {@code Retention#expiresAt} (S7.4, derived from the terms)
     */
    public DynamoDbAggregateStore(DynamoDbClient dynamo, String table, LongUnaryOperator expiresAt) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(table);
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
     * Adds the batch's records to the key's item, each record at most once ever: the protocol of
     * {@link AggregateWriteProtocol#apply} (shared with the in-memory table), spoken to DynamoDB. The
     * write is conditional on every contributing shard's stored high-water mark being below the
     * batch's smallest sequence number for that shard. If it is not (a redelivery), only the records
     * above the stored marks are applied, with a write conditional on the marks just read (they come
     * back with the failure: {@code ReturnValuesOnConditionCheckFailure ALL_OLD}, no extra read).
     *
     * <p>The same write is also conditional on every count it adds staying within
     * {@link CountLimits#PER_INTERVAL} ({@code v <= :vmax}, S7.5), so the bound holds across
     * deliveries, not only within one. When that part fails, the records still to apply are refused
     * with {@code COUNT_OUT_OF_RANGE}; a write the table refuses (a ValidationException: item or key
     * over DynamoDB's limits) with {@code STORE_REFUSED}. Both leave the item as it was.
     */
    @Override
    public ApplyResult apply(KeyBatch batch) {
        return AggregateWriteProtocol.apply(table, batch);
    }

    /** {@link AggregateWriteProtocol#recover}: a re-ingested abandoned range, keyed by its id (docs/ingest.md). */
    @Override
    public ApplyResult recover(KeyBatch batch, String shardId, String rangeId) {
        return AggregateWriteProtocol.recover(table, batch, shardId, rangeId);
    }

    /** The aggregates table as the protocol sees it: a read, and one conditional UpdateItem. */
    private final AggregateWriteProtocol.Table table = new AggregateWriteProtocol.Table() {
        @Override
        public AggregateWriteProtocol.Stored read(AggregateKey key) {
            Map<String, AttributeValue> item = DynamoDbAggregateStore.this.read(key);
            return item.isEmpty() ? null : new StoredItem(item);
        }

        @Override
        public AggregateWriteProtocol.Stored update(AggregateWriteProtocol.Update update) {
            try {
                dynamo.updateItem(request(update));
                return AggregateWriteProtocol.APPLIED;
            } catch (ConditionalCheckFailedException e) {
                return e.hasItem() && !e.item().isEmpty() ? new StoredItem(e.item())
                        : AggregateWriteProtocol.NOT_RETURNED;
            } catch (DynamoDbException e) {
                if (!DynamoDbRefusals.isPermanent(e)) {
                    throw e; // transient (throttled, 5xx): the caller has the records redelivered
                }
                throw new AggregateWriteProtocol.Refused(DynamoDbRefusals.describe(e));
            }
        }
    };

    /** A stored item as the protocol reads it. */
    private record StoredItem(Map<String, AttributeValue> item) implements AggregateWriteProtocol.Stored {
        @Override
        public long count(int field) {
            return StoredCounts.count(item, COUNT_NAMES[field]);
        }

        @Override
        public String mark(String shardId) {
            AttributeValue v = item.get(hwmAttribute(shardId));
            return v == null || v.b() == null ? null : SequenceNumbers.decode(v.b().asByteArrayUnsafe());
        }

        @Override
        public boolean recovered(String shardId, String rangeId) {
            return containsSequence(item.get(attribute(RECOVERED, shardId)), rangeId);
        }

        @Override
        public boolean writtenAlone(String shardId, String sequenceNumber) {
            return containsSequence(item.get(attribute(WRITTEN_ALONE, shardId)), sequenceNumber);
        }

        private static boolean containsSequence(AttributeValue set, String sequenceNumber) {
            if (set == null || !set.hasBs()) {
                return false;
            }
            SdkBytes wanted = SdkBytes.fromByteArrayUnsafe(SequenceNumbers.encode(sequenceNumber));
            return set.bs().contains(wanted);
        }
    }

    /** The UpdateItem of one protocol step: ADD the sums, SET the TTL and the marks, under the conditions. */
    private UpdateItemRequest request(AggregateWriteProtocol.Update u) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder();
        StringBuilder bound = new StringBuilder();
        long[] sum = u.sums();
        for (int k = 0; k < COUNT_NAMES.length; k++) {
            if (sum[k] != 0) {
                String n = COUNT_NAMES[k];
                add.append(add.isEmpty() ? "ADD " : ", ").append(n).append(" :").append(n);
                values.put(":" + n, AttributeValue.fromN(Long.toString(sum[k])));
                if (k >= AggregateWriteProtocol.BOUNDED_FIELDS) {
                    continue; // a kind's count is a part of x, which the bound covers
                }
                // S7.5: the stored count plus this one stays within the per-interval maximum
                bound.append(" AND (attribute_not_exists(").append(n).append(") OR ").append(n)
                        .append(" <= :").append(n).append("max)");
                values.put(":" + n + "max", AttributeValue.fromN(Long.toString(CountLimits.PER_INTERVAL - sum[k])));
            }
        }
        StringBuilder set = new StringBuilder("SET t = :t");
        values.put(":t", AttributeValue.fromN(Long.toString(expiresAt.applyAsLong(u.key().intervalStart()))));
        StringBuilder condition = new StringBuilder();
        int s = 0;
        for (AggregateWriteProtocol.ShardMark m : u.marks()) {
            names.put("#h" + s, hwmAttribute(m.shardId()));
            set.append(", #h").append(s).append(" = :max").append(s);
            values.put(":max" + s, binary(m.last()));
            if (!condition.isEmpty()) {
                condition.append(" AND ");
            }
            switch (m.condition()) {
                case BELOW_FIRST -> {
                    condition.append("(attribute_not_exists(#h").append(s).append(") OR #h").append(s)
                            .append(" < :min").append(s).append(')');
                    values.put(":min" + s, binary(m.first()));
                }
                case ABSENT -> condition.append("attribute_not_exists(#h").append(s).append(')');
                case EQUALS_SEEN -> {
                    condition.append("#h").append(s).append(" = :old").append(s);
                    values.put(":old" + s, binary(m.seen()));
                }
            }
            s++;
        }
        if (u.writtenAlone() != null && !u.marks().isEmpty()) {
            names.put("#w", attribute(WRITTEN_ALONE, u.marks().get(0).shardId()));
            add.append(add.isEmpty() ? "ADD " : ", ").append("#w :w");
            values.put(":w", AttributeValue.fromBs(List.of(binary(u.writtenAlone()).b())));
        }
        if (u.isRecovery()) {
            names.put("#r", attribute(RECOVERED, u.recoveryShard()));
            add.append(add.isEmpty() ? "ADD " : ", ").append("#r :r");
            values.put(":r", AttributeValue.fromBs(List.of(binary(u.recoveryId()).b())));
            values.put(":rid", binary(u.recoveryId()));
            condition.append("NOT contains(#r, :rid)");
        }
        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(u.key()))
                .updateExpression(add.isEmpty() ? set.toString() : add + " " + set)
                .conditionExpression(condition.append(bound).toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** The attribute of a per-shard set ({@code r}: recovered ranges, {@code w}: records written alone). */
    static String attribute(char prefix, String shardId) {
        String h = hwmAttribute(shardId);
        return prefix + h.substring(1);
    }

    static Map<String, AttributeValue> read(DynamoDbClient dynamo, String table, AggregateKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(key(key)).consistentRead(true).build()).item();
        return item == null ? Map.of() : item;
    }

    private Map<String, AttributeValue> read(AggregateKey key) {
        return read(dynamo, tableName, key);
    }

    static Map<String, AttributeValue> key(AggregateKey key) {
        return Map.of(ACCOUNT, AttributeValue.fromS(key.accountId()),
                INTERVAL, AttributeValue.fromN(Long.toString(key.intervalStart())));
    }

    private static AttributeValue binary(String sequenceNumber) {
        return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(SequenceNumbers.encode(sequenceNumber)));
    }

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
            long[] counts = {c.valid(), c.errors(), c.unreachedErrors(), c.excludedErrors(),
                c.excludedMaintenance(), c.excludedCompromised(), c.excludedContentBan()};
            for (int k = 0; k < COUNT_NAMES.length; k++) {
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
                Map<String, List<WriteRequest>> request = Map.of(tableName, pending);
                requests++;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems()
                        .getOrDefault(tableName, List.of());
            }
        }
        return requests;
    }

    /**
     * Creates the table (on-demand, TTL on its attribute) if it does not exist, from the one definition
     * the CDK app deploys ({@link TableDefinitions}); for tests and the local runtime.
     */
    public static void createTable(DynamoDbClient dynamo, String name) {
        TableDefinitions.table(TableDefinitions.AGGREGATES).create(dynamo, name);
    }
}
