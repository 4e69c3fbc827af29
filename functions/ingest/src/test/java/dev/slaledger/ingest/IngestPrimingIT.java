package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

class IngestPrimingIT {

    @Test
    @DisplayName("SnapStart priming runs a sample D1 batch on canned clients and writes nothing to the real tables")
    void primingCompletesWithoutWriting() {
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create();
        try (DynamoDbClient dynamo = local.dynamoDbClient()) {
            LedgerTable.create(dynamo, "ledger");
            DynamoDbAggregateStore.createTable(dynamo, "aggregates");
            DynamoDbQuarantineStore.createTable(dynamo, "quarantine");
            IngestConfig config = IngestConfig.of("aggregates", "quarantine", "ledger");
            Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:07:00Z"), ZoneOffset.UTC);

            Priming.Report report = Priming.of("ingest",
                    new IngestWiring(config, dynamo, clock).priming()).run();

            assertThat(report.failed()).isEmpty();
            assertThat(report.completed()).hasSize(2);
            for (String table : List.of("ledger", "aggregates", "quarantine")) {
                assertThat(dynamo.scan(s -> s.tableName(table)).count()).as(table).isZero();
            }
        } finally {
            local.shutdown();
        }
    }

    @Test
    @DisplayName("the priming sample is a valid D1 record of the current interval (accepted, not quarantined)")
    void sampleIsAccepted() {
        Instant now = Instant.parse("2026-11-24T10:07:00Z");
        StreamRecord record = IngestHandler.toStreamRecord(IngestHandler.sampleRecord(now));
        RequestRecordParser.Result result = new RequestRecordParser(Duration.ofDays(190))
                .parse(record.data(), 0, record.data().length, now);
        assertThat(result).isInstanceOf(RequestRecordParser.Accepted.class);
    }
}
