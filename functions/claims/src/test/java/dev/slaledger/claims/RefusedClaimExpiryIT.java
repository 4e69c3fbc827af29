package dev.slaledger.claims;

import static dev.slaledger.claims.Responses.body;
import static dev.slaledger.claims.Responses.problemType;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 15 item 1 on the DynamoDB of the {@code Engines} fixture, through the handler wired as in
 * Lambda: a refused claim's item carries the Ledger table's TTL attribute {@code expiresAt}
 * (epoch seconds, 90 days after the decision), an accepted claim's items never do, and an expired
 * refused claim is a 404 even while its item is still there (TTL deletes within days).
 */
@UsesEngines
class RefusedClaimExpiryIT {

    @Test
    @DisplayName("issue 15 item 1: a refused claim's item expires (expiresAt = decision + 90 days, epoch seconds); expired it is a 404 like an unknown claim; accepted claims never expire")
    void refusedClaimsExpire() {
        try (DynamoClaims api = new DynamoClaims()) {
            api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
            Instant decided = Instant.parse("2026-11-08T23:59:59Z");
            api.clock.set(decided);
            APIGatewayV2HTTPResponse early = api.call(Requests.postClaim("acme", "2026-10"));
            assertThat(early.getStatusCode()).isEqualTo(201);
            JsonNode refused = body(early);
            assertThat(refused.get("reason").asText()).isEqualTo("TOO_EARLY");
            String refusedId = refused.get("claimId").asText();
            Instant expiry = decided.plus(Duration.ofDays(90));
            assertThat(item(api, "ID#" + refusedId).get("expiresAt"))
                    .isEqualTo(AttributeValue.fromN(Long.toString(expiry.getEpochSecond())));

            api.clock.set(Instant.parse("2026-11-09T00:00:00Z"));
            JsonNode accepted = body(api.call(Requests.postClaim("acme", "2026-10")));
            assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
            String acceptedId = accepted.get("claimId").asText();
            assertThat(item(api, "ID#" + acceptedId)).isNotEmpty().doesNotContainKey("expiresAt");
            assertThat(item(api, "M#2026-10")).isNotEmpty().doesNotContainKey("expiresAt");

            api.clock.set(expiry.minusSeconds(1));
            APIGatewayV2HTTPResponse before = api.call(Requests.get("acme", "/claims/" + refusedId));
            assertThat(before.getStatusCode()).isEqualTo(200);
            assertThat(body(before)).isEqualTo(refused);

            api.clock.set(expiry);
            APIGatewayV2HTTPResponse after = api.call(Requests.get("acme", "/claims/" + refusedId));
            assertThat(after.getStatusCode()).isEqualTo(404);
            assertThat(problemType(after)).isEqualTo("claim-not-found");
            assertThat(body(after)).isEqualTo(body(api.call(Requests.get("acme", "/claims/no-such-claim"))));
            assertThat(item(api, "ID#" + refusedId)).as("not deleted yet: TTL is lazy").isNotEmpty();

            api.clock.set(Instant.parse("2036-01-01T00:00:00Z"));
            APIGatewayV2HTTPResponse years = api.call(Requests.get("acme", "/claims/" + acceptedId));
            assertThat(years.getStatusCode()).isEqualTo(200);
            assertThat(body(years)).isEqualTo(accepted);
        }
    }

    private static Map<String, AttributeValue> item(DynamoClaims api, String sk) {
        return api.dynamo.getItem(b -> b.tableName(api.config.ledgerTable())
                .key(Map.of(LedgerTable.PK, AttributeValue.fromS("CLAIM#acme"), LedgerTable.SK, AttributeValue.fromS(sk)))
                .consistentRead(true)).item();
    }
}
