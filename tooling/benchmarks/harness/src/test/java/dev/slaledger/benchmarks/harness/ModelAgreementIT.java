package dev.slaledger.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 27 item 6, kept honest in every build: the rehearsal's model of each scheduled job (month-end,
 * outbox sweep, restatement, window marking, change notices) against the same job's real code on the
 * engines (moto, ElasticMQ, the SES emulator) with the real adapters, requests counted per account. The
 * 2,000-account run and its table are in docs/benchmarks.md; this is the same harness at 200 accounts.
 */
class ModelAgreementIT {
    @Test
    @DisplayName("S9.1 issue 27.6 every job's requests per account in the rehearsal's model are within 10% of the engines' (200 accounts)")
    void theModelAgreesWithTheEngines() throws Exception {
        Map<String, Double> ratios = ModelAgreementHarness.agreement(200);

        assertThat(ratios).containsOnlyKeys("month-end", "outbox sweep, nothing pending", "daily restatement, 1% stale",
                "maintenance window for all accounts", "change notices");
        ratios.forEach((job, ratio) -> assertThat(ModelAgreementHarness.within10Percent(ratio))
                .as("%s: rehearsal / engines = %.3f", job, ratio).isTrue());
    }
}
