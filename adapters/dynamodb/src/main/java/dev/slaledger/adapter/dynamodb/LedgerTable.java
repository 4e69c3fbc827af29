package dev.slaledger.adapter.dynamodb;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The Ledger table: one DynamoDB table, keys {@code pk} (string) and {@code sk} (string),
 * holding the low-volume records of the system side by side (docs/monthend.md describes it):
 *
 * <pre>
 * pk                         sk              what
 * ST#{account}#{yyyy-MM}     R{revision:6}   a statement revision (D3 JSON in "doc")
 * ST#{account}#{yyyy-MM}     ~STALE          the staleness mark a changed input leaves (sorts last)
 * STMONTH#{yyyy-MM}          ~STALE          the month-wide staleness mark (a window for all accounts)
 * MW                         {window id}     a maintenance window (D4)
 * TERMS                      V{seq:6}        a published terms version (D5 JSON in "doc")
 * TERMSID#{version}          TERMSID         uniqueness guard of a version id
 * NOTICE#{account}           {version}       a notice delivery (state SENDING/SENT/RETRY/BOUNCED)
 * NOTICEATTEMPT#{attempt}    ATTEMPT         which account and version a send attempt was for
 * CONTACT#{email}            UNDELIVERABLE   an address that hard-bounced or complained
 * CLAIM#{account}            M#{yyyy-MM}     the accepted claim of a period + VoucherIssued outbox
 * CLAIM#{account}            ID#{claimId}    every claim, accepted or refused
 * IDEM#{caller}              {key}           an Idempotency-Key record (TTL attribute expiresAt)
 * JOB#{job}                  PROGRESS        where a long scheduled job got to (cursor, items, complete)
 * SHARDEND#{shardId}         ~END            how far ingest re-applied an ended Kinesis shard's last window
 *                                            (DynamoDbShardEndLog, docs/ingest.md "Resharding"; expiresAt)
 * </pre>
 *
 * <p>One sparse global secondary index, {@code stale} (hash {@code staleShard}, range {@code pk},
 * projecting {@code mark}): only a stale mark that is set and not yet cleared carries
 * {@code staleShard}, one of {@value #STALE_SHARDS} values, so the restatement run lists every
 * stale account-month with {@value #STALE_SHARDS} Query requests when nothing is stale, and the
 * index's write load spreads over as many partitions.
 *
 * <p>A second sparse index, {@code outbox} (hash {@code outboxShard}, range {@code pendingSince},
 * epoch milliseconds; keys only): an item carries both while an event it records is owed (S7.6), a
 * compensable statement revision ({@code StatementCompensable}) from its put, an accepted claim
 * with a voucher above zero ({@code VoucherIssued}) from its transaction; marking the event sent
 * removes them. Statement revisions use the shards {@code ST0}..{@code ST3}, claims {@code CL0}..
 * {@code CL3} (by partition key), so the outbox sweep lists each kind's owed events older than a
 * given instant with {@value #OUTBOX_SHARDS} Query requests, whatever the size of the table.
 */
public final class LedgerTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** The sparse index of stale marks (S7.2). */
    public static final String STALE_INDEX = "stale";
    /** Its hash key: present on a mark only while it is stale. */
    public static final String STALE_SHARD = "staleShard";
    /** How many values {@link #STALE_SHARD} takes. */
    public static final int STALE_SHARDS = 16;
    /** The sparse index of owed events (S7.6: the outbox sweep's list). */
    public static final String OUTBOX_INDEX = "outbox";
    /** Its hash key: present on an item only while its event is owed. */
    public static final String OUTBOX_SHARD = "outboxShard";
    /** Its range key: since when the event is owed (epoch milliseconds). */
    public static final String PENDING_SINCE = "pendingSince";
    /** How many values {@link #OUTBOX_SHARD} takes per kind of event. */
    public static final int OUTBOX_SHARDS = 4;

    private LedgerTable() {
    }

    /**
     * Creates the table (on-demand, with its indexes and TTL) if it does not exist, from the one
     * definition the CDK app deploys ({@link TableDefinitions}); used by tests and the local runtime.
     */
    public static void create(DynamoDbClient dynamo, String tableName) {
        TableDefinitions.table(TableDefinitions.LEDGER).create(dynamo, tableName);
    }

    /**
     * The outbox attributes of an item whose event is owed since {@code since}: its shard among the
     * {@value #OUTBOX_SHARDS} of {@code kind} ({@code ST} or {@code CL}), by partition key.
     */
    static void putOutbox(Map<String, AttributeValue> item, String kind, Instant since) {
        String pk = item.get(PK).s();
        item.put(OUTBOX_SHARD, AttributeValue.fromS(kind + Math.floorMod(pk.hashCode(), OUTBOX_SHARDS)));
        item.put(PENDING_SINCE, AttributeValue.fromN(Long.toString(since.toEpochMilli())));
    }

    /**
     * Every item of the partition {@code pk}, read consistently in key order, page by page (about one
     * request per MB the partition holds); the pages are requested as the iteration reaches them.
     */
    static Iterable<Map<String, AttributeValue>> partition(DynamoDbClient dynamo, String table, String pk) {
        return dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .consistentRead(true)
                .build()).items();
    }

    /**
     * The keys ({@code pk}, {@code sk}) of every item of {@code kind} on the outbox index owed since
     * {@code olderThan} or earlier: one paged Query per shard, oldest first within a shard. The index
     * is eventually consistent: an entry marked sent a moment ago may show once more.
     */
    static void forEachOwed(DynamoDbClient dynamo, String table, String kind, Instant olderThan,
            Consumer<Map<String, AttributeValue>> sink) {
        for (int shard = 0; shard < OUTBOX_SHARDS; shard++) {
            QueryRequest query = QueryRequest.builder()
                    .tableName(table)
                    .indexName(OUTBOX_INDEX)
                    .keyConditionExpression("#shard = :shard AND #since <= :cutoff")
                    .expressionAttributeNames(Map.of("#shard", OUTBOX_SHARD, "#since", PENDING_SINCE))
                    .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(kind + shard),
                            ":cutoff", AttributeValue.fromN(Long.toString(olderThan.toEpochMilli()))))
                    .build();
            for (QueryResponse page : dynamo.queryPaginator(query)) {
                page.items().forEach(sink);
            }
        }
    }
}
