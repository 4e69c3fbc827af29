package dev.slaledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiContractTest {
    private static final ApiContract SPEC = ApiContract.get();
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final Map<String, String> PROBLEM = Map.of("Content-Type", "application/problem+json");
    private static final String CLAIM = "{\"claimId\":\"c1\",\"accountId\":\"acme\",\"month\":\"2026-10\","
            + "\"requestedAt\":\"2026-11-10T08:00:00Z\",\"status\":\"ACCEPTED\",\"reason\":null,\"opensAt\":null,"
            + "\"closedAt\":null,\"voucherAmount\":\"100.00\",\"currency\":\"EUR\",\"statementRevision\":1}";

    @Test
    @DisplayName("issue 31 item 2: every example in docs/openapi.yaml is valid against its own schema")
    void examplesAreValid() {
        assertThat(SPEC.exampleViolations()).isEmpty();
    }

    @Test
    @DisplayName("the spec's operations: the six customer routes and the four admin routes (S9.6-S9.8's three with them)")
    void operations() {
        assertThat(SPEC.operations()).containsExactlyInAnyOrder("POST /claims", "GET /claims/{claimId}",
                "GET /statements/{month}", "GET /statements/{month}/intervals", "GET /statements/{month}/revisions",
                "GET /vouchers", "PUT /admin/maintenance-windows", "DELETE /admin/maintenance-windows/{id}",
                "PUT /admin/terms", "GET /admin/forecast");
    }

    @Test
    @DisplayName("a documented status with a body of its schema passes; a missing field, a wrong type, an undocumented status or media type do not")
    void responses() {
        assertThat(SPEC.violations("POST", "/claims", 201, JSON, CLAIM)).isEmpty();
        assertThat(SPEC.violations("GET", "/claims/c1", 200, JSON, CLAIM)).isEmpty();
        assertThat(SPEC.violations("POST", "/claims", 201, JSON, CLAIM.replace(",\"statementRevision\":1", "")))
                .singleElement().asString().contains("statementRevision");
        assertThat(SPEC.violations("POST", "/claims", 201, JSON, CLAIM.replace("\"ACCEPTED\"", "\"MAYBE\""))).isNotEmpty();
        assertThat(SPEC.violations("POST", "/claims", 418, JSON, CLAIM)).singleElement().asString()
                .contains("418 is not documented");
        assertThat(SPEC.violations("POST", "/claims", 201, Map.of("Content-Type", "text/plain"), CLAIM)).isNotEmpty();
        assertThat(SPEC.violations("GET", "/vouchers", 429, PROBLEM, "{\"type\":\"https://sla-ledger.dev/problems/rate-limited\","
                + "\"title\":\"Too many\",\"status\":429,\"detail\":\"retry\"}")).isEmpty();
        assertThat(SPEC.violations("GET", "/vouchers", 429, PROBLEM, "{\"title\":\"Too many\"}")).isNotEmpty();
        assertThat(SPEC.violations("DELETE", "/admin/maintenance-windows/mw-1", 204, Map.of(), null)).isEmpty();
        assertThat(SPEC.violations("DELETE", "/admin/maintenance-windows/mw-1", 204, Map.of(), "{}")).isNotEmpty();
    }

    @Test
    @DisplayName("a request API Gateway would not route never reaches a client: the handler's answer is only held to not being a 5xx")
    void unroutedRequests() {
        String notFound = "{\"type\":\"https://sla-ledger.dev/problems/not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"x\"}";
        assertThat(SPEC.violations("GET", "/nothing", 404, PROBLEM, notFound)).isEmpty();
        assertThat(SPEC.violations("PATCH", "/claims", 404, PROBLEM, notFound)).isEmpty();
        assertThat(SPEC.violations("PUT", "/admin/terms/x", 201, JSON, "{}")).isEmpty();
        assertThat(SPEC.violations("GET", "/nothing", 500, PROBLEM, notFound.replace("404", "500"))).isNotEmpty();
    }

    @Test
    @DisplayName("check() reads method, path (without a named stage's prefix) and response from the Lambda types, and fails the test on a violation")
    void checkOnEvents() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRawPath("/prod/claims")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withStage("prod")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/prod/claims").build()).build()).build();
        APIGatewayV2HTTPResponse ok = APIGatewayV2HTTPResponse.builder().withStatusCode(201).withHeaders(JSON)
                .withBody(CLAIM).build();
        assertThat(ApiContract.checked(event, ok)).isSameAs(ok);
        APIGatewayV2HTTPResponse bad = APIGatewayV2HTTPResponse.builder().withStatusCode(201).withHeaders(JSON)
                .withBody("{}").build();
        assertThatThrownBy(() -> SPEC.check(event, bad)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("docs/openapi.yaml");
    }
}
