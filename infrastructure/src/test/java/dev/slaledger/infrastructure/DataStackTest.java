package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

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
    @DisplayName("aggregates (docs/ingest.md): key a (S) + i (N), TTL on t; quarantine: key k (S), TTL on t")
    void aggregatesAndQuarantineExpireOnT() {
        data.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "a", "KeyType", "HASH"),
                        Map.of("AttributeName", "i", "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(Map.of("AttributeName", "i", "AttributeType", "N"))),
                "TimeToLiveSpecification", Map.of("AttributeName", "t", "Enabled", true)));
        data.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "k", "KeyType", "HASH")),
                "TimeToLiveSpecification", Map.of("AttributeName", "t", "Enabled", true)));
    }

    @Test
    @DisplayName("ledger (pk, sk strings) expires only what carries expiresAt (Idempotency-Key records, notice attempts); accounts never expire")
    void ledgerExpiresOnExpiresAtAndAccountsKeepEverything() {
        Map<String, Map<String, Object>> pkSk = data.findResources("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("KeySchema", List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")))))));
        assertThat(pkSk).hasSize(2);
        DataStack stack = Synth.get().stacks.data();
        String ledger = logicalId(stack.ledger());
        String accounts = logicalId(stack.accounts());
        assertThat(pkSk).containsOnlyKeys(ledger, accounts);
        // DynamoDB allows one TTL attribute per table: claims and notices share expiresAt
        assertThat(properties(pkSk.get(ledger)).get("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
        assertThat(properties(pkSk.get(accounts))).doesNotContainKey("TimeToLiveSpecification");
    }

    @Test
    @DisplayName("S7.2 the ledger's sparse stale index: hash staleShard, range pk, projecting the mark only (the restatement run's list)")
    void ledgerStaleIndex() {
        assertThat(ledgerIndexes()).contains(Map.of(
                "IndexName", "stale",
                "KeySchema", List.of(Map.of("AttributeName", "staleShard", "KeyType", "HASH"),
                        Map.of("AttributeName", "pk", "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "INCLUDE", "NonKeyAttributes", List.of("mark"))));
    }

    @Test
    @DisplayName("S7.6 the ledger's sparse outbox index: hash outboxShard (S), range pendingSince (N, epoch ms), keys only (the outbox sweep's list); the two indexes and nothing else")
    void ledgerOutboxIndex() {
        assertThat(ledgerIndexes()).contains(Map.of(
                "IndexName", "outbox",
                "KeySchema", List.of(Map.of("AttributeName", "outboxShard", "KeyType", "HASH"),
                        Map.of("AttributeName", "pendingSince", "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "KEYS_ONLY")));
        assertThat(ledgerIndexes()).hasSize(2);
        String ledger = logicalId(Synth.get().stacks.data().ledger());
        assertThat(properties(data.findResources("AWS::DynamoDB::Table").get(ledger)).get("AttributeDefinitions"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains(Map.of("AttributeName", "outboxShard", "AttributeType", "S"),
                        Map.of("AttributeName", "pendingSince", "AttributeType", "N"));
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
