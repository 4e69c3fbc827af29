package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaintenanceWindowsHandlerTest {
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    /** 2026-11-03: October has ended, its claim window is open. */
    private final MaintenanceWindowsHandler handler = new MaintenanceWindowsHandler(windows, new StaleMarks(statements,
            new InMemoryTermsRepository(DefaultTerms.version()),
            Clock.fixed(Instant.parse("2026-11-03T09:00:00Z"), ZoneOffset.UTC)));

    private static APIGatewayV2HTTPEvent event() {
        return EventLoader.loadApiGatewayHttpEvent("../../events/monthend/admin-put-maintenance-window.json");
    }

    @Test
    @DisplayName("D4: an admin PUT records the window as sent, scoped to its accounts")
    void recordsTheWindow() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event(), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        MaintenanceWindow expected = new MaintenanceWindow("mw-2026-10-03", Instant.parse("2026-10-03T02:00:00Z"),
                Instant.parse("2026-10-03T03:00:00Z"), Instant.parse("2026-09-20T00:00:00Z"),
                Optional.of(Set.of("acme")));
        assertThat(windows.overlapping(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")))
                .containsExactly(expected);
        assertThat(response.getBody()).contains("\"announcedInTime\":true");
    }

    @Test
    @DisplayName("S7.1 a window recorded after its month ended marks the accounts it covers stale for that month")
    void lateWindowMarksItsAccounts() {
        handler.handleRequest(event(), null);
        assertThat(statements.staleMark("acme", YearMonth.of(2026, 10))).isPresent();
        assertThat(statements.staleMark("globex", YearMonth.of(2026, 10))).isEmpty();
        assertThat(statements.monthMark(YearMonth.of(2026, 10))).isZero();
    }

    @Test
    @DisplayName("S7.1 a window for all accounts marks its month as a whole; changed to other accounts, both versions' accounts are marked; withdrawn, 204 and marked again")
    void windowForAllChangedAndWithdrawn() {
        APIGatewayV2HTTPEvent forAll = event();
        forAll.setBody(forAll.getBody().replaceAll(",\\s*\"accounts\"\\s*:\\s*\\[[^]]*\\]", ""));
        assertThat(handler.handleRequest(forAll, null).getStatusCode()).isEqualTo(200);
        assertThat(statements.monthMark(YearMonth.of(2026, 10))).isEqualTo(1);

        assertThat(handler.handleRequest(event(), null).getStatusCode()).isEqualTo(200);
        assertThat(statements.monthMark(YearMonth.of(2026, 10))).isEqualTo(2); // the replaced version covered all
        assertThat(statements.staleMark("acme", YearMonth.of(2026, 10))).isPresent();

        APIGatewayV2HTTPEvent delete = event();
        delete.getRequestContext().getHttp().setMethod("DELETE");
        delete.setBody(null);
        delete.setPathParameters(java.util.Map.of("id", "mw-2026-10-03"));
        long before = statements.staleMark("acme", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(handler.handleRequest(delete, null).getStatusCode()).isEqualTo(204);
        assertThat(windows.find("mw-2026-10-03")).isEmpty();
        long withdrawnMark = statements.staleMark("acme", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(withdrawnMark).isGreaterThan(before);
        // a retry of the withdrawal (its first answer was lost): 204 again, and its months marked again
        assertThat(handler.handleRequest(delete, null).getStatusCode()).isEqualTo(204);
        assertThat(statements.staleMark("acme", YearMonth.of(2026, 10))).hasValueSatisfying(
                m -> assertThat(m).isGreaterThan(withdrawnMark));
        delete.setPathParameters(java.util.Map.of("id", "mw-never-recorded"));
        assertThat(handler.handleRequest(delete, null).getStatusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("S7.1 (issue 27 item 7) a change that died after storing and before marking: its retry marks the"
            + " replaced version's account-months too, and a withdrawal that died before marking is marked by its retry")
    void retriesMarkWhatTheChangeAltered() {
        MaintenanceWindowsHandler storingOnly = new MaintenanceWindowsHandler(windows, new StaleMarks(
                new InMemoryStatementRepository(), new InMemoryTermsRepository(DefaultTerms.version()),
                Clock.fixed(Instant.parse("2026-11-03T09:00:00Z"), ZoneOffset.UTC)));
        APIGatewayV2HTTPEvent forAcme = event();
        assertThat(handler.handleRequest(forAcme, null).getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPEvent forGlobex = event();
        forGlobex.setBody(forGlobex.getBody().replace("\"acme\"", "\"globex\""));
        // the first attempt stores the change but its marks are lost (the function died before writing them)
        assertThat(storingOnly.handleRequest(forGlobex, null).getStatusCode()).isEqualTo(200);
        long acmeBefore = statements.staleMark("acme", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(statements.staleMark("globex", YearMonth.of(2026, 10))).isEmpty();

        assertThat(handler.handleRequest(forGlobex, null).getStatusCode()).isEqualTo(200); // the retry
        assertThat(statements.staleMark("globex", YearMonth.of(2026, 10))).isPresent();
        assertThat(statements.staleMark("acme", YearMonth.of(2026, 10))).hasValueSatisfying(
                m -> assertThat(m).as("acme, covered by the replaced version, marked again").isGreaterThan(acmeBefore));

        APIGatewayV2HTTPEvent delete = event();
        delete.getRequestContext().getHttp().setMethod("DELETE");
        delete.setBody(null);
        delete.setPathParameters(Map.of("id", "mw-2026-10-03"));
        long globexBefore = statements.staleMark("globex", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(storingOnly.handleRequest(delete, null).getStatusCode()).isEqualTo(204); // marks lost
        assertThat(handler.handleRequest(delete, null).getStatusCode()).isEqualTo(204); // the retry
        assertThat(statements.staleMark("globex", YearMonth.of(2026, 10))).hasValueSatisfying(
                m -> assertThat(m).isGreaterThan(globexBefore));
        assertThat(windows.find("mw-2026-10-03")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "not json|(body)",
        "[]|(body)",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T01:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}|end",
        "{\"id\":\"x\",\"start\":\"2026-10-03 02:00\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}|start",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\"}|announcedAt",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\",\"accounts\":\"acme\"}|accounts",
        "{\"id\":\"x y\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}|id",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\",\"reason\":\"db\"}|reason",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\",\"accounts\":[\"acme\",\"a b\"]}|accounts",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\",\"accounts\":[\"a#b\"]}|accounts"
    })
    @DisplayName("D4: a bad window gets a 400 problem naming the field, and nothing is stored")
    void refusesBadWindows(String body, String field) {
        APIGatewayV2HTTPEvent event = event();
        event.setBody(body);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("\"field\":\"" + field.replace("\"", "\\\"") + "\"");
        assertThat(windows.overlapping(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    @DisplayName("a GET is refused with 405")
    void wrongMethod() {
        APIGatewayV2HTTPEvent event = event();
        event.getRequestContext().getHttp().setMethod("GET");
        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(405);
    }

    @ParameterizedTest(name = "[{index}] DELETE id of {0} characters -> 404")
    @CsvSource({"129", "1100", "3000"})
    @DisplayName("issue 15 item 3: DELETE with an id no window can have (here too long for a DynamoDB key) is a 404 problem, asked of no store")
    void deleteImpossibleId(int length) {
        APIGatewayV2HTTPEvent delete = event();
        delete.getRequestContext().getHttp().setMethod("DELETE");
        delete.setBody(null);
        delete.setPathParameters(Map.of("id", "x".repeat(length)));
        MaintenanceWindowsHandler failingStore = new MaintenanceWindowsHandler(new MaintenanceWindowRepository() {
            @Override
            public void save(MaintenanceWindow window) {
                throw new IllegalStateException("the store refuses the key");
            }

            @Override
            public Optional<MaintenanceWindow> find(String id) {
                throw new IllegalStateException("the store refuses the key");
            }

            @Override
            public void delete(String id) {
                throw new IllegalStateException("the store refuses the key");
            }

            @Override
            public Optional<MaintenanceWindow> previous(String id) {
                throw new IllegalStateException("the store refuses the key");
            }

            @Override
            public List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive) {
                throw new IllegalStateException("the store refuses the key");
            }
        }, new StaleMarks(statements, new InMemoryTermsRepository(DefaultTerms.version()), Clock.systemUTC()));
        APIGatewayV2HTTPResponse response = failingStore.handleRequest(delete, null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("maintenance-window-not-found");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "not base64 at all!|400|malformed-json",
        "//79/v8=|400|malformed-json",
        "HUGE|413|body-too-large",
        "VALID|200|"
    })
    @DisplayName("issue 15: a body flagged base64 is decoded under the shared guard: not base64 or not UTF-8 is a 400 problem, over 16 KiB a 413, never a 500")
    void base64Bodies(String body, int status, String type) {
        APIGatewayV2HTTPEvent event = event();
        String valid = event.getBody();
        event.setIsBase64Encoded(true);
        event.setBody(switch (body) {
            case "HUGE" -> Base64.getEncoder().encodeToString(new byte[20_000]);
            case "VALID" -> Base64.getEncoder().encodeToString(valid.getBytes(StandardCharsets.UTF_8));
            default -> body;
        });
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(status);
        if (type != null) {
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            assertThat(response.getBody()).contains("\"type\":\"https://sla-ledger.dev/problems/" + type + "\"");
        }
    }
}
