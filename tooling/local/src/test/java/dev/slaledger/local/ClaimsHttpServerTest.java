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
}
