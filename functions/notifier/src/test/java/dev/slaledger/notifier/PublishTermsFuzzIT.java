package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The fuzz of {@link PublishTermsFuzzTest} through the publication wired as in Lambda
 * ({@link NotifierWiring}) on the DynamoDB of the {@code Engines} fixture: hostile version ids
 * reach DynamoDB keys here, where a value DynamoDB refuses would surface as a 5xx.
 */
@UsesEngines
class PublishTermsFuzzIT {
    private static final int ITERATIONS = 800;
    private static final String LEDGER = "terms-fuzz-ledger";
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, LEDGER);
        // S9.4 counts the accounts a publication would notify (none here)
        dev.slaledger.adapter.dynamodb.AccountsTable.create(dynamo, "terms-fuzz-accounts");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    @DisplayName("issue 15 item 3 fuzz on DynamoDB: no hostile request to PUT /admin/terms gives a 5xx")
    void neverA5xx() {
        long seed = 20261116L;
        NotifierWiring wiring = new NotifierWiring(new Env(Map.of(EnvNames.LEDGER_TABLE, LEDGER,
                EnvNames.ACCOUNTS_TABLE, "terms-fuzz-accounts")), dynamo, PublishTermsFuzzTest.CLOCK,
                DefaultTerms.version());
        PublishTermsHandler handler = new PublishTermsHandler(wiring.publication(v -> { }, (v, e) -> { },
                dev.slaledger.core.port.memory.FixedSendingQuota.sesDefault()));
        int[] byClass = PublishTermsFuzzTest.run(handler, new PublishTermsFuzzEvents(seed), ITERATIONS,
                "seed " + seed);
        assertThat(byClass[2]).isGreaterThan(0);
        PublishTermsFuzzTest.assertDistinctVersions(new DynamoDbTermsRepository(dynamo, LEDGER, DefaultTerms.version()));
    }
}
