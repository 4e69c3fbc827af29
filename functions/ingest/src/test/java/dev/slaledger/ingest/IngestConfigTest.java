package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
    private static final Map<String, String> TABLES = Map.of("AGGREGATES_TABLE", "a", "QUARANTINE_TABLE", "q",
            "LEDGER_TABLE", "l");

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = new java.util.HashMap<>(TABLES);
        env.put(name, value);
        return env;
    }

    @Test
    @DisplayName("S7.4 retention is not configured in days: only the margin after the claim window (default 92 days)")
    void marginOnly() {
        assertThat(IngestConfig.fromEnvironment(TABLES).retentionMargin()).isEqualTo(Duration.ofDays(92));
        assertThat(IngestConfig.fromEnvironment(with("RETENTION_MARGIN_DAYS", "30")).retentionMargin())
                .isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(with("RETENTION_MARGIN_DAYS", "0")))
                .hasMessageContaining("at least 1");
    }

    @Test
    @DisplayName("S7.4 the old fixed retentions (a constant that could drift from the terms) are refused, not silently ignored")
    void oldSettingsRefused() {
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(with("AGGREGATE_RETENTION_DAYS", "190")))
                .hasMessageContaining("AGGREGATE_RETENTION_DAYS is no longer read");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(with("QUARANTINE_RETENTION_DAYS", "90")))
                .hasMessageContaining("QUARANTINE_RETENTION_DAYS is no longer read");
    }
}
