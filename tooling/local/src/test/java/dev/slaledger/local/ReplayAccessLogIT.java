package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: {@code replay --traffic-format apigw-access-log} on {@code examples/access-log.jsonl}
 * (API Gateway access-log lines), each line through ingest as a CloudWatch Logs subscription
 * payload, worked out by hand:
 * <ul>
 * <li>acme 2026-10-05 10:00: 200, 502 (integration failure), 504 (integration timeout) -> r = 2/3;
 *     10:05: 429, 404 -> 0 (S2.5); 2026-10-06 08:00: 500 -> 1. A = 1 - (5/3)/8928 = 99.9813 %</li>
 * <li>globex 2026-10-07 12:00: 200, 200, 200, 503 -> 1/4. A = 1 - 0.25/8928 = 99.9971 %</li>
 * <li>an unauthenticated 401 (claim "-") and a line in another format: quarantined</li>
 * </ul>
 */
class ReplayAccessLogIT {
    private static final Path OUT = Path.of("target", "replay-access-log-it");

    private static ReplayCli replayed;
    private static Map<String, JsonNode> byAccount;

    @BeforeAll
    static void replay() throws Exception {
        replayed = ReplayCli.runExamplesInto(OUT, "terms.json", "accounts.json", "access-log.jsonl",
                "--traffic-format", "apigw-access-log",
                "--month", "2026-10", "--now", "2026-11-10T08:00:00Z");
        byAccount = replayed.statementsByAccount(OUT);
    }

    @Test
    @DisplayName("S2.3 S2.5 access-log lines count as in production: API Gateway's 502/504 and 500 are errors, 429 and 404 not")
    void statements() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(byAccount.get("acme").get("availability").asText()).isEqualTo("99.9813");
        assertThat(byAccount.get("globex").get("availability").asText()).isEqualTo("99.9971");
        assertThat(byAccount.get("initech").get("availability").asText()).isEqualTo("100.0000");
    }

    @Test
    @DisplayName("D1 lines the mapping cannot read are quarantined by line number and reason; records in = aggregated + quarantined")
    void quarantine() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(replayed.result().ingest().recordsIn()).isEqualTo(12);
        assertThat(replayed.result().ingest().aggregated()).isEqualTo(10);
        assertThat(replayed.result().ingest().quarantined()).isEqualTo(2);
        assertThat(replayed.result().quarantined()).extracting(q -> q.label() + " " + q.reason())
                .containsExactly("line 11 MISSING_ACCOUNT_ID", "line 12 NOT_JSON");
    }

    @Test
    @DisplayName("an unknown --traffic-format is refused with the two it takes")
    void unknownFormat() {
        ReplayCli run = ReplayCli.run("--terms", "t", "--accounts", "a", "--traffic", "r",
                "--traffic-format", "clf", "--month", "2026-10", "--out", "o");
        assertThat(run.exit()).isNotZero();
        assertThat(run.console()).contains("d1 or apigw-access-log");
    }
}
