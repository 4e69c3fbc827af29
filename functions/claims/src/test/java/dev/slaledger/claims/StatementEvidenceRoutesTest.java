package dev.slaledger.claims;

import static dev.slaledger.claims.Responses.problemType;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.testkit.ApiContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * S9.6 and S9.7 routes of the claims API: {@code GET /statements/{month}/intervals} and
 * {@code GET /statements/{month}/revisions}, on the recorded events, with their problems; the
 * caller's own account only; nothing written.
 */
class StatementEvidenceRoutesTest {
    private final InMemoryClaims api = new InMemoryClaims();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void statements() {
        api.account("acme", "1000.00", "0.00").errors("acme", 50).account("globex", "500.00", "0.00")
                .errors("globex", 600);
        api.windows.save(new MaintenanceWindow("mw-1", Instant.parse("2026-10-02T00:00:00Z"),
                Instant.parse("2026-10-02T00:30:00Z"), Instant.parse("2026-09-30T00:00:00Z"), Optional.empty()));
        assertThat(api.call(Requests.get("acme", "/statements/2026-10")).getStatusCode()).isEqualTo(200);
        assertThat(api.call(Requests.get("globex", "/statements/2026-10")).getStatusCode()).isEqualTo(200);
    }

    private JsonNode body(APIGatewayV2HTTPResponse r) throws Exception {
        return json.readTree(r.getBody());
    }

    @Test
    @DisplayName("S9.6 the recorded intervals request: counted intervals with exact and decimal rates, the window's exclusions")
    void intervals() throws Exception {
        APIGatewayV2HTTPResponse r = api.call(EventFiles.load("get-statement-intervals.json"));
        assertThat(r.getStatusCode()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("accountId").asText()).isEqualTo("acme");
        assertThat(b.get("statement").get("upToDate").asBoolean()).isTrue();
        assertThat(b.get("statement").get("errorRateSum").asText()).isEqualTo("44.000000000000000000");
        assertThat(b.get("intervals")).hasSize(44);
        assertThat(b.get("intervals").get(0).get("rate").asText()).isEqualTo("1/1");
        assertThat(b.get("intervals").get(0).get("rateDecimal").asText()).isEqualTo("1.000000000000000000");
        assertThat(b.get("excluded")).hasSize(6);
        assertThat(b.get("excluded").get(0).get("windowId").asText()).isEqualTo("mw-1");
        assertThat(b.get("excluded").get(0).get("reason").asText()).isEqualTo("maintenance-window");
        assertThat(b.get("next").isNull()).isTrue();
    }

    /** The example response the docs show (README, docs/claims.md): this route's answer, kept true by the test below. */
    static final Path EXAMPLE = Path.of("../../examples/responses/statement-intervals.json");

    @Test
    @DisplayName("S9.6 S2.4 excluded intervals carry their flag counts by kind and their window id: the route's answer "
            + "is examples/responses/statement-intervals.json")
    void flagCountsByKind() throws Exception {
        InMemoryClaims one = new InMemoryClaims().account("acme", "1000.00", "0.00");
        one.aggregates.add(new IntervalAggregate("acme", Instant.parse("2026-10-02T05:00:00Z"),
                new IntervalCounts(1000, 250, 0, 0)));
        // 100 errors count (r = 1/3); 2 more were flagged customer-compromised (S2.4 (ii)): not in E
        one.aggregates.add(new IntervalAggregate("acme", Instant.parse("2026-10-02T05:05:00Z"),
                new IntervalCounts(300, 100, 0, 2, 0, 2, 0)));
        // only flagged errors: 5 maintenance, 2 content-ban, and 1 a pre-aggregated record gave as a total
        one.aggregates.add(new IntervalAggregate("acme", Instant.parse("2026-10-02T23:55:00Z"),
                new IntervalCounts(400, 0, 0, 7, 5, 0, 2)));
        one.aggregates.add(new IntervalAggregate("acme", Instant.parse("2026-10-02T23:55:00Z"),
                new IntervalCounts(0, 0, 0, 1)));
        // every request failed inside an announced window (S2.4): excluded by the window, 3 flagged maintenance too
        one.aggregates.add(new IntervalAggregate("acme", Instant.parse("2026-10-03T02:00:00Z"),
                new IntervalCounts(800, 797, 0, 3, 3, 0, 0)));
        one.aggregates.add(new IntervalAggregate("acme", Instant.parse("2026-10-03T02:05:00Z"),
                new IntervalCounts(800, 800, 0, 0)));
        one.windows.save(new MaintenanceWindow("mw-2026-10-03", Instant.parse("2026-10-03T02:00:00Z"),
                Instant.parse("2026-10-03T03:00:00Z"), Instant.parse("2026-09-25T00:00:00Z"), Optional.empty()));
        assertThat(one.call(Requests.get("acme", "/statements/2026-10")).getStatusCode()).isEqualTo(200);

        APIGatewayV2HTTPEvent e = Requests.get("acme", "/statements/2026-10/intervals");
        e.setRawQueryString("limit=4");
        APIGatewayV2HTTPResponse r = one.call(e);
        assertThat(r.getStatusCode()).isEqualTo(200);
        ApiContract.get().check(e, r); // docs/openapi.yaml: the flag counts' schema
        JsonNode b = body(r);
        JsonNode counted = b.get("intervals");
        assertThat(counted).hasSize(2);
        assertThat(counted.get(1).get("rate").asText()).isEqualTo("1/3");
        assertThat(counted.get(1).get("flagged").get("customer-compromised").asLong()).isEqualTo(2);
        JsonNode excluded = b.get("excluded");
        assertThat(excluded).hasSize(2);
        JsonNode flagged = excluded.get(0);
        assertThat(flagged.get("reason").asText()).isEqualTo("flagged");
        assertThat(flagged.get("windowId").isNull()).isTrue();
        assertThat(flagged.get("flaggedErrors").asLong()).isEqualTo(8);
        assertThat(flagged.get("flagged").toString())
                .isEqualTo("{\"maintenance\":5,\"customer-compromised\":0,\"content-ban\":2,\"unspecified\":1}");
        JsonNode windowed = excluded.get(1);
        assertThat(windowed.get("reason").asText()).isEqualTo("maintenance-window");
        assertThat(windowed.get("windowId").asText()).isEqualTo("mw-2026-10-03");
        assertThat(windowed.get("flagged").get("maintenance").asLong()).isEqualTo(3);
        assertThat(b.get("cursor").asText()).isEqualTo("2026-10-03T02:05:00Z");

        if (Boolean.getBoolean("examples.write")) {
            Files.writeString(EXAMPLE, json.writerWithDefaultPrettyPrinter().writeValueAsString(b) + "\n");
        }
        assertThat(json.readTree(Files.readString(EXAMPLE))).as("the example response in " + EXAMPLE).isEqualTo(b);
    }

    @Test
    @DisplayName("S9.6 pages: limit and cursor as the recorded next-page request sends them")
    void pages() throws Exception {
        APIGatewayV2HTTPEvent first = Requests.get("acme", "/statements/2026-10/intervals");
        first.setQueryStringParameters(Map.of("limit", "10"));
        JsonNode one = body(api.call(first));
        assertThat(one.get("excluded")).hasSize(6);
        assertThat(one.get("intervals")).hasSize(4);
        assertThat(one.get("cursor").asText()).isEqualTo("2026-10-02T00:50:00Z");
        assertThat(one.get("next").asText()).isEqualTo("/statements/2026-10/intervals?cursor=2026-10-02T00:50:00Z&limit=10");
        APIGatewayV2HTTPEvent second = Requests.get("acme", "/statements/2026-10/intervals");
        second.setRawQueryString("cursor=2026-10-02T00%3A50%3A00Z&limit=10");
        JsonNode two = body(api.call(second));
        assertThat(two.get("intervals").get(0).get("start").asText()).isEqualTo("2026-10-02T00:50:00Z");
        APIGatewayV2HTTPResponse recorded = api.call(EventFiles.load("get-statement-intervals-next-page.json"));
        assertThat(recorded.getStatusCode()).isEqualTo(200);
        assertThat(body(recorded).get("intervals")).isEmpty();
    }

    @Test
    @DisplayName("S9.7 the recorded revisions request: causes, and what changed against the previous revision")
    void revisions() throws Exception {
        api.errors("acme", 100);
        api.statements.markStale("acme", InMemoryClaims.OCT,
                RevisionCause.lateTraffic("shardId-000000000000:49590338271490256608559692538361571095", api.clock.instant()));
        assertThat(api.call(Requests.get("acme", "/statements/2026-10")).getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPResponse r = api.call(EventFiles.load("get-statement-revisions.json"));
        assertThat(r.getStatusCode()).isEqualTo(200);
        JsonNode revisions = body(r).get("revisions");
        assertThat(revisions).hasSize(2);
        assertThat(revisions.get(0).get("causes").get(0).get("kind").asText()).isEqualTo("month-end");
        assertThat(revisions.get(0).get("changes")).isEmpty();
        assertThat(revisions.get(1).get("causes").get(0).get("kind").asText()).isEqualTo("late-traffic");
        assertThat(revisions.get(1).get("causes").get(0).get("eventId").asText()).startsWith("shardId-000000000000:");
        assertThat(revisions.get(1).get("changes").findValuesAsText("field"))
                .containsExactly("availability", "compensationPercent", "voucherAmount");
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @DisplayName("bad input: a malformed month 400, a month outside the periods 404, not yet computed 404, bad paging 400")
    @CsvSource({
            "/statements/2026-13/intervals, '', 400, invalid-month",
            "/statements/october/revisions, '', 400, invalid-month",
            "/statements/2027-06/intervals, '', 404, no-service-period",
            "/statements/2027-06/revisions, '', 404, no-service-period",
            "/statements/2026-11/intervals, '', 404, statement-not-ready",
            "/statements/2026-11/revisions, '', 404, statement-not-ready",
            "/statements/2026-10/intervals, limit=0, 400, invalid-limit",
            "/statements/2026-10/intervals, limit=1001, 400, invalid-limit",
            "/statements/2026-10/intervals, limit=ten, 400, invalid-limit",
            "/statements/2026-10/intervals, cursor=yesterday, 400, invalid-cursor",
            "/statements/2026-10/intervals, cursor=2026-11-01T00:00:00Z, 400, invalid-cursor",
            "/statements/2026-10/intervals, cursor=2026-10-02T00:00:01Z, 400, invalid-cursor"})
    void problems(String path, String query, int status, String type) {
        APIGatewayV2HTTPEvent e = Requests.get("acme", path);
        e.setRawQueryString(query);
        APIGatewayV2HTTPResponse r = api.call(e);
        assertThat(r.getStatusCode()).isEqualTo(status);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(problemType(r)).isEqualTo(type);
    }

    @Test
    @DisplayName("S7.4 past the aggregates' retention: 410 with the date they expired")
    void expired() throws Exception {
        api.clock.set(Instant.parse("2027-04-04T00:00:00Z"));
        APIGatewayV2HTTPResponse r = api.call(Requests.get("acme", "/statements/2026-10/intervals"));
        assertThat(r.getStatusCode()).isEqualTo(410);
        assertThat(problemType(r)).isEqualTo("evidence-expired");
        assertThat(body(r).get("expiredAt").asText()).isEqualTo("2027-04-03T12:00:00Z");
        assertThat(api.call(Requests.get("acme", "/statements/2026-10/revisions")).getStatusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the caller's own account only: each caller sees its own evidence, never another's")
    void ownAccountOnly() throws Exception {
        JsonNode globex = body(api.call(Requests.get("globex", "/statements/2026-10/intervals")));
        assertThat(globex.get("accountId").asText()).isEqualTo("globex");
        assertThat(globex.get("statement").get("errorRateSum").asText()).isEqualTo("594.000000000000000000");
        assertThat(problemType(api.call(Requests.get("initech", "/statements/2026-10/intervals"))))
                .isEqualTo("no-service-period");
        assertThat(problemType(api.call(Requests.get("initech", "/statements/2026-10/revisions"))))
                .isEqualTo("no-service-period");
    }

    @Test
    @DisplayName("nothing here writes to a statement: a stale month stays stale, no revision is stored")
    void readOnly() throws Exception {
        api.errors("acme", 100);
        api.statements.markStale("acme", InMemoryClaims.OCT);
        JsonNode page = body(api.call(Requests.get("acme", "/statements/2026-10/intervals")));
        assertThat(page.get("statement").get("upToDate").asBoolean()).isFalse();
        assertThat(page.get("statement").get("revision").asInt()).isEqualTo(1);
        api.call(Requests.get("acme", "/statements/2026-10/revisions"));
        assertThat(api.statements.history("acme", InMemoryClaims.OCT)).hasSize(1);
        assertThat(api.statements.staleMark("acme", InMemoryClaims.OCT)).isPresent();
    }

    @Test
    @DisplayName("only GET: another method is 405 with Allow")
    void methods() {
        APIGatewayV2HTTPEvent e = Requests.get("acme", "/statements/2026-10/revisions");
        e.getRequestContext().getHttp().setMethod("DELETE");
        APIGatewayV2HTTPResponse r = api.call(e);
        assertThat(r.getStatusCode()).isEqualTo(405);
        assertThat(r.getHeaders()).containsEntry("Allow", "GET");
    }
}
