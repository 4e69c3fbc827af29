package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.priming.Priming;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/** Environment: failsafe sets LEDGER_TABLE=ledger, ACCOUNTS_TABLE=accounts and the rest (pom.xml). */
class NotifierPrimingIT {
    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
        LedgerTable.create(dynamo, "ledger");
        AccountsTable.create(dynamo, "accounts");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        local.shutdown();
    }

    /** Wired as in Lambda (the variables come from the failsafe configuration) on the embedded table. */
    private static NotifierWiring wiring() {
        return new NotifierWiring(dev.slaledger.lambda.Env.system(), dynamo, java.time.Clock.systemUTC(),
                dev.slaledger.core.terms.DefaultTerms.version());
    }

    private static void assertPrimed(Priming.Step[] steps) {
        Priming.Report report = Priming.of("notices", steps).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(steps.length);
        for (String table : List.of("ledger", "accounts")) {
            assertThat(dynamo.scan(s -> s.tableName(table)).count()).as(table).isZero();
        }
    }

    @Test
    @DisplayName("S6.1 publication priming handles the bundled admin request on canned clients: nothing stored or published")
    void publication() {
        assertPrimed(wiring().publicationPriming());
    }

    @Test
    @DisplayName("notifier priming runs the bundled daily schedule on canned clients: nothing reserved or sent")
    void campaign() {
        Priming.Step[] steps = wiring().campaignPriming();
        assertThat(steps).hasSize(3).as("the templates are compiled before the snapshot");
        assertPrimed(steps);
    }

    @Test
    @DisplayName("SES events priming applies the bundled send event on a canned client: nothing recorded")
    void sesEvents() {
        assertPrimed(wiring().sesEventsPriming());
    }
}
