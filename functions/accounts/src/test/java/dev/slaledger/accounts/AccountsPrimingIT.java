package dev.slaledger.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.priming.Priming;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

class AccountsPrimingIT {

    @Test
    @DisplayName("SnapStart priming handles the bundled sample event on canned clients and writes nothing to the real table")
    void primingCompletesWithoutWriting() {
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create();
        try (DynamoDbClient dynamo = local.dynamoDbClient()) {
            AccountsTable.create(dynamo, "accounts");

            Priming.Report report = Priming.of("accounts",
                    AccountsHandler.priming(Region.EU_WEST_1, "accounts", "ledger", dynamo)).run();

            assertThat(report.failed()).isEmpty();
            assertThat(report.completed()).hasSize(2);
            assertThat(dynamo.scan(s -> s.tableName("accounts")).count()).isZero();
        } finally {
            local.shutdown();
        }
    }
}
