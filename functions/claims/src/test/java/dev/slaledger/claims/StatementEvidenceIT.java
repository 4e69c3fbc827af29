package dev.slaledger.claims;

import static dev.slaledger.claims.DynamoClaims.OCT;
import static dev.slaledger.claims.Responses.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbMaintenanceWindowRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.RequestCounter;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * S9.6 and S9.7 end to end on the engines' DynamoDB: the claims handler wired as in Lambda, traffic
 * through ingest's aggregate store, a fee through the account registry marked as the accounts
 * function marks it, a window stored and marked as the admin route does; the evidence and the
 * revisions read through the routes, and StatementCompensable's causes as the bus received them.
 */
@UsesEngines
class StatementEvidenceIT {
    private final RequestCounter requests = new RequestCounter();
    private DynamoClaims api;
    private StaleMarks staleMarks;
    private DynamoDbClient counted;

    @BeforeEach
    void tables() {
        counted = Engines.get().dynamoDb()
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(requests).build())
                .build();
        api = new DynamoClaims(counted);
        staleMarks = new StaleMarks(api.statements,
                new DynamoDbTermsRepository(counted, api.config.ledgerTable(), DefaultTerms.version()), api.clock);
        api.clock.set(Instant.parse("2026-11-03T09:00:00Z"));
    }

    @AfterEach
    void close() {
        api.close();
        counted.close();
    }

    private JsonNode get(String account, String path, String query) {
        APIGatewayV2HTTPEvent e = Requests.get(account, path);
        e.setRawQueryString(query);
        return body(api.call(e));
    }

    @Test
    @DisplayName("S9.6 the listed rates, page by page, sum exactly to errorRateSum; a window's intervals listed with its id")
    void evidenceOnTheEngines() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 40).errors("acme", 400, 7);
        DynamoDbMaintenanceWindowRepository windows = new DynamoDbMaintenanceWindowRepository(api.dynamo,
                api.config.ledgerTable());
        windows.save(new MaintenanceWindow("mw-ops-1", Instant.parse("2026-10-03T09:20:00Z"),
                Instant.parse("2026-10-03T09:45:00Z"), Instant.parse("2026-09-20T00:00:00Z"), Optional.empty()));
        JsonNode statement = get("acme", "/statements/2026-10", "");
        BigInteger num = BigInteger.ZERO;
        BigInteger den = BigInteger.ONE;
        int counted = 0;
        int excluded = 0;
        String cursor = null;
        int pages = 0;
        requests.reset();
        do {
            pages++;
            JsonNode page = get("acme", "/statements/2026-10/intervals", "limit=9"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("statement").get("upToDate").asBoolean()).isTrue();
            for (JsonNode iv : page.get("intervals")) {
                String[] r = iv.get("rate").asText().split("/");
                BigInteger d = new BigInteger(r[1]);
                num = num.multiply(d).add(new BigInteger(r[0]).multiply(den));
                den = den.multiply(d);
                counted++;
            }
            for (JsonNode iv : page.get("excluded")) {
                assertThat(iv.get("windowId").asText()).isEqualTo("mw-ops-1");
                excluded++;
            }
            cursor = page.get("cursor").isNull() ? null : page.get("cursor").asText();
        } while (cursor != null);
        assertThat(counted + excluded).isEqualTo(47);
        assertThat(excluded).isEqualTo(5); // 09:20, 09:25, 09:30, 09:35, 09:40 of October 3rd
        assertThat(new BigDecimal(num).divide(new BigDecimal(den), 18, RoundingMode.HALF_UP).toPlainString())
                .isEqualTo(statement.get("errorRateSum").asText());
        // nothing here writes a statement: the only write of a page is the caller's rate-limit counter
        assertThat(requests.count("PutItem") + requests.count("DeleteItem") + requests.count("TransactWriteItems"))
                .as("no statement written").isZero();
        assertThat(requests.count("UpdateItem")).as("one rate-limit take per request").isEqualTo(pages);
    }

    @Test
    @DisplayName("S9.7 revisions with causes on the engines: month-end, fee corrected (billing's event id), window recorded; StatementCompensable carries them")
    void causesOnTheEngines() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 60);
        assertThat(get("acme", "/statements/2026-10", "").get("revision").asInt()).isEqualTo(1);

        api.clock.set(Instant.parse("2026-11-04T10:00:00Z"));
        FeeAssessed corrected = new FeeAssessed("evt-fee-correction", "inv-acme", 2, "acme", OCT,
                MonthlyFee.of("1200.00", "0.00", "EUR"));
        DynamoDbAccountRepository registry = new DynamoDbAccountRepository(api.dynamo, api.config.accountsTable());
        staleMarks.billingEventApplied(corrected, registry.apply(corrected));
        assertThat(get("acme", "/statements/2026-10", "").get("revision").asInt()).isEqualTo(2);

        api.clock.set(Instant.parse("2026-11-05T10:00:00Z"));
        MaintenanceWindow w = new MaintenanceWindow("mw-9", Instant.parse("2026-10-02T00:00:00Z"),
                Instant.parse("2026-10-02T05:00:00Z"), Instant.parse("2026-09-01T00:00:00Z"), Optional.empty());
        new DynamoDbMaintenanceWindowRepository(api.dynamo, api.config.ledgerTable()).save(w);
        staleMarks.windowChanged(Optional.empty(), Optional.of(w));
        api.clock.set(Instant.parse("2026-11-05T11:00:00Z"));
        assertThat(get("acme", "/statements/2026-10", "").get("revision").asInt()).isEqualTo(3);

        JsonNode revisions = get("acme", "/statements/2026-10/revisions", "").get("revisions");
        assertThat(revisions).hasSize(3);
        assertThat(revisions.get(0).get("causes").get(0).get("kind").asText()).isEqualTo("month-end");
        JsonNode fee = revisions.get(1).get("causes").get(0);
        assertThat(fee.get("kind").asText()).isEqualTo("fee-corrected");
        assertThat(fee.get("eventId").asText()).isEqualTo("evt-fee-correction");
        assertThat(fee.get("at").asText()).isEqualTo("2026-11-04T10:00:00Z");
        assertThat(revisions.get(1).get("changes").findValuesAsText("field")).containsExactly("base", "voucherAmount");
        JsonNode window = revisions.get(2).get("causes").get(0);
        assertThat(window.get("kind").asText()).isEqualTo("window-recorded");
        assertThat(window.get("eventId").asText()).isEqualTo("mw-9");
        assertThat(revisions.get(2).get("changes").findValuesAsText("field"))
                .containsExactly("availability", "compensationPercent", "voucherAmount");

        Map<Integer, JsonNode> announced = new java.util.HashMap<>();
        api.events.details("StatementCompensable").forEach(d -> announced.put(d.get("revision").asInt(), d));
        assertThat(announced.get(2).get("causes").get(0).get("kind").asText()).isEqualTo("fee-corrected");
        assertThat(announced.get(1).get("causes").get(0).get("kind").asText()).isEqualTo("month-end");
    }

    @Test
    @DisplayName("S9.7 late traffic marked by ingest's rule carries the stream position of the first late record")
    void lateTraffic() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 10);
        get("acme", "/statements/2026-10", "");
        api.errors("acme", 100, 60);
        api.statements.markStale("acme", OCT, RevisionCause.lateTraffic("shardId-000000000001:4959", api.clock.instant()));
        get("acme", "/statements/2026-10", "");
        JsonNode cause = get("acme", "/statements/2026-10/revisions", "").get("revisions").get(1).get("causes").get(0);
        assertThat(cause.get("kind").asText()).isEqualTo("late-traffic");
        assertThat(cause.get("eventId").asText()).isEqualTo("shardId-000000000001:4959");
    }
}
