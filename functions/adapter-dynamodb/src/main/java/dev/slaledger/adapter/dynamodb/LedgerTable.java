package dev.slaledger.adapter.dynamodb;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

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
 * </pre>
 *
 * <p>One sparse global secondary index, {@code stale} (hash {@code staleShard}, range {@code pk},
 * projecting {@code mark}): only a stale mark that is set and not yet cleared carries
 * {@code staleShard}, one of {@value #STALE_SHARDS} values, so the restatement run lists every
 * stale account-month with {@value #STALE_SHARDS} Query requests when nothing is stale, and the
 * index's write load spreads over as many partitions.
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

    private LedgerTable() {
    }

    /** Creates the table (on-demand) if it does not exist; used by tests and the local runtime. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.createTable(CreateTableRequest.builder()
                    .tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(STALE_SHARD)
                                    .attributeType(ScalarAttributeType.S).build())
                    .keySchema(List.of(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(STALE_INDEX)
                            .keySchema(
                                    KeySchemaElement.builder().attributeName(STALE_SHARD).keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(PK).keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                    .nonKeyAttributes("mark").build())
                            .build())
                    .build());
        } catch (ResourceInUseException alreadyThere) {
            // idempotent
        }
    }
}
