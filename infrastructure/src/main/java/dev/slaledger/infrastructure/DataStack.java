package dev.slaledger.infrastructure;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
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
    private final Table aggregates;
    private final Table quarantine;
    private final Table ledger;
    private final Table accounts;
    private final Stream requestRecords;

    public DataStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);

        // Keys, indexes, TTL attributes and streams come from the one definition (tables.json of
        // adapters/dynamodb, Tables), from which the tests and the local runtime create theirs.
        aggregates = table(Tables.get("Aggregates"));
        quarantine = table(Tables.get("Quarantine"));
        ledger = table(Tables.get("Ledger"));
        accounts = table(Tables.get("Accounts"));

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

    /** A table of the definition: its keys, indexes, TTL and stream, and this stack's settings for every table. */
    private Table table(Tables.Definition definition) {
        Table.Builder b = Table.Builder.create(this, definition.name())
                .partitionKey(definition.partitionKey())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (definition.sortKey() != null) {
            b.sortKey(definition.sortKey());
        }
        if (definition.timeToLiveAttribute() != null) {
            b.timeToLiveAttribute(definition.timeToLiveAttribute());
        }
        if (definition.stream() != null) {
            b.stream(definition.stream());
        }
        Table table = b.build();
        definition.indexes().forEach(table::addGlobalSecondaryIndex);
        CfnOutput.Builder.create(this, definition.name() + "TableName").value(table.getTableName())
                .description(definition.name() + " table (the smoke test and operators read it; docs/operations.md)")
                .build();
        return table;
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
