package dev.slaledger.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.claim.Claim;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6.2: no client mistake ever yields a 5xx. Random and mutated requests (seeded: a failure
 * names its seed and iteration and replays exactly) against the handler on the in-memory ports;
 * every answer is below 500, every 4xx is a problem+json whose status matches, and S4.4 holds
 * throughout (one accepted claim per account and month, one announcement per voucher).
 */
class ClaimsFuzzTest {
    static final int ITERATIONS = 2_500;

    @ParameterizedTest(name = "seed {0}")
    @DisplayName("issue 6.2 fuzz: random bodies, headers, paths, methods, base64 flags and auth contexts never give a 5xx")
    @ValueSource(longs = {20261110L, 7L, 424242L})
    void neverA5xx(long seed) {
        InMemoryClaims api = new InMemoryClaims()
                .account("acme", "1000.00", "0.00").errors("acme", 50)
                .account("globex", "500.00", "0.00").errors("globex", 600)
                .account("paid", "100.00", "100.00").errors("paid", 50);
        FuzzEvents fuzz = new FuzzEvents(seed);
        int[] byClass = new int[6];
        for (int i = 0; i < ITERATIONS; i++) {
            api.clock.set(fuzz.instant());
            APIGatewayV2HTTPEvent event = fuzz.next();
            APIGatewayV2HTTPResponse r = api.call(event);
            check(r, "seed " + seed + " iteration " + i);
            byClass[r.getStatusCode() / 100]++;
        }
        Set<String> announcedIds = new HashSet<>();
        for (Claim c : api.announced) {
            assertThat(announcedIds.add(c.claimId())).as("announced once: " + c.claimId()).isTrue();
        }
        for (String account : FuzzEvents.ACCOUNTS) {
            assertThat(api.claims.acceptedClaims(account)).extracting(Claim::month).doesNotHaveDuplicates();
        }
        assertThat(byClass[2]).as("some requests were well-formed").isGreaterThan(ITERATIONS / 20);
        assertThat(byClass[4]).as("most were not").isGreaterThan(ITERATIONS / 2);
    }

    static void check(APIGatewayV2HTTPResponse r, String where) {
        assertThat(r.getStatusCode()).as(where + ": " + r.getBody()).isBetween(200, 499);
        if (r.getStatusCode() >= 400) {
            assertThat(r.getHeaders()).as(where).containsEntry("Content-Type", "application/problem+json");
            JsonNode p = Responses.body(r);
            assertThat(p.get("status").asInt()).as(where).isEqualTo(r.getStatusCode());
            assertThat(p.get("type").asText()).as(where).startsWith(Problem.TYPE_BASE);
        } else {
            Responses.body(r); // valid JSON
        }
    }
}
