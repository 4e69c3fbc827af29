package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.lambda.http.ApiRequest;
import dev.slaledger.lambda.http.ApiResponse;
import dev.slaledger.lambda.http.HttpApi;
import dev.slaledger.lambda.http.ProblemJson;
import dev.slaledger.lambda.http.RequestBody;
import dev.slaledger.priming.Priming;
import java.time.YearMonth;
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
 *
 * <p>Every call is safe to retry (issue 27 item 7): the store keeps the version each change replaced
 * or withdrew ({@link MaintenanceWindowRepository#previous}), and each call, a retry included, marks
 * both versions after storing; a retried withdrawal answers 204 and marks again instead of 404. A
 * window for all accounts marks each month it overlaps as a whole (one write per month, whatever the
 * number of accounts: {@code StalenessMarker.markMonthStale}); the daily restatement then hands out
 * every account of the month under a checkpointed progress ({@code Restatement}), so the route stays
 * within its 10 seconds at any size.
 */
public final class MaintenanceWindowsHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final int MAX_BODY = 16 * 1024;

    private final MaintenanceWindowRepository windows;
    private final StaleMarks staleMarks;

    public MaintenanceWindowsHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private MaintenanceWindowsHandler(MonthEndWiring wiring) {
        this(wiring.maintenanceWindows(), wiring.staleMarks());
        Priming.register("maintenance-windows", wiring.maintenanceWindowsPriming());
    }

    public MaintenanceWindowsHandler(MaintenanceWindowRepository windows, StaleMarks staleMarks) {
        this.windows = windows;
        this.staleMarks = staleMarks;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, request -> handle(request, context));
    }

    ApiResponse handle(ApiRequest request, Context context) {
        if ("DELETE".equals(request.method())) {
            return withdraw(request, context);
        }
        if (!"PUT".equals(request.method()) && !"POST".equals(request.method())) {
            return ProblemJson.response(405, "method-not-allowed", "Method not allowed",
                    "use PUT with a D4 window as body, or DELETE /admin/maintenance-windows/{id}", Map.of(),
                    Map.of("Allow", "PUT, POST, DELETE"));
        }
        RequestBody.Result body = RequestBody.text(request, MAX_BODY);
        if (!body.ok()) {
            return body.problem();
        }
        MaintenanceWindow window;
        try {
            window = MaintenanceWindowJson.parse(body.text());
        } catch (MaintenanceWindowJson.Invalid e) {
            return invalid(e.getMessage(), e.field);
        }
        windows.save(window);
        // the version this change replaced, also when this call is a retry of it (S7.1, issue 27 item 7)
        List<YearMonth> marked = staleMarks.windowChanged(windows.previous(window.id()), Optional.of(window));
        JsonLog.info(context, "maintenance window " + window.id() + " recorded, announced in time: "
                + window.announcedInTime() + "; months marked stale: " + marked);
        return ApiResponse.json(200, MaintenanceWindowJson.toTree(window).toString());
    }

    /** DELETE /admin/maintenance-windows/{id}: the window is withdrawn; its months are marked stale. */
    private ApiResponse withdraw(ApiRequest request, Context context) {
        String id = request.pathParameters().get("id");
        if (id == null || id.isBlank()) {
            return invalid("DELETE needs the window id in the path: /admin/maintenance-windows/{id}", "id");
        }
        if (!MaintenanceWindowJson.isId(id)) {
            // no window can have it (ids are checked when recorded): not found, without asking the store
            return ProblemJson.response(404, "maintenance-window-not-found", "Maintenance window not found",
                    "no maintenance window has this id: ids are 1-128 letters, digits and . _ : -",
                    Map.of("field", "id"), Map.of());
        }
        boolean live = windows.find(id).isPresent();
        if (live) {
            windows.delete(id);
        }
        // withdrawn now, or by an earlier call this one retries: mark what it withdrew (again)
        Optional<MaintenanceWindow> withdrawn = windows.find(id).isEmpty() ? windows.previous(id) : Optional.empty();
        if (withdrawn.isEmpty()) {
            return ProblemJson.response(404, "maintenance-window-not-found", "Maintenance window not found",
                    "no maintenance window has id " + id, Map.of("field", "id"), Map.of());
        }
        List<YearMonth> marked = staleMarks.windowChanged(withdrawn, Optional.empty());
        JsonLog.info(context, "maintenance window " + id + (live ? " withdrawn" : " already withdrawn (a retry)")
                + "; months marked stale: " + marked);
        return ApiResponse.empty(204);
    }

    private static ApiResponse invalid(String detail, String field) {
        return ProblemJson.response(400, "invalid-maintenance-window", "Invalid maintenance window", detail,
                field == null ? Map.of() : Map.of("field", field), Map.of());
    }
}
