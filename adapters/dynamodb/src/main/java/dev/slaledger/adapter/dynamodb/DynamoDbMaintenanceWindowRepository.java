package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slaledger.core.json.PlainJson;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.traffic.MaintenanceWindowDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maintenance windows (D4) in the Ledger table, all under partition {@code MW}, keyed by id
 * (saving a window with a known id replaces it). A provider announces a few windows a month,
 * so reading the partition and filtering by time costs one or two Query pages; the items
 * carry their instants as ISO-8601 strings.
 *
 * <p>The item also keeps the version its latest change replaced or withdrew ({@code previous}, the
 * window as JSON); a withdrawn window stays as an item with {@code withdrawn} and that
 * {@code previous} only, which {@link #find} and {@link #overlapping} leave out (issue 27 item 7:
 * a retried withdrawal answers and marks again instead of 404). A change reads the item first (one
 * GetItem, then one PutItem).
 */
public final class DynamoDbMaintenanceWindowRepository implements MaintenanceWindowRepository {
    private static final String PARTITION = "MW";
    private static final String PREVIOUS = "previous";
    private static final String WITHDRAWN = "withdrawn";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbMaintenanceWindowRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void save(MaintenanceWindow w) {
        Map<String, AttributeValue> stored = stored(w.id());
        Map<String, AttributeValue> item = item(w);
        Optional<MaintenanceWindow> replaced = stored.isEmpty() ? Optional.empty()
                : isWithdrawn(stored) ? previousOf(stored) : Optional.of(fromItem(stored));
        if (replaced.isPresent() && !replaced.get().equals(w)) {
            item.put(PREVIOUS, s(toJson(replaced.get())));
        } else if (stored.containsKey(PREVIOUS)) {
            item.put(PREVIOUS, stored.get(PREVIOUS)); // the same version again (a retry): what it replaced stays
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> item(MaintenanceWindow w) {
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
        return item;
    }

    private Map<String, AttributeValue> stored(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(PARTITION, id))
                .consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private static boolean isWithdrawn(Map<String, AttributeValue> item) {
        return item.containsKey(WITHDRAWN) && Boolean.TRUE.equals(item.get(WITHDRAWN).bool());
    }

    private static Optional<MaintenanceWindow> previousOf(Map<String, AttributeValue> item) {
        return item.containsKey(PREVIOUS) ? Optional.of(fromJson(Attr.string(item, PREVIOUS))) : Optional.empty();
    }

    @Override
    public Optional<MaintenanceWindow> find(String id) {
        Map<String, AttributeValue> item = stored(id);
        return item.isEmpty() || isWithdrawn(item) ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The live window becomes a withdrawn item holding it as {@code previous}. */
    @Override
    public void delete(String id) {
        Map<String, AttributeValue> item = stored(id);
        if (item.isEmpty() || isWithdrawn(item)) {
            return;
        }
        Map<String, AttributeValue> tombstone = key(PARTITION, id);
        tombstone.put(WITHDRAWN, AttributeValue.fromBool(true));
        tombstone.put(PREVIOUS, s(toJson(fromItem(item))));
        dynamo.putItem(b -> b.tableName(table).item(tombstone));
    }

    @Override
    public Optional<MaintenanceWindow> previous(String id) {
        return previousOf(stored(id));
    }

    @Override
    public List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive) {
        List<MaintenanceWindow> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : LedgerTable.partition(dynamo, table, PARTITION)) {
            if (isWithdrawn(item)) {
                continue;
            }
            MaintenanceWindow w = fromItem(item);
            if (w.start().isBefore(toExclusive) && w.end().isAfter(fromInclusive)) {
                out.add(w);
            }
        }
        return out;
    }

    static String toJson(MaintenanceWindow w) {
        return MaintenanceWindowDocument.toJson(w);
    }

    static MaintenanceWindow fromJson(String json) {
        Object read;
        try {
            read = PlainJson.read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored maintenance window is not readable: " + e.getMessage(), e);
        }
        if (!(read instanceof Map<?, ?> n)) {
            throw new IllegalStateException("a stored maintenance window is not a JSON object: " + json);
        }
        Optional<Set<String>> accounts = Optional.empty();
        if (n.get("accounts") instanceof List<?> list) {
            accounts = Optional.of(list.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet()));
        }
        return new MaintenanceWindow(stored(n, "id"), Instant.parse(stored(n, "start")),
                Instant.parse(stored(n, "end")), Instant.parse(stored(n, "announcedAt")), accounts);
    }

    private static String stored(Map<?, ?> window, String field) {
        if (!(window.get(field) instanceof String text)) {
            throw new IllegalStateException("a stored maintenance window has no " + field + ": " + window);
        }
        return text;
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
