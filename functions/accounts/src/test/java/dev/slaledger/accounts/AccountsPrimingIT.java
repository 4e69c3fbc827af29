package dev.slaledger.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.lambda.Env;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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
                    new AccountsWiring(new Env(Map.of("AWS_REGION", "eu-west-1", "ACCOUNTS_TABLE", "accounts",
                            "LEDGER_TABLE", "ledger")), dynamo, Clock.systemUTC(), DefaultTerms.version()).priming()).run();

            assertThat(report.failed()).isEmpty();
            assertThat(report.completed()).hasSize(2);
            assertThat(dynamo.scan(s -> s.tableName("accounts")).count()).isZero();
        } finally {
            local.shutdown();
        }
    }
}
