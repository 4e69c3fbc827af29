package dev.slaledger.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A loopback HTTP endpoint plays PutEvents for the real SDK client: it records every entry sent
 * and answers as the service does (or refuses the entries while {@link #failing} is set). It stays
 * the EventBridge of these tests under {@code -Plocalstack} too: what they check is the request
 * our adapter puts on the wire and how it handles a partial failure, which a recorder shows
 * exactly and LocalStack's EventBridge (read back through a rule and a queue) can neither show
 * (it re-wraps entries as events) nor produce on demand.
 */
public final class LoopbackEventBridge implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> entries = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    /** While set, every PutEvents entry is refused (FailedEntryCount), as the service does under a fault. */
    public volatile boolean failing;
    /** The real SDK client, pointed at this recorder. */
    public final EventBridgeClient client;

    public LoopbackEventBridge() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String answer;
            if (failing) {
                answer = "{\"Entries\":[{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"x\"}],\"FailedEntryCount\":1}";
            } else {
                request.get("Entries").forEach(entries::add);
                answer = "{\"Entries\":[{\"EventId\":\"e-" + entries.size() + "\"}],\"FailedEntryCount\":0}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
        client = EventBridgeClient.builder()
                .addPlugin(CallRecorder.plugin())
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Entries accepted so far with this detail-type. */
    public List<JsonNode> entries(String detailType) {
        return entries.stream().filter(e -> detailType.equals(e.get("DetailType").asText())).toList();
    }

    /** The detail of every accepted entry with this detail-type, parsed, in order. */
    public List<JsonNode> details(String detailType) {
        return entries(detailType).stream().map(LoopbackEventBridge::detail).toList();
    }

    public List<String> targets() {
        return targets;
    }

    public static JsonNode detail(JsonNode entry) {
        try {
            return JSON.readTree(entry.get("Detail").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
