package dev.slaledger.benchmarks.rehearsal.jobs;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.aws.SimLambda;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.monthend.MonthEndWiring;
import dev.slaledger.priming.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maintenance windows for all accounts over the rehearsed month (S7.1, issue 27 item 7), through the
 * admin route (the real handler): one recorded, changed, withdrawn and its withdrawal retried, then
 * another recorded; each call marks the month as a whole. The next daily restatement recomputes every
 * account-month of the month with the windows in force, through the work queue and the workers.
 * Finished when it is done and the queue holds nothing.
 */
public final class WindowMarkingJob extends ScheduledJob {
    private static final String SAMPLE = "/dev/slaledger/monthend/priming/admin-put-maintenance-window.json";
    private final List<Integer> adminStatuses = new ArrayList<>();

    public WindowMarkingJob(String name) {
        super(name, Duration.ofHours(36), stack -> stack.workQueue);
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        // recorded, changed (a longer window), withdrawn, and the withdrawal retried (its answer lost)
        admin(stack, "PUT", "{\"id\":\"mw-all-2026-10-10\",\"start\":\"2026-10-10T00:00:00Z\","
                + "\"end\":\"2026-10-10T02:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}", null);
        admin(stack, "PUT", "{\"id\":\"mw-all-2026-10-10\",\"start\":\"2026-10-10T00:00:00Z\","
                + "\"end\":\"2026-10-10T04:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}", null);
        admin(stack, "DELETE", null, "mw-all-2026-10-10");
        admin(stack, "DELETE", null, "mw-all-2026-10-10");
        admin(stack, "PUT", "{\"id\":\"mw-all-2026-10-11\",\"start\":\"2026-10-10T00:00:00Z\","
                + "\"end\":\"2026-10-10T03:00:00Z\",\"announcedAt\":\"2026-09-20T00:00:00Z\"}", null);
        fireNext(stack, "RestatementSchedule", stack.sim.now(), after);
    }

    private void admin(RehearsalStack stack, String method, String body, String id) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi(MonthEndWiring.class, SAMPLE);
        event.getRequestContext().getHttp().setMethod(method);
        event.setBody(body);
        if (id != null) {
            event.setPathParameters(java.util.Map.of("id", id));
        }
        SimLambda.Outcome<APIGatewayV2HTTPResponse> out = stack.invokeNow("maintenance-windows", name,
                ctx -> stack.maintenanceWindows.handleRequest(event, ctx));
        adminStatuses.add(out.ok() ? out.value().getStatusCode() : -1);
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        long monthMark = stack.world.statementStore.monthMark(MonthEndJob.MONTH);
        long upToDate = 0;
        long repeated = 0;
        SyntheticWorld w = stack.world;
        for (int i = 0; i < w.accounts; i++) {
            String id = SyntheticWorld.accountId(i);
            if (!w.statementStore.snapshot(id, MonthEndJob.MONTH).stale(monthMark)) {
                upToDate++;
            }
            repeated += repeatedRevisions(w.statementStore.history(id, MonthEndJob.MONTH));
        }
        stack.aws.meter().job(name).add("accounts reached", upToDate);
        return List.of(
                Check.of("the admin calls answered 2xx, the retried withdrawal too", adminStatuses.stream()
                        .allMatch(s -> s >= 200 && s < 300), "statuses " + adminStatuses),
                Check.of("every account-month of the month recomputed with the window (S7.1)", upToDate == w.accounts,
                        upToDate + " of " + w.accounts),
                Check.of("no revision stored twice", repeated == 0, repeated + " repeated revisions"));
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        return within(figures, "every account-month the window marked restated within 1 hour of the restatement run",
                Duration.ofHours(1));
    }
}
