package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.YearMonth;

/** A customer of the local claims API: real HTTP requests to the loopback port. */
public final class ClaimsClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Answer(int status, JsonNode body) {
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ClaimsClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** {@code POST /claims {"month":...}} as the account (local-only header, see {@link ClaimsHttpServer}). */
    public Answer claim(String accountId, YearMonth month) {
        return send(HttpRequest.newBuilder(endpoint.resolve("/claims"))
                .header("Content-Type", "application/json")
                .header(ClaimsHttpServer.ACCOUNT_HEADER, accountId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"month\":\"" + month + "\"}")).build());
    }

    /** {@code GET /statements/{month}} as the account, with the fake bearer token form. */
    public Answer statement(String accountId, YearMonth month) {
        return send(HttpRequest.newBuilder(endpoint.resolve("/statements/" + month))
                .header("Authorization", "Bearer " + ClaimsHttpServer.FAKE_BEARER_PREFIX + accountId)
                .GET().build());
    }

    /** {@code GET /statements/{month}/revisions} as the account (S9.7: read-only, recomputes nothing). */
    public Answer revisions(String accountId, YearMonth month) {
        return send(HttpRequest.newBuilder(endpoint.resolve("/statements/" + month + "/revisions"))
                .header("Authorization", "Bearer " + ClaimsHttpServer.FAKE_BEARER_PREFIX + accountId)
                .GET().build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
