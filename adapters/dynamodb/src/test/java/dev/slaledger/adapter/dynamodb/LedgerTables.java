package dev.slaledger.adapter.dynamodb;

import dev.slaledger.testkit.Engines;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The integration tests' Ledger tables, each a table of its own on the engines' DynamoDB. */
final class LedgerTables {
    private LedgerTables() {
    }

    /** Creates the Ledger table {@code table}; returns the engines' shared client (closed when the JVM exits). */
    static DynamoDbClient create(String table) {
        DynamoDbClient dynamo = Engines.get().sharedDynamoDbClient();
        LedgerTable.create(dynamo, table);
        return dynamo;
    }
}
