package dev.slaledger.adapter.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The accounts table: one table, string keys {@code pk} and {@code sk}, no secondary index (see
 * docs/accounts.md for the item families), as tables.json defines it ({@link TableDefinitions}):
 * the infrastructure deploys that definition; tests and the local runtime create it with {@link #create}.
 */
public final class AccountsTable {
    public static final String PK = "pk";
    public static final String SK = "sk";

    private AccountsTable() {
    }

    /** Creates the table (on-demand) if it does not exist, from the one definition ({@link TableDefinitions}). */
    public static void create(DynamoDbClient dynamo, String tableName) {
        TableDefinitions.table(TableDefinitions.ACCOUNTS).create(dynamo, tableName);
    }
}
