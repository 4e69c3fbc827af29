package dev.slaledger.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.lambda.Env;
import dev.slaledger.priming.Priming;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@UsesEngines
class AccountsPrimingIT {

    @Test
    @DisplayName("SnapStart priming handles the bundled sample event on canned clients and writes nothing to the real table")
    void primingCompletesWithoutWriting() {
        try (DynamoDbClient dynamo = Engines.get().dynamoDbClient()) {
            AccountsTable.create(dynamo, "AccountsPrimingIT-accounts");

            Priming.Report report = Priming.of("accounts",
                    new AccountsWiring(new Env(Map.of("AWS_REGION", "eu-west-1", "ACCOUNTS_TABLE", "AccountsPrimingIT-accounts",
                            "LEDGER_TABLE", "AccountsPrimingIT-ledger")), dynamo, Clock.systemUTC(), DefaultTerms.version()).priming()).run();

            assertThat(report.failed()).isEmpty();
            assertThat(report.completed()).hasSize(2);
            assertThat(dynamo.scan(s -> s.tableName("AccountsPrimingIT-accounts")).count()).isZero();
        }
    }
}
