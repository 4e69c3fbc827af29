package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer of the local claims API: real HTTP requests to the loopback port, or (replays on the
 * memory engine, {@link #inProcess}) the same requests handed to the server's request-to-event step
 * and the handler in this thread, without the socket.
 */
public final class ClaimsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI IN_PROCESS = URI.create("http://127.0.0.1");

    public record Answer(int status, JsonNode body) {
    }

    private final URI endpoint;
    private final HttpClient http;
    private final ClaimsHttpServer server;

    public ClaimsClient(URI endpoint) {
        this(endpoint, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), null);
    }

    private ClaimsClient(URI endpoint, HttpClient http, ClaimsHttpServer server) {
        this.endpoint = endpoint;
        this.http = http;
        this.server = server;
    }

    /** Requests answered by {@code server} in this thread: the same events and handler, no HTTP round trip. */
    static ClaimsClient inProcess(ClaimsHttpServer server) {
        return new ClaimsClient(IN_PROCESS, null, server);
    }

    /** {@code POST /claims {"month":...}} as the account (local-only header, see {@link ClaimsHttpServer}). */
    public Answer claim(String accountId, YearMonth month) {
        return send("POST", "/claims", Map.of("Content-Type", "application/json",
                ClaimsHttpServer.ACCOUNT_HEADER, accountId), "{\"month\":\"" + month + "\"}");
    }

    /** {@code GET /statements/{month}} as the account, with the fake bearer token form. */
    public Answer statement(String accountId, YearMonth month) {
        return send("GET", "/statements/" + month, bearer(accountId), null);
    }

    /** {@code GET /statements/{month}/revisions} as the account (S9.7: read-only, recomputes nothing). */
    public Answer revisions(String accountId, YearMonth month) {
        return send("GET", "/statements/" + month + "/revisions", bearer(accountId), null);
    }

    private static Map<String, String> bearer(String accountId) {
        return Map.of("Authorization", "Bearer " + ClaimsHttpServer.FAKE_BEARER_PREFIX + accountId);
    }

    private Answer send(String method, String path, Map<String, String> headers, String body) {
        URI uri = endpoint.resolve(path);
        try {
            if (server != null) {
                Map<String, List<String>> multi = new LinkedHashMap<>();
                headers.forEach((k, v) -> multi.put(k, List.of(v)));
                APIGatewayV2HTTPResponse r = server.respond(method, uri, multi,
                        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
                byte[] out = ClaimsHttpServer.bytes(r);
                return new Answer(r.getStatusCode(), out.length == 0 ? JSON.nullNode() : JSON.readTree(out));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
