package dev.slaledger.claims;

import static dev.slaledger.claims.DynamoClaims.OCT;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.LoopbackEventBridge;
import dev.slaledger.testkit.UsesEngines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 6.1/S4.4: many identical claims at once give exactly one voucher and one VoucherIssued event. */
@UsesEngines
class ClaimsConcurrencyIT {
    private static final int PARALLEL = 50;

    private static List<APIGatewayV2HTTPResponse> fire(DynamoClaims api,
            Supplier<com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                var event = request.get();
                futures.add(pool.submit(() -> {
                    go.await();
                    return api.call(event);
                }));
            }
            go.countDown();
            List<APIGatewayV2HTTPResponse> out = new ArrayList<>();
            for (Future<APIGatewayV2HTTPResponse> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("S4.4 50 identical POST /claims in parallel (statement not yet computed): one 201, 49 x 200 with the same claim, one voucher, one VoucherIssued")
    void fiftyIdenticalClaims() throws Exception {
        try (DynamoClaims api = new DynamoClaims()) {
            api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
            List<APIGatewayV2HTTPResponse> responses = fire(api, () -> EventFiles.load("post-claim.json"));

            Map<Integer, Integer> statuses = new HashMap<>();
            Set<String> claimIds = new HashSet<>();
            for (APIGatewayV2HTTPResponse r : responses) {
                statuses.merge(r.getStatusCode(), 1, Integer::sum);
                claimIds.add(Responses.body(r).get("claimId").asText());
                assertThat(Responses.body(r).get("voucherAmount").asText()).isEqualTo("100.00");
            }
            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1, 200, PARALLEL - 1));
            assertThat(claimIds).hasSize(1);
            assertThat(api.claims.acceptedClaims("acme")).hasSize(1);
            assertThat(api.events.entries("VoucherIssued")).hasSize(1);
            assertThat(LoopbackEventBridge.detail(api.events.entries("VoucherIssued").get(0)).get("claimId").asText())
                    .isEqualTo(claimIds.iterator().next());
            assertThat(api.statements.history("acme", OCT)).as("the racing recomputations stored one revision")
                    .hasSize(1);
        }
    }

    @Test
    @DisplayName("S4.4 50 parallel claims with the same Idempotency-Key: one runs, the others replay it or are told it is running; one voucher")
    void fiftyWithOneKey() throws Exception {
        try (DynamoClaims api = new DynamoClaims()) {
            api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
            List<APIGatewayV2HTTPResponse> responses = fire(api,
                    () -> EventFiles.load("post-claim-idempotency-key.json"));
            Set<String> claimIds = new HashSet<>();
            int created = 0;
            for (APIGatewayV2HTTPResponse r : responses) {
                assertThat(r.getStatusCode()).isIn(201, 409);
                if (r.getStatusCode() == 201) {
                    created++;
                    claimIds.add(Responses.body(r).get("claimId").asText());
                }
            }
            assertThat(created).isPositive();
            assertThat(claimIds).hasSize(1);
            assertThat(api.claims.acceptedClaims("acme")).hasSize(1);
            assertThat(api.events.entries("VoucherIssued")).hasSize(1);
        }
    }
}
