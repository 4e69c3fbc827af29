package dev.slaledger.claims;

import static dev.slaledger.claims.DynamoClaims.OCT;
import static dev.slaledger.claims.Responses.body;
import static dev.slaledger.claims.Responses.problemType;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.testkit.LoopbackEventBridge;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The claims function as wired in Lambda, on the DynamoDB of the {@code Engines} fixture, end to end. */
@UsesEngines
class ClaimsHandlerIT {
    private DynamoClaims api;

    @BeforeEach
    void tables() {
        api = new DynamoClaims();
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    @DisplayName("S5.3 end to end: NO_SERVICE_PERIOD, TOO_EARLY, TOO_LATE, SLA_MET in that order, then accepted once with one VoucherIssued")
    void s53Order() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 50).account("calm", "1000.00", "0.00");

        assertThat(body(api.call(Requests.postClaim("acme", "2026-09"))).get("reason").asText())
                .isEqualTo("NO_SERVICE_PERIOD");
        assertThat(body(api.call(Requests.postClaim("stranger", "2026-10"))).get("reason").asText())
                .isEqualTo("NO_SERVICE_PERIOD");
        api.clock.set(Instant.parse("2026-11-08T23:59:59Z"));
        JsonNode early = body(api.call(Requests.postClaim("acme", "2026-10")));
        assertThat(early.get("reason").asText()).isEqualTo("TOO_EARLY");
        assertThat(early.get("opensAt").asText()).isEqualTo("2026-11-09T00:00Z");
        api.clock.set(Instant.parse("2027-01-01T00:00:00Z"));
        JsonNode late = body(api.call(Requests.postClaim("acme", "2026-10")));
        assertThat(late.get("reason").asText()).isEqualTo("TOO_LATE");
        assertThat(late.get("closedAt").asText()).isEqualTo("2027-01-01T00:00Z");
        api.clock.set(Instant.parse("2026-11-09T00:00:00Z"));
        assertThat(body(api.call(Requests.postClaim("calm", "2026-10"))).get("reason").asText()).isEqualTo("SLA_MET");
        assertThat(api.events.entries("VoucherIssued")).isEmpty();

        APIGatewayV2HTTPResponse accepted = api.call(EventFiles.load("post-claim.json"));
        assertThat(accepted.getStatusCode()).isEqualTo(201);
        JsonNode claim = body(accepted);
        assertThat(claim.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(claim.get("voucherAmount").asText()).isEqualTo("100.00");
        APIGatewayV2HTTPResponse again = api.call(EventFiles.load("post-claim.json"));
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(body(again)).isEqualTo(claim);

        assertThat(api.events.entries("VoucherIssued")).hasSize(1);
        JsonNode entry = api.events.entries("VoucherIssued").get(0);
        assertThat(entry.get("Source").asText()).isEqualTo("sla-ledger");
        assertThat(entry.get("EventBusName").asText()).isEqualTo("sla-bus");
        JsonNode detail = LoopbackEventBridge.detail(entry);
        assertThat(detail.get("claimId").asText()).isEqualTo(claim.get("claimId").asText());
        assertThat(detail.get("accountId").asText()).isEqualTo("acme");
        assertThat(detail.get("month").asText()).isEqualTo("2026-10");
        assertThat(detail.get("amount").asText()).isEqualTo("100.00");
        assertThat(detail.get("currency").asText()).isEqualTo("EUR");
        assertThat(detail.get("statementRevision").asInt()).isEqualTo(1);

        assertThat(body(api.call(Requests.get("acme", "/claims/" + early.get("claimId").asText()))))
                .as("a refused claim stays readable").isEqualTo(early);
        assertThat(api.call(Requests.get("calm", "/claims/" + claim.get("claimId").asText())).getStatusCode())
                .isEqualTo(404);
    }

    @Test
    @DisplayName("issue 6.3 a missing statement is computed and stored by the claim (revision 1), with the month-end's StatementCompensable event")
    void missingStatementComputed() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
        assertThat(api.statements.latest("acme", OCT)).isEmpty();
        JsonNode claim = body(api.call(EventFiles.load("post-claim.json")));
        assertThat(claim.get("statementRevision").asInt()).isEqualTo(1);
        assertThat(api.statements.history("acme", OCT)).hasSize(1);
        assertThat(api.events.entries("StatementCompensable")).hasSize(1);
    }

    @Test
    @DisplayName("issue 6.3 a stale statement (late data) is recomputed before the claim is decided")
    void staleRecomputed() {
        api.account("acme", "1000.00", "0.00");
        JsonNode before = body(api.call(EventFiles.load("get-statement.json")));
        assertThat(before.get("compensationPercent").asText()).isEqualTo("0");
        api.errors("acme", 0, 50);
        api.statements.markStale("acme", OCT); // what ingest does on late data

        JsonNode claim = body(api.call(EventFiles.load("post-claim.json")));
        assertThat(claim.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(claim.get("statementRevision").asInt()).isEqualTo(2);
        assertThat(claim.get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(api.statements.staleMark("acme", OCT)).isEmpty();
    }

    @Test
    @DisplayName("S5.5 a statement revised after the voucher (late data) is a new revision; the issued voucher never changes")
    void revisedAfterVoucher() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
        JsonNode claim = body(api.call(EventFiles.load("post-claim.json")));

        api.errors("acme", 50, 150); // 200 failed intervals: A = 97.76%, the 25% tier
        api.statements.markStale("acme", OCT);
        JsonNode statement = body(api.call(EventFiles.load("get-statement.json")));
        assertThat(statement.get("revision").asInt()).isEqualTo(2);
        assertThat(statement.get("voucherAmount").asText()).isEqualTo("250.00");
        assertThat(api.statements.history("acme", OCT)).hasSize(2);

        APIGatewayV2HTTPResponse again = api.call(EventFiles.load("post-claim.json"));
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(body(again)).isEqualTo(claim);
        assertThat(body(again).get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(body(again).get("statementRevision").asInt()).isEqualTo(1);
        JsonNode vouchers = body(api.call(EventFiles.load("get-vouchers.json"))).get("vouchers");
        assertThat(vouchers).hasSize(1);
        assertThat(vouchers.get(0).get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(api.events.entries("VoucherIssued")).hasSize(1);
    }

    @Test
    @DisplayName("Idempotency-Key on DynamoDB: replayed with the same request, 422 with another")
    void idempotency() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
        APIGatewayV2HTTPResponse first = api.call(EventFiles.load("post-claim-idempotency-key.json"));
        APIGatewayV2HTTPResponse replay = api.call(EventFiles.load("post-claim-idempotency-key.json"));
        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo(first.getBody());
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        var other = EventFiles.load("post-claim-idempotency-key.json");
        other.setBody("{\"month\":\"2026-12\"}");
        assertThat(problemType(api.call(other))).isEqualTo("idempotency-key-reused");
    }

    @Test
    @DisplayName("EventBridge refusing: 503 with the accepted claim; the repeated request announces it once")
    void eventBridgeDown() {
        api.account("acme", "1000.00", "0.00").errors("acme", 0, 50);
        api.call(EventFiles.load("get-statement.json")); // the month-end's part done: statement and its event
        api.events.failing = true;
        APIGatewayV2HTTPResponse failed = api.call(EventFiles.load("post-claim.json"));
        assertThat(failed.getStatusCode()).isEqualTo(503);
        api.events.failing = false;
        APIGatewayV2HTTPResponse retry = api.call(EventFiles.load("post-claim.json"));
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(body(retry).get("claimId").asText()).isEqualTo(body(failed).get("claimId").asText());
        assertThat(api.events.entries("VoucherIssued")).hasSize(1);
        api.call(EventFiles.load("post-claim.json"));
        assertThat(api.events.entries("VoucherIssued")).hasSize(1);
    }
}
