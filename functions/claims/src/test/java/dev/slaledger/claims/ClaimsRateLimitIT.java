package dev.slaledger.claims;

import static dev.slaledger.claims.Responses.problemType;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 15 item 2 on the DynamoDB of the {@code Engines} fixture, through the handler wired as in
 * Lambda ({@code DynamoDbRateLimiter} on the Ledger table): bursts of concurrent requests of one
 * account never get more than the limit granted in a minute.
 */
@UsesEngines
class ClaimsRateLimitIT {
    private static final int LIMIT = 10;
    private static final int BURST = 40;

    @Test
    @DisplayName("issue 15 item 2: 40 concurrent requests of one account in a minute, limit 10: exactly 10 pass, 30 are 429 with Retry-After; three minutes in a row; the counter item holds n = 10 and expires 5 minutes after its minute; another account is unaffected")
    void concurrentRequestsNeverExceedTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (DynamoClaims api = new DynamoClaims(LIMIT)) {
            api.account("acme", "1000.00", "0.00").errors("acme", 0, 50).account("globex", "500.00", "0.00");
            for (int minute = 0; minute < 3; minute++) {
                Instant now = Instant.parse("2026-11-10T08:00:20Z").plusSeconds(60L * minute);
                api.clock.set(now);
                List<APIGatewayV2HTTPResponse> answers = burst(api, pool);
                List<Integer> statuses = answers.stream().map(APIGatewayV2HTTPResponse::getStatusCode).toList();
                assertThat(statuses).as("minute " + minute).allMatch(s -> s < 500);
                assertThat(statuses.stream().filter(s -> s != 429)).as("minute " + minute).hasSize(LIMIT);
                assertThat(statuses.stream().filter(s -> s == 429)).as("minute " + minute).hasSize(BURST - LIMIT);
                for (APIGatewayV2HTTPResponse r : answers) {
                    if (r.getStatusCode() == 429) {
                        assertThat(problemType(r)).isEqualTo("rate-limited");
                        assertThat(r.getHeaders()).containsEntry("Retry-After", "40");
                    }
                }
                Map<String, AttributeValue> counter = api.dynamo.getItem(b -> b.tableName(api.config.ledgerTable())
                        .key(Map.of(LedgerTable.PK, AttributeValue.fromS("RATE#acme"), LedgerTable.SK,
                                AttributeValue.fromS("M#" + now.getEpochSecond() / 60)))
                        .consistentRead(true)).item();
                assertThat(counter.get("n").n()).isEqualTo(Integer.toString(LIMIT));
                assertThat(counter.get("expiresAt").n())
                        .isEqualTo(Long.toString((now.getEpochSecond() / 60 + 1) * 60 + 300));
                assertThat(api.call(Requests.get("globex", "/vouchers")).getStatusCode())
                        .as("another account, same minute").isEqualTo(200);
            }
            assertThat(api.claims.acceptedClaims("acme")).hasSize(1);
            assertThat(api.events.entries("VoucherIssued")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@value #BURST} requests of acme at once, all routes mixed, released together. */
    private static List<APIGatewayV2HTTPResponse> burst(DynamoClaims api, ExecutorService pool) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            APIGatewayV2HTTPEvent event = switch (i % 4) {
                case 0 -> Requests.postClaim("acme", "2026-10");
                case 1 -> Requests.get("acme", "/vouchers");
                case 2 -> Requests.get("acme", "/statements/2026-10");
                default -> Requests.get("acme", "/claims/no-such-claim");
            };
            Callable<APIGatewayV2HTTPResponse> call = () -> {
                go.await();
                return api.call(event);
            };
            futures.add(pool.submit(call));
        }
        go.countDown();
        List<APIGatewayV2HTTPResponse> out = new ArrayList<>();
        for (Future<APIGatewayV2HTTPResponse> f : futures) {
            out.add(f.get());
        }
        return out;
    }
}
