package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.priming.Priming;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Environment: failsafe sets the variables (pom.xml); the table names are overridden with this
 * class's own, as the engines' one DynamoDB is shared by every test class of the JVM.
 */
@UsesEngines
class NotifierPrimingIT {
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, "NotifierPrimingIT-ledger");
        AccountsTable.create(dynamo, "NotifierPrimingIT-accounts");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    /** Wired as in Lambda (the variables come from the failsafe configuration) on this class's tables. */
    private static NotifierWiring wiring() {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("LEDGER_TABLE", "NotifierPrimingIT-ledger");
        env.put("ACCOUNTS_TABLE", "NotifierPrimingIT-accounts");
        return new NotifierWiring(new dev.slaledger.lambda.Env(env), dynamo, java.time.Clock.systemUTC(),
                dev.slaledger.core.terms.DefaultTerms.version());
    }

    /** {@code function}: the name its handler registers the steps under (the IAM evidence attributes calls by it). */
    private static void assertPrimed(String function, Priming.Step[] steps) {
        Priming.Report report = Priming.of(function, steps).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(steps.length);
        for (String table : List.of("NotifierPrimingIT-ledger", "NotifierPrimingIT-accounts")) {
            assertThat(dynamo.scan(s -> s.tableName(table)).count()).as(table).isZero();
        }
    }

    @Test
    @DisplayName("S6.1 publication priming handles the bundled admin request on canned clients: nothing stored or published")
    void publication() {
        assertPrimed("publish-terms", wiring().publicationPriming());
    }

    @Test
    @DisplayName("notice dispatcher priming runs the bundled hourly schedule on canned clients: nothing listed or queued")
    void dispatcher() {
        assertPrimed("notifier", wiring().dispatcherPriming());
    }

    @Test
    @DisplayName("notice worker priming runs the bundled work message on canned clients: nothing reserved or sent")
    void worker() {
        Priming.Step[] steps = wiring().workerPriming();
        assertThat(steps).hasSize(3).as("the templates are compiled before the snapshot");
        assertPrimed("notice-worker", steps);
    }

    @Test
    @DisplayName("SES events priming applies the bundled send event on a canned client: nothing recorded")
    void sesEvents() {
        assertPrimed("ses-events", wiring().sesEventsPriming());
    }
}
