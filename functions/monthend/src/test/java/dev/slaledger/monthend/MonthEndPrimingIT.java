package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.priming.Priming;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@UsesEngines
class MonthEndPrimingIT {
    private static DynamoDbClient dynamo;
    private static MonthEndWiring wiring;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, "MonthEndPrimingIT-ledger");
        AccountsTable.create(dynamo, "MonthEndPrimingIT-accounts");
        DynamoDbAggregateStore.createTable(dynamo, "MonthEndPrimingIT-aggregates");
        wiring = new MonthEndWiring(Map.of("AWS_REGION", "eu-west-1", "LEDGER_TABLE", "MonthEndPrimingIT-ledger",
                "ACCOUNTS_TABLE", "MonthEndPrimingIT-accounts", "AGGREGATES_TABLE", "MonthEndPrimingIT-aggregates"), dynamo,
                Clock.fixed(Instant.parse("2026-11-01T00:30:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static void assertNothingWritten() {
        for (String table : List.of("MonthEndPrimingIT-ledger", "MonthEndPrimingIT-accounts", "MonthEndPrimingIT-aggregates")) {
            assertThat(dynamo.scan(s -> s.tableName(table)).count()).as(table).isZero();
        }
    }

    @Test
    @DisplayName("month-end fan-out priming handles the bundled schedule event on canned clients, writes and sends nothing")
    void fanOut() {
        Priming.Report report = Priming.of("month-end", wiring.fanOutPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }

    @Test
    @DisplayName("statement worker priming handles the bundled SQS event on canned clients, writes and publishes nothing")
    void worker() {
        Priming.Report report = Priming.of("statement-worker", wiring.workerPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }

    @Test
    @DisplayName("S7.2 restatement priming runs the restatement on canned clients, writes and sends nothing")
    void restatement() {
        Priming.Report report = Priming.of("restatement", wiring.restatementPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }

    @Test
    @DisplayName("maintenance-window priming handles the bundled admin request on a canned client, writes nothing")
    void maintenanceWindows() {
        Priming.Report report = Priming.of("maintenance-windows", wiring.maintenanceWindowsPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }

    @Test
    @DisplayName("S7.6 outbox sweep priming sweeps on canned clients and puts sample events on a canned EventBridge client, writes and publishes nothing")
    void outboxSweep() {
        Priming.Report report = Priming.of("outbox-sweep", wiring.outboxSweepPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(3);
        assertNothingWritten();
    }

    @Test
    @DisplayName("S9.8 forecast fan-out priming handles the bundled schedule event on canned clients, writes and sends nothing")
    void forecast() {
        Priming.Report report = Priming.of("forecast", wiring.forecastPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }

    @Test
    @DisplayName("S9.8 forecast worker priming handles the bundled SQS event on canned clients, writes and publishes nothing")
    void forecastWorker() {
        Priming.Report report = Priming.of("forecast-worker", wiring.forecastWorkerPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }

    @Test
    @DisplayName("S9.8 forecast admin route priming handles the bundled GET /admin/forecast on a canned client, writes nothing")
    void forecastApi() {
        Priming.Report report = Priming.of("forecast-api", wiring.forecastApiPriming()).run();
        assertThat(report.failed()).isEmpty();
        assertThat(report.completed()).hasSize(2);
        assertNothingWritten();
    }
}
