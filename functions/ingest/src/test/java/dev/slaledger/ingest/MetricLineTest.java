package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricLineTest {
    @Test
    @DisplayName("Issue 3.4 the per-batch metric line is valid EMF JSON with the conservation counts and no account data")
    void embeddedMetricFormat() throws Exception {
        BatchOutcome outcome = new BatchOutcome(13, 10, 2, 2, 1, 4, 5, 1, 0, Map.of("shardId-000000000000", "42"));
        String line = MetricLine.of(outcome, Instant.parse("2026-10-03T12:10:00Z"));

        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.at("/_aws/Timestamp").asLong()).isEqualTo(Instant.parse("2026-10-03T12:10:00Z").toEpochMilli());
        assertThat(json.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("SlaLedger/Ingest");
        assertThat(json.at("/_aws/CloudWatchMetrics/0/Metrics")).hasSize(10);
        assertThat(json.get("ControlMessages").asInt()).isZero(); // issue 21: CloudWatch Logs control messages
        assertThat(json.get("RecordsIn").asInt())
                .isEqualTo(json.get("Aggregated").asInt() + json.get("Quarantined").asInt() + json.get("Failed").asInt());
        assertThat(line).doesNotContain("shardId").doesNotContain("accountId");
    }

    @Test
    @DisplayName("Issue 3.4 an outcome that loses a record cannot be built")
    void conservationIsEnforced() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new BatchOutcome(13, 10, 0, 2, 0, 4, 5, 1, 0, Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }
}
