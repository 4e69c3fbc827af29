package dev.slaledger.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimsConfigTest {
    private static Map<String, String> env(String rate) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "eu-west-1", "LEDGER_TABLE", "ledger",
                "ACCOUNTS_TABLE", "accounts", "AGGREGATES_TABLE", "aggregates", "EVENT_BUS_NAME", "bus"));
        if (rate != null) {
            env.put("CLAIMS_RATE_PER_MINUTE", rate);
        }
        return env;
    }

    @Test
    @DisplayName("issue 15 item 2: CLAIMS_RATE_PER_MINUTE sets the per-account limit; absent or blank it is 60")
    void ratePerMinute() {
        assertThat(ClaimsConfig.fromEnvironment(env(null)).ratePerMinute()).isEqualTo(60);
        assertThat(ClaimsConfig.fromEnvironment(env(" ")).ratePerMinute()).isEqualTo(60);
        assertThat(ClaimsConfig.fromEnvironment(env("120")).ratePerMinute()).isEqualTo(120);
        assertThat(ClaimsConfig.fromEnvironment(env(" 1 ")).ratePerMinute()).isEqualTo(1);
    }

    @ParameterizedTest(name = "CLAIMS_RATE_PER_MINUTE=\"{0}\"")
    @DisplayName("issue 15 item 2: a rate that is not a whole number of at least 1 fails at start, naming the variable")
    @ValueSource(strings = {"0", "-5", "ten", "1.5", "99999999999"})
    void invalidRate(String rate) {
        assertThatThrownBy(() -> ClaimsConfig.fromEnvironment(env(rate)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CLAIMS_RATE_PER_MINUTE");
    }
}
