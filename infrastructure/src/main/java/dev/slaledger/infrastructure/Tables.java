package dev.slaledger.infrastructure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;

/**
 * The tables' one definition (issue 31 item 3): {@code tables.json} of {@code adapters/dynamodb},
 * which this module's build copies onto its class path (infrastructure/pom.xml) without depending
 * on that module, as it does the bus rules. The tests, the local runtime and the harnesses create
 * their tables from the same file (adapters/dynamodb {@code TableDefinitions}); {@link DataStack}
 * deploys it. Nothing here names a key: it maps the file to the CDK's types.
 */
final class Tables {
    static final String RESOURCE = "/dev/slaledger/adapter/dynamodb/tables.json";

    /** One table as the file defines it, in the CDK's types. */
    record Definition(String name, String description, Attribute partitionKey, Attribute sortKey,
            String timeToLiveAttribute, List<GlobalSecondaryIndexProps> indexes, StreamViewType stream) {
    }

    private static final Map<String, Definition> DEFINITIONS = load();

    private Tables() {
    }

    static Definition get(String name) {
        Definition d = DEFINITIONS.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no table " + name + " in tables.json; there are " + DEFINITIONS.keySet());
        }
        return d;
    }

    static List<Definition> all() {
        return List.copyOf(DEFINITIONS.values());
    }

    private static Map<String, Definition> load() {
        try (InputStream in = Tables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (infrastructure/pom.xml copies it)");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Definition> out = new LinkedHashMap<>();
            for (JsonNode t : root.required("tables")) {
                List<GlobalSecondaryIndexProps> indexes = new ArrayList<>();
                for (JsonNode i : t.required("globalSecondaryIndexes")) {
                    JsonNode projection = i.required("projection");
                    GlobalSecondaryIndexProps.Builder b = GlobalSecondaryIndexProps.builder()
                            .indexName(i.required("name").asText())
                            .partitionKey(attribute(i.required("partitionKey")))
                            .projectionType(ProjectionType.valueOf(projection.required("type").asText()));
                    if (!isNull(i.get("sortKey"))) {
                        b.sortKey(attribute(i.get("sortKey")));
                    }
                    List<String> nonKey = new ArrayList<>();
                    projection.path("nonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
                    if (!nonKey.isEmpty()) {
                        b.nonKeyAttributes(nonKey);
                    }
                    indexes.add(b.build());
                }
                String name = t.required("name").asText();
                out.put(name, new Definition(name, t.path("description").asText(""),
                        attribute(t.required("partitionKey")),
                        isNull(t.get("sortKey")) ? null : attribute(t.get("sortKey")),
                        isNull(t.get("timeToLiveAttribute")) ? null : t.get("timeToLiveAttribute").asText(),
                        List.copyOf(indexes),
                        isNull(t.get("stream")) ? null : StreamViewType.valueOf(t.get("stream").asText())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    private static boolean isNull(JsonNode node) {
        return node == null || node.isNull();
    }

    private static Attribute attribute(JsonNode key) {
        AttributeType type = switch (key.required("type").asText()) {
            case "S" -> AttributeType.STRING;
            case "N" -> AttributeType.NUMBER;
            case "B" -> AttributeType.BINARY;
            default -> throw new IllegalStateException("tables.json: key type " + key.get("type") + " is not S, N or B");
        };
        return Attribute.builder().name(key.required("name").asText()).type(type).build();
    }
}
