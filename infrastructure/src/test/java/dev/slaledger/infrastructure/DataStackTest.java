package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

class DataStackTest {
    private final Template data = Synth.get().data;

    @Test
    @DisplayName("four tables, each on-demand, with point-in-time recovery, KMS encryption, deletion protection, retained")
    void everyTableIsOnDemandRecoverableEncryptedAndRetained() {
        Map<String, Map<String, Object>> tables = data.findResources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(4);
        data.allResources("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        // SSEEnabled true = the AWS-managed KMS key aws/dynamodb (false would be an AWS-owned key)
                        "SSESpecification", Map.of("SSEEnabled", true),
                        "DeletionProtectionEnabled", true)))));
    }

    @Test
    @DisplayName("issue 31 item 3: every table is deployed exactly as tables.json defines it (keys, types, indexes, projections, TTL, stream): the file the tests and the local runtime create their tables from")
    void tablesAreTheSharedDefinition() throws Exception {
        JsonNode file;
        try (var in = DataStackTest.class.getResourceAsStream(Tables.RESOURCE)) {
            file = new ObjectMapper().readTree(in);
        }
        Map<String, Map<String, Object>> tables = data.findResources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(file.get("tables").size());
        DataStack stack = Synth.get().stacks.data();
        Map<String, IConstruct> byName = Map.of("Aggregates", stack.aggregates(), "Quarantine", stack.quarantine(),
                "Ledger", stack.ledger(), "Accounts", stack.accounts());
        for (JsonNode t : file.get("tables")) {
            String name = t.get("name").asText();
            Map<String, Object> p = properties(tables.get(logicalId(byName.get(name))));
            List<Map<String, String>> keys = new ArrayList<>();
            keys.add(Map.of("AttributeName", t.get("partitionKey").get("name").asText(), "KeyType", "HASH"));
            if (!t.get("sortKey").isNull()) {
                keys.add(Map.of("AttributeName", t.get("sortKey").get("name").asText(), "KeyType", "RANGE"));
            }
            assertThat(p.get("KeySchema")).as(name).isEqualTo(keys);
            Map<String, String> types = new java.util.TreeMap<>();
            List<JsonNode> keyNodes = new ArrayList<>(List.of(t.get("partitionKey")));
            if (!t.get("sortKey").isNull()) {
                keyNodes.add(t.get("sortKey"));
            }
            List<Map<String, Object>> indexes = new ArrayList<>();
            for (JsonNode i : t.get("globalSecondaryIndexes")) {
                keyNodes.add(i.get("partitionKey"));
                List<Map<String, String>> indexKeys = new ArrayList<>();
                indexKeys.add(Map.of("AttributeName", i.get("partitionKey").get("name").asText(), "KeyType", "HASH"));
                if (!i.get("sortKey").isNull()) {
                    keyNodes.add(i.get("sortKey"));
                    indexKeys.add(Map.of("AttributeName", i.get("sortKey").get("name").asText(), "KeyType", "RANGE"));
                }
                Map<String, Object> projection = new java.util.LinkedHashMap<>();
                projection.put("ProjectionType", i.get("projection").get("type").asText());
                List<String> nonKey = new ArrayList<>();
                i.get("projection").path("nonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
                if (!nonKey.isEmpty()) {
                    projection.put("NonKeyAttributes", nonKey);
                }
                indexes.add(Map.of("IndexName", i.get("name").asText(), "KeySchema", indexKeys, "Projection", projection));
            }
            keyNodes.forEach(k -> types.put(k.get("name").asText(), k.get("type").asText()));
            Map<String, String> deployedTypes = new java.util.TreeMap<>();
            for (Object a : (List<?>) p.get("AttributeDefinitions")) {
                Map<?, ?> m = (Map<?, ?>) a;
                deployedTypes.put((String) m.get("AttributeName"), (String) m.get("AttributeType"));
            }
            assertThat(deployedTypes).as(name + " attribute types").isEqualTo(types);
            if (indexes.isEmpty()) {
                assertThat(p).as(name).doesNotContainKey("GlobalSecondaryIndexes");
            } else {
                assertThat(p.get("GlobalSecondaryIndexes")).as(name + " indexes").isEqualTo(indexes);
            }
            if (t.get("timeToLiveAttribute").isNull()) {
                assertThat(p).as(name).doesNotContainKey("TimeToLiveSpecification");
            } else {
                assertThat(p.get("TimeToLiveSpecification")).as(name + " TTL")
                        .isEqualTo(Map.of("AttributeName", t.get("timeToLiveAttribute").asText(), "Enabled", true));
            }
            if (t.get("stream").isNull()) {
                assertThat(p).as(name).doesNotContainKey("StreamSpecification");
            } else {
                assertThat(p.get("StreamSpecification")).as(name + " stream")
                        .isEqualTo(Map.of("StreamViewType", t.get("stream").asText()));
            }
        }
    }

    @Test
    @DisplayName("S7.2, S7.6: the Ledger is the one table with indexes (stale, outbox), so a test that creates it from the definition gets them")
    void ledgerCarriesTheSparseIndexes() {
        assertThat(ledgerIndexes()).extracting(i -> i.get("IndexName")).containsExactly("stale", "outbox");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> ledgerIndexes() {
        String ledger = logicalId(Synth.get().stacks.data().ledger());
        return (List<Map<String, Object>>) properties(data.findResources("AWS::DynamoDB::Table").get(ledger))
                .get("GlobalSecondaryIndexes");
    }

    private static String logicalId(IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return Stack.of(construct).resolve(element.getLogicalId()).toString();
    }

    @Test
    @DisplayName("request stream: on-demand, KMS-encrypted, 7 days of records")
    void requestStream() {
        data.resourceCountIs("AWS::Kinesis::Stream", 1);
        data.hasResourceProperties("AWS::Kinesis::Stream", Map.of(
                "StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"),
                "StreamEncryption", Map.of("EncryptionType", "KMS", "KeyId", "alias/aws/kinesis"),
                "RetentionPeriodHours", 168));
    }

    @Test
    @DisplayName("no physical name is given to any resource: CloudFormation generates them")
    void noHardCodedNames() {
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::Kinesis::Stream")) {
            data.findResources(type).values().forEach(r -> assertThat(properties(r))
                    .doesNotContainKeys("TableName", "Name"));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }
}
