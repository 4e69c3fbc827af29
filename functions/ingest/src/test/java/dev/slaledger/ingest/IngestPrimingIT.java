package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.priming.Priming;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@UsesEngines
class IngestPrimingIT {

    @Test
    @DisplayName("SnapStart priming runs a sample D1 batch on canned clients and writes nothing to the real tables")
    void primingCompletesWithoutWriting() {
        try (DynamoDbClient dynamo = Engines.get().dynamoDbClient()) {
            LedgerTable.create(dynamo, "IngestPrimingIT-ledger");
            DynamoDbAggregateStore.createTable(dynamo, "IngestPrimingIT-aggregates");
            DynamoDbQuarantineStore.createTable(dynamo, "IngestPrimingIT-quarantine");
            IngestConfig config = IngestConfig.of("IngestPrimingIT-aggregates", "IngestPrimingIT-quarantine", "IngestPrimingIT-ledger");
            Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:07:00Z"), ZoneOffset.UTC);

            Priming.Report report = Priming.of("ingest-windowed",
                    new IngestWiring(config, dynamo, clock).priming()).run();

            assertThat(report.failed()).isEmpty();
            assertThat(report.completed()).hasSize(2);
            for (String table : List.of("IngestPrimingIT-ledger", "IngestPrimingIT-aggregates", "IngestPrimingIT-quarantine")) {
                assertThat(dynamo.scan(s -> s.tableName(table)).count()).as(table).isZero();
            }
        }
    }

    @Test
    @DisplayName("the priming sample is a valid D1 record of the current interval (accepted, not quarantined)")
    void sampleIsAccepted() {
        Instant now = Instant.parse("2026-11-24T10:07:00Z");
        StreamRecord record = WindowedIngestHandler.toStreamRecord(WindowedIngestHandler.sampleRecord(now));
        RequestRecordParser.Result result = new RequestRecordParser(Duration.ofDays(190))
                .parse(record.data(), 0, record.data().length, now);
        assertThat(result).isInstanceOf(RequestRecordParser.Accepted.class);
    }
}
