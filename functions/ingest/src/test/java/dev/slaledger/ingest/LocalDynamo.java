package dev.slaledger.ingest;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.testkit.Engines;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB of the {@link Engines} fixture (moto on a loopback port, or LocalStack),
 * reached by a real SDK client with its URLConnection HTTP client and the given execution
 * interceptors (the write counter, the fault injector), exactly as the function reaches DynamoDB.
 */
final class LocalDynamo {

    private LocalDynamo() {
    }

    static DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return Engines.get().dynamoDb()
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** Fresh tables for one test: names unique, so tests never see each other's items. */
    static IngestConfig createTables(DynamoDbClient dynamo) {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        IngestConfig config = IngestConfig.of(prefix + "-aggregates", prefix + "-quarantine", prefix + "-ledger");
        DynamoDbAggregateStore.createTable(dynamo, config.aggregatesTable());
        DynamoDbQuarantineStore.createTable(dynamo, config.quarantineTable());
        LedgerTable.create(dynamo, config.ledgerTable());
        return config;
    }
}
