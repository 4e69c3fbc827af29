package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.core.port.memory.SettableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClaimsHttpServerTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-10T08:00:00Z"));

    @Test
    @DisplayName("a real HTTP request becomes an HTTP API 2.0 event with the local account as the JWT sub claim")
    void httpRequestBecomesEvent() throws Exception {
        AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
        try (ClaimsHttpServer server = new ClaimsHttpServer((event, ctx) -> {
            seen.set(event);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                    .withHeaders(Map.of("Content-Type", "application/json", "Location", "/claims/c1"))
                    .withBody("{\"claimId\":\"c1\"}").build();
        }, clock)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            server.endpoint().resolve("/claims?x=1"))
                    .header("Content-Type", "application/json")
                    .header(ClaimsHttpServer.ACCOUNT_HEADER, "acme")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"month\":\"2026-10\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.body()).isEqualTo("{\"claimId\":\"c1\"}");
            assertThat(r.headers().firstValue("Location")).contains("/claims/c1");
        }
        APIGatewayV2HTTPEvent e = seen.get();
        assertThat(e.getVersion()).isEqualTo("2.0");
        assertThat(e.getRawPath()).isEqualTo("/claims");
        assertThat(e.getRawQueryString()).isEqualTo("x=1");
        assertThat(e.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(e.getRequestContext().getStage()).isEqualTo("$default");
        assertThat(e.getHeaders()).containsEntry("content-type", "application/json");
        assertThat(e.getBody()).isEqualTo("{\"month\":\"2026-10\"}");
        assertThat(e.getIsBase64Encoded()).isFalse();
        assertThat(e.getRequestContext().getAuthorizer().getJwt().getClaims()).containsEntry("sub", "acme");
        assertThat(e.getRequestContext().getTimeEpoch()).isEqualTo(clock.millis());
    }

    @Test
    @DisplayName("the fake bearer token local:<account> also names the account; without either there is no authorizer")
    void fakeBearerAndAnonymous() {
        try (ClaimsHttpServer server = new ClaimsHttpServer((event, ctx) -> null, clock)) {
            APIGatewayV2HTTPEvent bearer = server.toEvent("GET", URI.create("/statements/2026-10"),
                    Map.of("Authorization", List.of("Bearer local:globex")), new byte[0], "127.0.0.1");
            assertThat(bearer.getRequestContext().getAuthorizer().getJwt().getClaims()).containsEntry("sub", "globex");
            assertThat(bearer.getBody()).isNull();

            APIGatewayV2HTTPEvent realToken = server.toEvent("GET", URI.create("/vouchers"),
                    Map.of("Authorization", List.of("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")), new byte[0], "127.0.0.1");
            assertThat(realToken.getRequestContext().getAuthorizer()).as("no JWT is verified locally").isNull();
        }
    }

    @Test
    @DisplayName("a body that is not UTF-8 is passed base64-encoded, as API Gateway does")
    void binaryBody() {
        try (ClaimsHttpServer server = new ClaimsHttpServer((event, ctx) -> null, clock)) {
            APIGatewayV2HTTPEvent e = server.toEvent("POST", URI.create("/claims"),
                    Map.of(ClaimsHttpServer.ACCOUNT_HEADER, List.of("acme")), new byte[] {(byte) 0xff, (byte) 0xfe},
                    "127.0.0.1");
            assertThat(e.getIsBase64Encoded()).isTrue();
            assertThat(e.getBody()).isEqualTo("//4=");
        }
    }

    @Test
    @DisplayName("S5.3 claims in process (memory engine): the same events and answers as over the loopback port")
    void inProcessClientMatchesHttp() {
        List<APIGatewayV2HTTPEvent> seen = new java.util.ArrayList<>();
        try (ClaimsHttpServer server = new ClaimsHttpServer((event, ctx) -> {
            seen.add(event);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(event.getRawPath().equals("/claims") ? 201 : 404)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody("{\"path\":\"" + event.getRawPath() + "\"}").build();
        }, clock)) {
            java.time.YearMonth october = java.time.YearMonth.of(2026, 10);
            for (ClaimsClient client : List.of(new ClaimsClient(server.endpoint()), ClaimsClient.inProcess(server))) {
                ClaimsClient.Answer claim = client.claim("acme", october);
                assertThat(claim.status()).isEqualTo(201);
                assertThat(claim.body().path("path").asText()).isEqualTo("/claims");
                ClaimsClient.Answer read = client.statement("globex", october);
                assertThat(read.status()).isEqualTo(404);
                assertThat(read.body().path("path").asText()).isEqualTo("/statements/2026-10");
            }
        }
        assertThat(seen).hasSize(4);
        for (int i = 0; i < 2; i++) {
            APIGatewayV2HTTPEvent http = seen.get(i);
            APIGatewayV2HTTPEvent direct = seen.get(i + 2);
            assertThat(direct.getRequestContext().getHttp().getMethod()).isEqualTo(http.getRequestContext().getHttp()
                    .getMethod());
            assertThat(direct.getRawPath()).isEqualTo(http.getRawPath());
            assertThat(direct.getBody()).isEqualTo(http.getBody());
            assertThat(direct.getRequestContext().getAuthorizer().getJwt().getClaims())
                    .isEqualTo(http.getRequestContext().getAuthorizer().getJwt().getClaims());
        }
    }
}
