package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/** Issue 31 item 3: the tables the tests and the local runtime create, from the one definition the CDK app deploys. */
class TableDefinitionsTest {
    @Test
    @DisplayName("the four tables of tables.json, in its order")
    void tables() {
        assertThat(TableDefinitions.all()).extracting(TableDefinitions.Table::name)
                .containsExactly("Aggregates", "Quarantine", "Ledger", "Accounts");
        assertThatThrownBy(() -> TableDefinitions.table("Nope")).hasMessageContaining("Ledger");
    }

    @Test
    @DisplayName("S7.2, S7.6: the Ledger's CreateTable carries its keys, the stale and outbox indexes with their projections, on-demand; its TTL attribute is expiresAt")
    void ledger() {
        TableDefinitions.Table ledger = TableDefinitions.table(TableDefinitions.LEDGER);
        CreateTableRequest r = ledger.createRequest("t");
        assertThat(r.keySchema()).extracting(k -> k.attributeName() + " " + k.keyTypeAsString())
                .containsExactly(LedgerTable.PK + " HASH", LedgerTable.SK + " RANGE");
        assertThat(r.globalSecondaryIndexes()).extracting(i -> i.indexName()).containsExactly(LedgerTable.STALE_INDEX,
                LedgerTable.OUTBOX_INDEX);
        assertThat(r.globalSecondaryIndexes().get(0).projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
        assertThat(r.globalSecondaryIndexes().get(0).projection().nonKeyAttributes()).containsExactly("mark");
        assertThat(r.globalSecondaryIndexes().get(1).keySchema()).extracting(k -> k.attributeName())
                .containsExactly(LedgerTable.OUTBOX_SHARD, LedgerTable.PENDING_SINCE);
        assertThat(r.attributeDefinitions()).extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString())
                .containsExactlyInAnyOrder("pk:S", "sk:S", "staleShard:S", "outboxShard:S", "pendingSince:N");
        assertThat(r.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        assertThat(ledger.timeToLiveAttribute()).contains("expiresAt");
        assertThat(r.streamSpecification()).isNull();
    }

    @Test
    @DisplayName("aggregates: a (S) + i (N), TTL on t; quarantine: k (S), TTL on t; accounts: pk/sk, no TTL, no index")
    void theOthers() {
        assertThat(TableDefinitions.table(TableDefinitions.AGGREGATES).createRequest("a").attributeDefinitions())
                .extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString()).containsExactly("a:S", "i:N");
        assertThat(TableDefinitions.table(TableDefinitions.AGGREGATES).timeToLiveAttribute()).contains("t");
        assertThat(TableDefinitions.table(TableDefinitions.QUARANTINE).createRequest("q").keySchema()).hasSize(1);
        assertThat(TableDefinitions.table(TableDefinitions.ACCOUNTS).timeToLiveAttribute()).isEmpty();
        assertThat(TableDefinitions.table(TableDefinitions.ACCOUNTS).createRequest("x").globalSecondaryIndexes()).isEmpty();
    }
}
