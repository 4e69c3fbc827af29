package dev.slaledger.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.LoopbackEventBridge;
import dev.slaledger.testkit.UsesEngines;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fuzz of {@link ClaimsFuzzTest} against the real adapters on the engines' DynamoDB: hostile
 * account ids, claim ids and idempotency keys reach DynamoDB keys here, where a value DynamoDB
 * refuses would surface as a 5xx.
 */
@UsesEngines
class ClaimsFuzzIT {
    private static final int ITERATIONS = 800;

    @Test
    @DisplayName("issue 6.2 fuzz on the engines' DynamoDB: no client mistake gives a 5xx; S4.4 holds")
    void neverA5xx() {
        long seed = 20261124L;
        try (DynamoClaims api = new DynamoClaims()) {
            api.account("acme", "1000.00", "0.00").errors("acme", 0, 50)
                    .account("globex", "500.00", "0.00").errors("globex", 0, 600)
                    .account("paid", "100.00", "100.00").errors("paid", 0, 50);
            FuzzEvents fuzz = new FuzzEvents(seed);
            for (int i = 0; i < ITERATIONS; i++) {
                api.clock.set(fuzz.instant());
                APIGatewayV2HTTPResponse r = api.call(fuzz.next());
                ClaimsFuzzTest.check(r, "seed " + seed + " iteration " + i);
            }
            for (String account : FuzzEvents.ACCOUNTS) {
                assertThat(api.claims.acceptedClaims(account)).extracting(Claim::month).doesNotHaveDuplicates();
            }
            assertThat(api.events.entries("VoucherIssued"))
                    .extracting(e -> LoopbackEventBridge.detail(e).get("claimId").asText()).doesNotHaveDuplicates();
        }
    }
}
