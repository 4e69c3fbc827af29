package dev.slaledger.accounts.dynamodb;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.testkit.Engines;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The DynamoDB of the {@link Engines} fixture (moto, or LocalStack), one fresh accounts table per test. */
final class LocalDynamo implements AutoCloseable {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final DynamoDbClient raw = Engines.get().dynamoDbClient();

    /** A new, empty accounts table; returns its name. */
    String newTable() {
        String name = "accounts-" + TABLES.incrementAndGet();
        AccountsTable.create(raw, name);
        return name;
    }

    DynamoDbClient client() {
        return raw;
    }

    /** Every item of the table, sorted by key: for tests that must prove what was (not) written. */
    List<Map<String, AttributeValue>> allItems(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        raw.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().forEach(items::add);
        items.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s())
                .thenComparing(i -> i.get("sk").s()));
        return items;
    }

    @Override
    public void close() {
        raw.close();
    }
}
