package dev.slaledger.adapter.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The one definition of the tables (issue 31 item 3): {@code tables.json} beside this class holds
 * each table's keys, attribute types, global secondary indexes, TTL attribute and stream. The CDK
 * app deploys that file (infrastructure {@code DataStack}, which copies it onto its class path, as
 * it does the bus rules); the tests, the local runtime and the harnesses create their tables from
 * it here, so no test runs on a table shape that production does not have.
 */
public final class TableDefinitions {
    /** The resource this class reads (and the CDK app copies). */
    public static final String RESOURCE = "/dev/slaledger/adapter/dynamodb/tables.json";

    public static final String AGGREGATES = "Aggregates";
    public static final String QUARANTINE = "Quarantine";
    public static final String LEDGER = "Ledger";
    public static final String ACCOUNTS = "Accounts";

    /** A key attribute: its name and type ({@code S} or {@code N}). */
    public record Key(String name, String type) {
    }

    /** A global secondary index. */
    public record Index(String name, Key partitionKey, Optional<Key> sortKey, String projection,
            List<String> nonKeyAttributes) {
    }

    /** A table as deployed: keys, indexes, TTL attribute, stream view type. */
    public record Table(String name, Key partitionKey, Optional<Key> sortKey, Optional<String> timeToLiveAttribute,
            List<Index> indexes, Optional<String> streamViewType) {

        /**
         * Creates the table, on-demand, under {@code tableName}, with its indexes, stream and TTL;
         * does nothing if a table of that name exists already.
         */
        public void create(DynamoDbClient dynamo, String tableName) {
            try {
                dynamo.createTable(createRequest(tableName));
            } catch (ResourceInUseException alreadyThere) {
                return;
            }
            timeToLiveAttribute.ifPresent(attribute -> dynamo.updateTimeToLive(b -> b.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true))));
        }

        /** The CreateTable request of this table under {@code tableName} (TTL is a separate call). */
        public CreateTableRequest createRequest(String tableName) {
            Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
            addAttribute(attributes, partitionKey);
            sortKey.ifPresent(k -> addAttribute(attributes, k));
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            for (Index index : indexes) {
                addAttribute(attributes, index.partitionKey());
                index.sortKey().ifPresent(k -> addAttribute(attributes, k));
                Projection.Builder projection = Projection.builder().projectionType(ProjectionType.fromValue(index.projection()));
                if (!index.nonKeyAttributes().isEmpty()) {
                    projection.nonKeyAttributes(index.nonKeyAttributes());
                }
                gsis.add(GlobalSecondaryIndex.builder()
                        .indexName(index.name())
                        .keySchema(keySchema(index.partitionKey(), index.sortKey()))
                        .projection(projection.build())
                        .build());
            }
            CreateTableRequest.Builder b = CreateTableRequest.builder()
                    .tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes.values())
                    .keySchema(keySchema(partitionKey, sortKey));
            if (!gsis.isEmpty()) {
                b.globalSecondaryIndexes(gsis);
            }
            streamViewType.ifPresent(view -> b.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(StreamViewType.fromValue(view)).build()));
            return b.build();
        }

        private static void addAttribute(Map<String, AttributeDefinition> attributes, Key key) {
            AttributeDefinition definition = AttributeDefinition.builder().attributeName(key.name())
                    .attributeType(ScalarAttributeType.fromValue(key.type())).build();
            AttributeDefinition before = attributes.putIfAbsent(key.name(), definition);
            if (before != null && !before.equals(definition)) {
                throw new IllegalStateException("tables.json: attribute " + key.name() + " has two types");
            }
        }

        private static List<KeySchemaElement> keySchema(Key partition, Optional<Key> sort) {
            List<KeySchemaElement> schema = new ArrayList<>();
            schema.add(KeySchemaElement.builder().attributeName(partition.name()).keyType(KeyType.HASH).build());
            sort.ifPresent(k -> schema.add(KeySchemaElement.builder().attributeName(k.name()).keyType(KeyType.RANGE).build()));
            return schema;
        }
    }

    private static final Map<String, Table> TABLES = load();

    private TableDefinitions() {
    }

    /** The table of that name in tables.json ({@link #LEDGER}, {@link #ACCOUNTS}, ...). */
    public static Table table(String name) {
        Table table = TABLES.get(name);
        if (table == null) {
            throw new IllegalArgumentException("no table " + name + " in tables.json; there are " + TABLES.keySet());
        }
        return table;
    }

    /** Every table, in the file's order. */
    public static List<Table> all() {
        return List.copyOf(TABLES.values());
    }

    private static Map<String, Table> load() {
        try (InputStream in = TableDefinitions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Table> tables = new LinkedHashMap<>();
            for (JsonNode t : root.required("tables")) {
                List<Index> indexes = new ArrayList<>();
                for (JsonNode i : t.required("globalSecondaryIndexes")) {
                    List<String> nonKey = new ArrayList<>();
                    i.required("projection").path("nonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
                    indexes.add(new Index(i.required("name").asText(), key(i.required("partitionKey")),
                            optionalKey(i.get("sortKey")), i.required("projection").required("type").asText(),
                            List.copyOf(nonKey)));
                }
                Table table = new Table(t.required("name").asText(), key(t.required("partitionKey")),
                        optionalKey(t.get("sortKey")), optionalText(t.get("timeToLiveAttribute")), List.copyOf(indexes),
                        optionalText(t.get("stream")));
                tables.put(table.name(), table);
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    private static Key key(JsonNode node) {
        return new Key(node.required("name").asText(), node.required("type").asText());
    }

    private static Optional<Key> optionalKey(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(key(node));
    }

    private static Optional<String> optionalText(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }
}
