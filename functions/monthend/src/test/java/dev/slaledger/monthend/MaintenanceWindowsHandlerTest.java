package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaintenanceWindowsHandlerTest {
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final MaintenanceWindowsHandler handler = new MaintenanceWindowsHandler(windows);

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

    @ParameterizedTest(name = "[{index}] {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "not json|(body)",
        "[]|(body)",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T01:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}|end",
        "{\"id\":\"x\",\"start\":\"2026-10-03 02:00\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}|start",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\"}|announcedAt",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\",\"accounts\":\"acme\"}|accounts",
        "{\"id\":\"x y\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}|id",
        "{\"id\":\"x\",\"start\":\"2026-10-03T02:00:00Z\",\"end\":\"2026-10-03T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\",\"reason\":\"db\"}|reason"
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
}
