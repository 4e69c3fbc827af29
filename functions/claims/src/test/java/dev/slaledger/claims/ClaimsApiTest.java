package dev.slaledger.claims;

import static dev.slaledger.claims.InMemoryClaims.OCT;
import static dev.slaledger.claims.Responses.body;
import static dev.slaledger.claims.Responses.problemType;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The claims API on the in-memory ports, driven by the recorded API Gateway events. */
class ClaimsApiTest {
    private final InMemoryClaims api = new InMemoryClaims().account("acme", "1000.00", "0.00").errors("acme", 50);

    @Test
    @DisplayName("S5.3 POST /claims (events/claims/post-claim.json): 201, accepted with its voucher; repeating gives 200 and the same claim")
    void acceptedThenRepeated() {
        APIGatewayV2HTTPResponse first = api.call(EventFiles.load("post-claim.json"));
        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(first.getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode claim = body(first);
        assertThat(claim.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(claim.get("accountId").asText()).isEqualTo("acme");
        assertThat(claim.get("month").asText()).isEqualTo("2026-10");
        assertThat(claim.get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(claim.get("currency").asText()).isEqualTo("EUR");
        assertThat(claim.get("statementRevision").asInt()).isEqualTo(1);
        assertThat(first.getHeaders()).containsEntry("Location", "/claims/" + claim.get("claimId").asText());

        for (String file : new String[] {"post-claim.json", "post-claim-base64.json", "post-claim-prod-stage.json"}) {
            APIGatewayV2HTTPResponse again = api.call(EventFiles.load(file));
            assertThat(again.getStatusCode()).as(file).isEqualTo(200);
            assertThat(body(again)).as(file).isEqualTo(claim);
        }
        assertThat(api.announced).hasSize(1);
    }

    @Test
    @DisplayName("GET /claims/{id}, /statements/{month}, /vouchers answer for the caller's own account only")
    void reads() {
        String claimId = body(api.call(EventFiles.load("post-claim.json"))).get("claimId").asText();

        APIGatewayV2HTTPResponse mine = api.call(Requests.get("acme", "/claims/" + claimId));
        assertThat(mine.getStatusCode()).isEqualTo(200);
        assertThat(body(mine).get("claimId").asText()).isEqualTo(claimId);
        APIGatewayV2HTTPResponse theirs = api.call(Requests.get("globex", "/claims/" + claimId));
        assertThat(theirs.getStatusCode()).as("another account's claim does not exist for the caller").isEqualTo(404);
        assertThat(problemType(theirs)).isEqualTo("claim-not-found");
        assertThat(problemType(api.call(EventFiles.load("get-claim.json")))).isEqualTo("claim-not-found");

        APIGatewayV2HTTPResponse statement = api.call(EventFiles.load("get-statement.json"));
        assertThat(statement.getStatusCode()).isEqualTo(200);
        JsonNode d3 = body(statement);
        assertThat(d3.get("accountId").asText()).isEqualTo("acme");
        assertThat(d3.get("availability").asText()).isEqualTo("99.4399");
        assertThat(d3.get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(d3.get("revision").asInt()).isEqualTo(1);

        JsonNode vouchers = body(api.call(EventFiles.load("get-vouchers.json"))).get("vouchers");
        assertThat(vouchers).hasSize(1);
        assertThat(vouchers.get(0).get("claimId").asText()).isEqualTo(claimId);
        assertThat(vouchers.get(0).get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(body(api.call(Requests.get("globex", "/vouchers"))).get("vouchers")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @DisplayName("every recorded client mistake is a 4xx problem with its stable type")
    @CsvSource({
            "invalid/post-claim-no-authorizer.json, 401, unauthenticated",
            "invalid/post-claim-no-account-claim.json, 403, account-claim-unusable",
            "invalid/post-claim-malformed-json.json, 400, malformed-json",
            "invalid/post-claim-unknown-field.json, 400, unknown-field",
            "invalid/post-claim-bad-month.json, 400, invalid-month",
            "invalid/post-claim-too-large.json, 413, body-too-large",
            "invalid/post-claim-text-plain.json, 415, unsupported-media-type",
            "invalid/put-claims.json, 405, method-not-allowed",
            "invalid/get-unknown-route.json, 404, not-found",
            "invalid/get-statement-bad-month.json, 400, invalid-month",
            "invalid/get-statement-intervals-bad-cursor.json, 400, invalid-cursor"})
    void invalidEvents(String file, int status, String type) {
        APIGatewayV2HTTPResponse r = api.call(EventFiles.load(file));
        assertThat(r.getStatusCode()).isEqualTo(status);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(problemType(r)).isEqualTo(type);
        JsonNode p = body(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(api.claims.acceptedClaims("acme")).as("nothing recorded").isEmpty();
    }

    @Test
    @DisplayName("every file under events/claims/invalid is covered by invalidEvents")
    void everyInvalidFileCovered() throws Exception {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/java/dev/slaledger/claims/ClaimsApiTest.java"));
        assertThat(EventFiles.list("invalid")).allSatisfy(f -> assertThat(source).contains("\"" + f + ",")
                .as(f));
    }

    @Test
    @DisplayName("405 names the allowed method; a lower-case or unknown method is not allowed either")
    void methods() {
        APIGatewayV2HTTPEvent e = Requests.get("acme", "/vouchers");
        e.getRequestContext().getHttp().setMethod("DELETE");
        APIGatewayV2HTTPResponse r = api.call(e);
        assertThat(r.getStatusCode()).isEqualTo(405);
        assertThat(r.getHeaders()).containsEntry("Allow", "GET");
        APIGatewayV2HTTPEvent post = EventFiles.load("post-claim.json");
        post.getRequestContext().getHttp().setMethod("post");
        assertThat(api.call(post).getStatusCode()).isEqualTo(405);
    }

    @ParameterizedTest(name = "sub = \"{0}\"")
    @DisplayName("403 when the account claim is present but unusable")
    @CsvSource(value = {"''", "'a#b'", "'two words'", "'[acme globex]'"})
    void unusableAccountClaims(String value) {
        APIGatewayV2HTTPResponse r = api.call(Requests.postClaim(value, "2026-10"));
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(problemType(r)).isEqualTo("account-claim-unusable");
    }

    @Test
    @DisplayName("the account claim name is configurable (ACCOUNT_CLAIM), e.g. Cognito's custom:accountId")
    void configurableClaim() {
        InMemoryClaims other = new InMemoryClaims().account("acme", "1000.00", "0.00").errors("acme", 50);
        ClaimsHandler handler = new ClaimsHandler(new ClaimsApi(
                new dev.slaledger.core.usecase.ClaimService(
                        new dev.slaledger.core.usecase.StatementService(other.accounts, other.aggregates,
                                new dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository(),
                                other.statements, new dev.slaledger.core.port.memory.InMemoryTermsRepository(
                                        dev.slaledger.core.terms.DefaultTerms.version()),
                                new dev.slaledger.core.port.memory.InMemoryNoticeRepository(), s -> { }, other.clock),
                        other.statements, other.claims, c -> { }, other.clock, () -> "c-1",
                        java.time.Duration.ofSeconds(30)),
                other.evidence, other.idempotency, other.rateLimiter, other.clock, "custom:accountId"));
        APIGatewayV2HTTPEvent e = Requests.postClaim("somebody-else", "2026-10");
        Map<String, String> claims = new HashMap<>(e.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("custom:accountId", "acme");
        e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
        assertThat(r.getStatusCode()).isEqualTo(201);
        assertThat(body(r).get("accountId").asText()).isEqualTo("acme");
    }

    @Test
    @DisplayName("Idempotency-Key: same key and request -> same response; same key, other month -> 422")
    void idempotencyKey() {
        APIGatewayV2HTTPResponse first = api.call(EventFiles.load("post-claim-idempotency-key.json"));
        assertThat(first.getStatusCode()).isEqualTo(201);
        APIGatewayV2HTTPEvent again = EventFiles.load("post-claim-idempotency-key.json");
        again.setBody("{ \"month\" : \"2026-10\" }"); // the same request, other spacing
        APIGatewayV2HTTPResponse replay = api.call(again);
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo(first.getBody());
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true")
                .containsEntry("Location", first.getHeaders().get("Location"));

        APIGatewayV2HTTPEvent other = EventFiles.load("post-claim-idempotency-key.json");
        other.setBody("{\"month\":\"2026-11\"}");
        APIGatewayV2HTTPResponse reused = api.call(other);
        assertThat(reused.getStatusCode()).isEqualTo(422);
        assertThat(problemType(reused)).isEqualTo("idempotency-key-reused");

        APIGatewayV2HTTPEvent bad = Requests.postClaim("acme", "2026-10", "key with spaces");
        assertThat(problemType(api.call(bad))).isEqualTo("invalid-idempotency-key");
        assertThat(api.announced).hasSize(1);
    }

    @Test
    @DisplayName("S5.3 a refused claim (TOO_EARLY, with opensAt) is recorded; made again inside the window it is accepted")
    void refusedThenAccepted() {
        api.clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        APIGatewayV2HTTPResponse early = api.call(EventFiles.load("post-claim.json"));
        assertThat(early.getStatusCode()).isEqualTo(201);
        JsonNode refused = body(early);
        assertThat(refused.get("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("reason").asText()).isEqualTo("TOO_EARLY");
        assertThat(refused.get("opensAt").asText()).isEqualTo("2026-11-09T00:00Z");
        assertThat(refused.get("voucherAmount").isNull()).isTrue();
        APIGatewayV2HTTPResponse stored = api.call(Requests.get("acme", "/claims/" + refused.get("claimId").asText()));
        assertThat(body(stored)).isEqualTo(refused);

        api.clock.set(Instant.parse("2026-11-09T00:00:00Z"));
        JsonNode accepted = body(api.call(EventFiles.load("post-claim.json")));
        assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.get("claimId").asText()).isNotEqualTo(refused.get("claimId").asText());
    }

    @Test
    @DisplayName("S5.3 TOO_LATE carries closedAt; NO_SERVICE_PERIOD; SLA_MET")
    void otherRefusals() {
        api.clock.set(Instant.parse("2027-01-01T00:00:00Z"));
        JsonNode late = body(api.call(EventFiles.load("post-claim.json")));
        assertThat(late.get("reason").asText()).isEqualTo("TOO_LATE");
        assertThat(late.get("closedAt").asText()).isEqualTo("2027-01-01T00:00Z");
        api.clock.set(InMemoryClaims.IN_WINDOW);
        assertThat(body(api.call(Requests.postClaim("acme", "2026-09"))).get("reason").asText())
                .isEqualTo("NO_SERVICE_PERIOD");
        api.account("calm", "1000.00", "0.00");
        assertThat(body(api.call(Requests.postClaim("calm", "2026-10"))).get("reason").asText()).isEqualTo("SLA_MET");
        assertThat(api.announced).isEmpty();
    }

    @Test
    @DisplayName("S5.3 a zero voucher (fee fully paid with vouchers) is accepted at 0.00, announced to nobody, listed in no vouchers")
    void zeroVoucher() {
        api.account("paid", "100.00", "100.00").errors("paid", 50);
        JsonNode claim = body(api.call(Requests.postClaim("paid", "2026-10")));
        assertThat(claim.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(claim.get("voucherAmount").asText()).isEqualTo("0.00");
        assertThat(api.announced).isEmpty();
        assertThat(body(api.call(Requests.get("paid", "/vouchers"))).get("vouchers")).isEmpty();
    }

    @Test
    @DisplayName("EventBridge down: 503 naming the accepted claim, nothing cached under the key; the retry announces once")
    void announcementPending() {
        api.eventFailure = new IllegalStateException("PutEvents failed");
        APIGatewayV2HTTPResponse failed = api.call(EventFiles.load("post-claim-idempotency-key.json"));
        assertThat(failed.getStatusCode()).isEqualTo(503);
        assertThat(problemType(failed)).isEqualTo("voucher-announcement-pending");
        assertThat(failed.getHeaders()).containsEntry("Retry-After", "1");
        String claimId = body(failed).get("claimId").asText();

        api.eventFailure = null;
        APIGatewayV2HTTPResponse retry = api.call(EventFiles.load("post-claim-idempotency-key.json"));
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(body(retry).get("claimId").asText()).isEqualTo(claimId);
        assertThat(api.announced).extracting(c -> c.claimId()).containsExactly(claimId);
    }

    @Test
    @DisplayName("GET /statements: 404 no-service-period, 404 statement-not-ready while the month runs")
    void statementProblems() {
        assertThat(problemType(api.call(Requests.get("acme", "/statements/2026-09")))).isEqualTo("no-service-period");
        api.clock.set(Instant.parse("2026-10-20T00:00:00Z"));
        assertThat(problemType(api.call(Requests.get("acme", "/statements/2026-10")))).isEqualTo("statement-not-ready");
        assertThat(api.statements.latest("acme", OCT)).isEmpty();
    }

    @Test
    @DisplayName("issue 15 item 1: GET /claims/{id} of a refused claim 90 days after its decision is a 404 like an unknown claim; an accepted claim stays")
    void expiredRefusedClaimIsNotFound() {
        Instant decided = Instant.parse("2026-11-06T12:00:00Z");
        api.clock.set(decided);
        String refusedId = body(api.call(EventFiles.load("post-claim.json"))).get("claimId").asText();
        assertThat(api.claims.expiresAt(refusedId)).contains(decided.plus(Duration.ofDays(90)));
        api.clock.set(InMemoryClaims.IN_WINDOW);
        String acceptedId = body(api.call(EventFiles.load("post-claim.json"))).get("claimId").asText();

        api.clock.set(decided.plus(Duration.ofDays(90)).minusSeconds(1));
        assertThat(api.call(Requests.get("acme", "/claims/" + refusedId)).getStatusCode()).isEqualTo(200);
        api.clock.set(decided.plus(Duration.ofDays(90)));
        APIGatewayV2HTTPResponse expired = api.call(Requests.get("acme", "/claims/" + refusedId));
        assertThat(expired.getStatusCode()).isEqualTo(404);
        assertThat(expired.getBody()).isEqualTo(api.call(Requests.get("acme", "/claims/unknown")).getBody());
        assertThat(api.call(Requests.get("acme", "/claims/" + acceptedId)).getStatusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("issue 15 item 2: the 61st request of an account in a minute is a 429 rate-limited problem with Retry-After to the next minute; the next minute passes again; another account is unaffected")
    void rateLimitPerAccountAndMinute() {
        api.clock.set(Instant.parse("2026-11-10T08:00:15.250Z"));
        for (int i = 0; i < 60; i++) {
            APIGatewayV2HTTPResponse r = api.call(i % 3 == 0 ? Requests.postClaim("acme", "2026-10")
                    : i % 3 == 1 ? Requests.get("acme", "/vouchers") : Requests.get("acme", "/claims/unknown"));
            assertThat(r.getStatusCode()).as("request " + (i + 1)).isIn(200, 201, 404);
        }
        api.clock.set(Instant.parse("2026-11-10T08:00:59.000Z"));
        APIGatewayV2HTTPResponse limited = api.call(Requests.get("acme", "/vouchers"));
        assertThat(limited.getStatusCode()).isEqualTo(429);
        assertThat(limited.getHeaders()).containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Retry-After", "1");
        assertThat(problemType(limited)).isEqualTo("rate-limited");
        assertThat(body(limited).get("status").asInt()).isEqualTo(429);
        assertThat(body(limited).get("detail").asText()).isNotBlank();
        api.clock.set(Instant.parse("2026-11-10T08:00:15.250Z"));
        assertThat(api.call(Requests.get("acme", "/vouchers")).getHeaders()).containsEntry("Retry-After", "45");

        assertThat(api.call(Requests.get("globex", "/vouchers")).getStatusCode()).as("another account").isEqualTo(200);

        api.clock.set(Instant.parse("2026-11-10T08:01:00Z"));
        assertThat(api.call(Requests.get("acme", "/vouchers")).getStatusCode()).as("the next minute").isEqualTo(200);
        assertThat(api.rateLimiter.granted("acme", api.clock.instant())).isEqualTo(1);
        assertThat(api.rateLimiter.granted("acme", Instant.parse("2026-11-10T08:00:30Z")))
                .as("refused requests do not count").isEqualTo(60);
    }

    @Test
    @DisplayName("issue 15 item 2: the limit is decided after authentication and before any other work: a limited POST records nothing and stores no Idempotency-Key, even an invalid one is a 429; unknown callers and routes do not count")
    void rateLimitComesFirst() {
        InMemoryClaims small = new InMemoryClaims(2).account("acme", "1000.00", "0.00").errors("acme", 50);
        assertThat(small.call(EventFiles.load("invalid/post-claim-no-authorizer.json")).getStatusCode()).isEqualTo(401);
        assertThat(small.call(EventFiles.load("invalid/get-unknown-route.json")).getStatusCode()).isEqualTo(404);
        assertThat(small.call(Requests.get("acme", "/vouchers")).getStatusCode()).isEqualTo(200);
        assertThat(small.call(Requests.get("acme", "/vouchers")).getStatusCode()).isEqualTo(200);

        APIGatewayV2HTTPResponse claim = small.call(EventFiles.load("post-claim-idempotency-key.json"));
        assertThat(claim.getStatusCode()).isEqualTo(429);
        assertThat(small.claims.acceptedClaims("acme")).as("nothing recorded").isEmpty();
        assertThat(small.announced).isEmpty();
        assertThat(problemType(small.call(EventFiles.load("invalid/post-claim-malformed-json.json"))))
                .isEqualTo("rate-limited");
        assertThat(problemType(small.call(Requests.postClaim("acme", "2026-10", "key with spaces"))))
                .isEqualTo("rate-limited");

        small.clock.set(small.clock.instant().plus(Duration.ofMinutes(1)));
        APIGatewayV2HTTPResponse later = small.call(EventFiles.load("post-claim-idempotency-key.json"));
        assertThat(later.getStatusCode()).as("the key was not taken by the 429").isEqualTo(201);
        assertThat(later.getHeaders()).doesNotContainKey("Idempotent-Replayed");
    }

    @ParameterizedTest(name = "{0} -> Retry-After {1}")
    @DisplayName("issue 15 item 2: Retry-After is the whole seconds, rounded up, to the next minute: 1 to 60")
    @CsvSource({"2026-11-10T08:00:00Z, 60", "2026-11-10T08:00:00.001Z, 60", "2026-11-10T08:00:01Z, 59",
            "2026-11-10T08:00:59.001Z, 1", "2026-11-10T08:00:59.999Z, 1", "1969-12-31T23:59:30Z, 30"})
    void retryAfter(String now, long seconds) {
        assertThat(ClaimsApi.retryAfterSeconds(Instant.parse(now))).isEqualTo(seconds);
    }
}
