package dev.slaledger.adapter.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementCalculator;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The EventBridge adapter on the wire. A loopback HTTP endpoint plays the service: it checks the
 * request the real SDK client sends (target, bus, source, detail-type, D3 detail) and answers as
 * PutEvents does, or with a failed entry. It stays so under {@code -Plocalstack} (these tests
 * need no engine, so they run there too, with or without Docker): LocalStack's EventBridge would
 * show the entries only re-wrapped as events (through a rule to a queue) and cannot fail an
 * entry on demand, so it could check less than the recorder does.
 */
class EventBridgeStatementEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private volatile String answer = "{\"Entries\":[{\"EventId\":\"e-1\"}],\"FailedEntryCount\":0}";
    private EventBridgeClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            requests.add(JSON.readTree(exchange.getRequestBody()));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = EventBridgeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    /** A compensable statement (the 10% tier) of a real computation; EventRulesIT sends it too. */
    static Statement compensable() {
        Account account = new Account("acme", "ops@acme.example", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(YearMonth.parse("2026-10"), MonthlyFee.of("1000.00", "0.00", "EUR")));
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 50; i++) { // A = 1 - 50/8928 = 99.44%: the 10% tier
            traffic.add(start + 300L * i, 10, 10, 0);
        }
        return StatementCalculator.compute(account, YearMonth.parse("2026-10"), DefaultTerms.version(), traffic,
                List.of(), Instant.parse("2026-11-01T01:00:00Z")).orElseThrow();
    }

    @Test
    @DisplayName("issue 5.5: a compensable statement becomes one PutEvents entry carrying the D3 statement")
    void putsTheStatement() throws Exception {
        Statement statement = compensable();
        new EventBridgeStatementEvents(client, "sla-bus").compensableStatement(statement);

        assertThat(targets).containsExactly("AWSEvents.PutEvents");
        JsonNode entry = requests.get(0).get("Entries").get(0);
        assertThat(entry.get("EventBusName").asText()).isEqualTo("sla-bus");
        assertThat(entry.get("Source").asText()).isEqualTo("sla-ledger");
        assertThat(entry.get("DetailType").asText()).isEqualTo("StatementCompensable");
        JsonNode detail = JSON.readTree(entry.get("Detail").asText());
        assertThat(detail.get("accountId").asText()).isEqualTo("acme");
        assertThat(detail.get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(detail.get("compensationPercent").asText()).isEqualTo("10");
    }

    @Test
    @DisplayName("a refused entry fails the call, so the outbox keeps the event owed")
    void refusedEntryThrows() {
        answer = "{\"Entries\":[{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"x\"}],\"FailedEntryCount\":1}";
        assertThatThrownBy(() -> new EventBridgeStatementEvents(client, "sla-bus").compensableStatement(compensable()))
                .hasMessageContaining("InternalFailure");
    }
}
