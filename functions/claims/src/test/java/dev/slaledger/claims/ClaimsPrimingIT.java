package dev.slaledger.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.lambda.http.ApiRequest;
import dev.slaledger.lambda.http.HttpApi;
import dev.slaledger.priming.Priming;
import dev.slaledger.priming.SampleEvents;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@UsesEngines
class ClaimsPrimingIT {

    @Test
    @DisplayName("S5 SnapStart priming handles the bundled claim on canned clients: no claim, statement or key stored")
    void primingCompletesWithoutWriting() {
        ClaimsConfig config = new ClaimsConfig("eu-west-1", "ClaimsPrimingIT-ledger", "ClaimsPrimingIT-accounts",
                "ClaimsPrimingIT-aggregates", "sla-ledger",
                ClaimsConfig.DEFAULT_ACCOUNT_CLAIM);
        try (DynamoDbClient dynamo = Engines.get().dynamoDbClient()) {
            DynamoClaims.createTables(dynamo, config);

            Priming.Report report = Priming.of("claims", ClaimsWiring.priming(config, dynamo)).run();

            assertThat(report.failed()).isEmpty();
            assertThat(report.completed()).hasSize(2);
            for (String table : List.of("ClaimsPrimingIT-ledger", "ClaimsPrimingIT-accounts", "ClaimsPrimingIT-aggregates")) {
                assertThat(dynamo.scan(s -> s.tableName(table)).count()).as(table).isZero();
            }
        }
    }

    @Test
    @DisplayName("the priming sample is the real POST /claims event with its JWT claims (an unauthenticated sample would prime only the 401)")
    void sampleCarriesTheCallersAccount() {
        var event = SampleEvents.httpApi(ClaimsWiring.class, ClaimsWiring.SAMPLE_EVENT);
        ApiRequest request = HttpApi.request(event);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/claims");
        assertThat(request.jwtClaims()).containsEntry("sub", "acme");
        assertThat(request.body()).contains("2026-10");
    }
}
