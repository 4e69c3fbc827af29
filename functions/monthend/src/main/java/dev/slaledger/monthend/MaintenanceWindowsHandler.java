package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.priming.Priming;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin routes (IAM-authorized on the HTTP API) for maintenance windows (D4):
 * {@code PUT /admin/maintenance-windows} with the window as body records it (saving the same id
 * again replaces it); {@code DELETE /admin/maintenance-windows/{id}} withdraws it. Windows are
 * applied when statements are computed (S2.4), so a window recorded after its traffic still
 * counts if it was announced in time: after storing, the route marks every account-month the
 * window (old and new version) overlaps stale (S7.1), so the next claim, statement read or
 * restatement run recomputes it.
 */
public final class MaintenanceWindowsHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;

    private final MaintenanceWindowRepository windows;
    private final StaleMarks staleMarks;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    public MaintenanceWindowsHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private MaintenanceWindowsHandler(MonthEndWiring wiring) {
        this(wiring.maintenanceWindows(), wiring.staleMarks(),
                Priming.register("maintenance-windows", wiring.maintenanceWindowsPriming()));
    }

    public MaintenanceWindowsHandler(MaintenanceWindowRepository windows, StaleMarks staleMarks) {
        this(windows, staleMarks, null);
    }

    private MaintenanceWindowsHandler(MaintenanceWindowRepository windows, StaleMarks staleMarks, Priming priming) {
        this.windows = windows;
        this.staleMarks = staleMarks;
        this.priming = priming;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? ""
                : event.getRequestContext().getHttp().getMethod();
        if ("DELETE".equals(method)) {
            return withdraw(event, context);
        }
        if (!"PUT".equals(method) && !"POST".equals(method)) {
            return problem(405, "method-not-allowed", "Method not allowed",
                    "use PUT with a D4 window as body, or DELETE /admin/maintenance-windows/{id}", null);
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY) {
            return problem(413, "body-too-large", "Body too large", "at most 16 KiB", null);
        }
        MaintenanceWindow window;
        try {
            window = MaintenanceWindowJson.parse(body);
        } catch (MaintenanceWindowJson.Invalid e) {
            return problem(400, "invalid-maintenance-window", "Invalid maintenance window", e.getMessage(), e.field);
        }
        Optional<MaintenanceWindow> before = windows.find(window.id());
        windows.save(window);
        List<YearMonth> marked = staleMarks.windowChanged(before, Optional.of(window));
        Log.info(context, "maintenance window " + window.id() + " recorded, announced in time: "
                + window.announcedInTime() + "; months marked stale: " + marked);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(MaintenanceWindowJson.toTree(window).toString())
                .build();
    }

    /** DELETE /admin/maintenance-windows/{id}: the window is withdrawn; its months are marked stale. */
    private APIGatewayV2HTTPResponse withdraw(APIGatewayV2HTTPEvent event, Context context) {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        if (id == null || id.isBlank()) {
            return problem(400, "invalid-maintenance-window", "Invalid maintenance window",
                    "DELETE needs the window id in the path: /admin/maintenance-windows/{id}", "id");
        }
        Optional<MaintenanceWindow> before = windows.find(id);
        if (before.isEmpty()) {
            return problem(404, "maintenance-window-not-found", "Maintenance window not found",
                    "no maintenance window has id " + id, "id");
        }
        windows.delete(id);
        List<YearMonth> marked = staleMarks.windowChanged(before, Optional.empty());
        Log.info(context, "maintenance window " + id + " withdrawn; months marked stale: " + marked);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).build();
    }

    private static APIGatewayV2HTTPResponse problem(int status, String type, String title, String detail,
            String field) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "https://sla-ledger.dev/problems/" + type);
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        if (field != null) {
            p.put("field", field);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/problem+json"))
                .withBody(p.toString())
                .build();
    }
}
