package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Maintenance windows (D4) in the Ledger table, all under partition {@code MW}, keyed by id
 * (saving a window with a known id replaces it). A provider announces a few windows a month,
 * so reading the partition and filtering by time costs one or two Query pages; the items
 * carry their instants as ISO-8601 strings.
 */
public final class DynamoDbMaintenanceWindowRepository implements MaintenanceWindowRepository {
    private static final String PARTITION = "MW";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbMaintenanceWindowRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void save(MaintenanceWindow w) {
        Map<String, AttributeValue> item = key(PARTITION, w.id());
        item.put("start", s(w.start().toString()));
        item.put("end", s(w.end().toString()));
        item.put("announcedAt", s(w.announcedAt().toString()));
        w.accounts().ifPresent(a -> item.put("accounts", AttributeValue.fromSs(List.copyOf(a))));
        // An empty account set would be unstorable as a string set and means "no account":
        // keep it explicit so it is never read back as "all accounts".
        if (w.accounts().isPresent() && w.accounts().get().isEmpty()) {
            item.remove("accounts");
            item.put("noAccounts", AttributeValue.fromBool(true));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<MaintenanceWindow> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(PARTITION, id))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void delete(String id) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(PARTITION, id)));
    }

    @Override
    public List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive) {
        List<MaintenanceWindow> out = new ArrayList<>();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
                .consistentRead(true)
                .build();
        for (QueryResponse page : dynamo.queryPaginator(query)) {
            for (Map<String, AttributeValue> item : page.items()) {
                MaintenanceWindow w = fromItem(item);
                if (w.start().isBefore(toExclusive) && w.end().isAfter(fromInclusive)) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    private static MaintenanceWindow fromItem(Map<String, AttributeValue> item) {
        Optional<Set<String>> accounts;
        if (item.containsKey("accounts")) {
            accounts = Optional.of(Set.copyOf(item.get("accounts").ss()));
        } else if (item.containsKey("noAccounts")) {
            accounts = Optional.of(Set.of());
        } else {
            accounts = Optional.empty();
        }
        return new MaintenanceWindow(Attr.string(item, LedgerTable.SK),
                Instant.parse(Attr.string(item, "start")),
                Instant.parse(Attr.string(item, "end")),
                Instant.parse(Attr.string(item, "announcedAt")),
                accounts);
    }
}
