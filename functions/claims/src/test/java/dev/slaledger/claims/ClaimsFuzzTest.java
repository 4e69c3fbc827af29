package dev.slaledger.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.testkit.HttpApiFuzz;
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
    /** Low, so that the generator's bursts (requests seconds apart) meet the rate limit (issue 15). */
    static final int RATE_PER_MINUTE = 3;

    @ParameterizedTest(name = "seed {0}")
    @DisplayName("issue 6.2 fuzz: random bodies, headers, paths, methods, base64 flags and auth contexts never give a 5xx (issue 15: on the shared generator, with bursts meeting the rate limit)")
    @ValueSource(longs = {20261110L, 7L, 424242L})
    void neverA5xx(long seed) {
        InMemoryClaims api = new InMemoryClaims(RATE_PER_MINUTE)
                .account("acme", "1000.00", "0.00").errors("acme", 50)
                .account("globex", "500.00", "0.00").errors("globex", 600)
                .account("paid", "100.00", "100.00").errors("paid", 50);
        FuzzEvents fuzz = new FuzzEvents(seed);
        int[] byClass = new int[6];
        int limited = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            api.clock.set(fuzz.instant());
            APIGatewayV2HTTPEvent event = fuzz.next();
            APIGatewayV2HTTPResponse r = api.call(event);
            check(r, "seed " + seed + " iteration " + i);
            ownAccountOnly(event, r, "seed " + seed + " iteration " + i);
            byClass[r.getStatusCode() / 100]++;
            limited += r.getStatusCode() == 429 ? 1 : 0;
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
        assertThat(limited).as("issue 15: some bursts met the rate limit").isGreaterThan(0);
    }

    /**
     * S9.6/S9.7 and every route: a 200 that names an account names the caller's (the token's
     * {@code sub}): another account's statement, evidence or revisions are never visible.
     */
    static void ownAccountOnly(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse r, String where) {
        if (r.getStatusCode() != 200 || r.getBody() == null || event == null || event.getRequestContext() == null
                || event.getRequestContext().getAuthorizer() == null
                || event.getRequestContext().getAuthorizer().getJwt() == null
                || event.getRequestContext().getAuthorizer().getJwt().getClaims() == null) {
            return;
        }
        String caller = event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub");
        try {
            com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(r.getBody());
            if (body.has("accountId")) {
                assertThat(body.get("accountId").asText()).as(where + ": the caller's own account").isEqualTo(caller);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(where + ": a 200 that is not JSON", e);
        }
    }

    /** Below 500; a 4xx is a problem+json with a type and its status; a 2xx is JSON (shared by every route's fuzz). */
    static void check(APIGatewayV2HTTPResponse r, String where) {
        HttpApiFuzz.assertAnswer(r, Problem.TYPE_BASE, where);
        if (r.getStatusCode() < 400) {
            assertThat(r.getBody()).as(where + ": every claims answer has a body").isNotNull();
        }
    }
}
