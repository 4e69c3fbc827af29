package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The fuzz of {@link MaintenanceWindowsFuzzTest} through the handler wired as in Lambda
 * ({@link MonthEndWiring}) on the DynamoDB of the {@code Engines} fixture: hostile window ids and
 * account ids reach DynamoDB keys here, where a value DynamoDB refuses would surface as a 5xx.
 */
@UsesEngines
class MaintenanceWindowsFuzzIT {
    private static final int ITERATIONS = 800;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, "fuzz-ledger");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    @DisplayName("issue 15 item 3 fuzz on DynamoDB: no hostile request to the maintenance-window routes gives a 5xx")
    void neverA5xx() {
        long seed = 20261115L;
        MonthEndWiring wiring = new MonthEndWiring(Map.of("LEDGER_TABLE", "fuzz-ledger", "ACCOUNTS_TABLE",
                "fuzz-accounts", "AGGREGATES_TABLE", "fuzz-aggregates"), dynamo,
                Clock.fixed(Instant.parse("2026-11-03T09:00:00Z"), ZoneOffset.UTC));
        MaintenanceWindowsHandler handler = new MaintenanceWindowsHandler(wiring.maintenanceWindows(),
                wiring.staleMarks());
        int[] byClass = MaintenanceWindowsFuzzTest.run(handler, new MaintenanceWindowFuzzEvents(seed), ITERATIONS,
                "seed " + seed);
        assertThat(byClass[2]).isGreaterThan(ITERATIONS / 10);
        MaintenanceWindowsFuzzTest.assertOnlyValidWindows(wiring.maintenanceWindows());
    }
}
