package dev.slaledger.infrastructure;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.constructs.Construct;

/**
 * The stateful stack: what holds data, or an address producers are configured with, and must
 * survive a redeploy (or a destroy) of the application stack. Tables are on-demand, encrypted
 * with the AWS-managed key, recoverable to any second of the last 35 days (PITR), protected
 * from deletion and retained when the stack goes; TTL where a retention applies.
 */
public final class DataStack extends Stack {
    /** The TTL attribute of the aggregates and quarantine items (docs/ingest.md). */
    static final String TTL_ATTRIBUTE = "t";
    /**
     * The Ledger table's TTL attribute: only Idempotency-Key records (docs/claims.md, kept 24 h)
     * and notice attempt items (docs/notices.md, about 400 days) carry it; statements, claims,
     * terms, notices and windows never do, so they are kept.
     */
    static final String LEDGER_TTL_ATTRIBUTE = "expiresAt";
    /** The Ledger table's sparse index of stale marks (adapters/dynamodb LedgerTable). */
    static final String STALE_INDEX = "stale";
    /** The Ledger table's sparse index of owed events (adapters/dynamodb LedgerTable). */
    static final String OUTBOX_INDEX = "outbox";

    private final Table aggregates;
    private final Table quarantine;
    private final Table ledger;
    private final Table accounts;
    private final Stream requestRecords;

    public DataStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);

        // docs/ingest.md: a (account, interval) item per 5 minutes, expired a margin after the claim
        // window of every month it can count in has closed (ingest sets the TTL from the terms).
        aggregates = table("Aggregates", key("a", AttributeType.STRING), key("i", AttributeType.NUMBER), TTL_ATTRIBUTE);
        // docs/ingest.md: one item per refused record, keyed shardId/sequenceNumber, kept at least as
        // long as the aggregates written with it.
        quarantine = table("Quarantine", key("k", AttributeType.STRING), null, TTL_ATTRIBUTE);
        // adapters/dynamodb LedgerTable: statements, stale marks, windows, terms, notices, claims:
        // kept. Idempotency-Key records and notice attempts expire by TTL on expiresAt.
        ledger = table("Ledger", key("pk", AttributeType.STRING), key("sk", AttributeType.STRING),
                LEDGER_TTL_ATTRIBUTE);
        // S7.2: the sparse index of stale marks (LedgerTable.STALE_INDEX): only a mark that is set
        // and not yet cleared carries staleShard, so the restatement run lists what is stale with
        // one Query per shard and nothing else.
        ledger.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(STALE_INDEX)
                .partitionKey(key("staleShard", AttributeType.STRING))
                .sortKey(key("pk", AttributeType.STRING))
                .projectionType(ProjectionType.INCLUDE)
                .nonKeyAttributes(List.of("mark"))
                .build());
        // S7.6: the sparse index of owed events (LedgerTable.OUTBOX_INDEX): a compensable statement
        // revision or an accepted claim carries outboxShard and pendingSince (epoch ms) only while its
        // StatementCompensable or VoucherIssued event is owed, so the outbox sweep lists what is owed
        // and older than its minimum age with one Query per shard, keys only.
        ledger.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(OUTBOX_INDEX)
                .partitionKey(key("outboxShard", AttributeType.STRING))
                .sortKey(key("pendingSince", AttributeType.NUMBER))
                .projectionType(ProjectionType.KEYS_ONLY)
                .build());
        // docs/accounts.md: contacts, subscriptions, fees and their month/term-end index items. Kept.
        accounts = table("Accounts", key("pk", AttributeType.STRING), key("sk", AttributeType.STRING), null);

        // D1 request records. On-demand (no shard planning), encrypted with the AWS-managed key.
        // Kept 7 days (StreamRetentionPeriodHours of kinesis-mapping.json, beside the mapping's maximum
        // record age of 6 days): an ingest outage over a weekend delays aggregates instead of losing
        // records, and a batch the mapping gives up on can still be read back for a day (docs/ingest.md).
        requestRecords = Stream.Builder.create(this, "RequestRecords")
                .streamMode(StreamMode.ON_DEMAND)
                .encryption(StreamEncryption.MANAGED)
                .retentionPeriod(IngestMapping.read().streamRetention())
                // Records not yet aggregated when the whole deployment is torn down are gone with
                // it; a retained on-demand stream would keep billing by the hour unseen.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        CfnOutput.Builder.create(this, "RequestStreamName").value(requestRecords.getStreamName())
                .description("Kinesis stream producers put D1 request records into (partition key: accountId)")
                .build();
        CfnOutput.Builder.create(this, "RequestStreamArn").value(requestRecords.getStreamArn()).build();
    }

    /** @param ttlAttribute the item attribute DynamoDB expires items by (epoch seconds), or null */
    private Table table(String id, Attribute partitionKey, Attribute sortKey, String ttlAttribute) {
        Table.Builder b = Table.Builder.create(this, id)
                .partitionKey(partitionKey)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (sortKey != null) {
            b.sortKey(sortKey);
        }
        if (ttlAttribute != null) {
            b.timeToLiveAttribute(ttlAttribute);
        }
        return b.build();
    }

    private static Attribute key(String name, AttributeType type) {
        return Attribute.builder().name(name).type(type).build();
    }

    public Table aggregates() {
        return aggregates;
    }

    public Table quarantine() {
        return quarantine;
    }

    public Table ledger() {
        return ledger;
    }

    public Table accounts() {
        return accounts;
    }

    public Stream requestRecords() {
        return requestRecords;
    }
}
