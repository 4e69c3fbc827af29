package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.core.notice.SendPlan;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.notifier.notice.NoticeDispatcher;
import dev.slaledger.notifier.notice.NoticeWorker;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The notice dispatcher's handler: invoked hourly by EventBridge Scheduler (input {@code {}}) and
 * right after a publication by the {@code TermsPublished} EventBridge rule; both run
 * {@link NoticeDispatcher#run}: read the terms and the SES quota, set the shared send plan, page the
 * notices owed onto the notice queue (the workers, {@link NoticeWorkerHandler}, send them). Returns
 * (and logs) what it did.
 */
public final class NotifierHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop paging when less than this is left of the invocation's time. */
    static final long RESERVE_MILLIS = 30_000;

    private final NoticeDispatcher dispatcher;
    private final Clock clock;

    public NotifierHandler() {
        this(NotifierWiring.fromEnvironment());
    }

    private NotifierHandler(NotifierWiring wiring) {
        this(wiring.dispatcher(), wiring.clock());
        Priming.register("notifier", wiring.dispatcherPriming());
    }

    public NotifierHandler(NoticeDispatcher dispatcher, Clock clock) {
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Object trigger = input == null ? null : input.get("detail-type");
        TimeBudget budget = context == null ? TimeBudget.unlimited()
                : TimeBudget.until(clock, clock.instant().plusMillis(context.getRemainingTimeInMillis() - RESERVE_MILLIS));
        NoticeDispatcher.Report report = dispatcher.run(budget);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trigger", trigger == null ? "schedule" : trigger.toString());
        report.plan().ifPresent(p -> out.put("plan", plan(p)));
        out.put("hourAllowance", report.hourAllowance());
        out.put("parkedRequeued", report.parkedRequeued());
        out.put("listed", report.listed());
        out.put("workUnits", report.units());
        report.audienceCounted().ifPresent(n -> out.put("audience", n));
        if (report.rescued() > 0) {
            // S9.2: units whose last receive died (their messages are in NoticeWorkDlq) listed again
            out.put("rescued", report.rescued());
            JsonLog.warn(context, report.rescued() + " notice work units whose last receive failed were listed again"
                    + " from their rescue records (their messages went to the dead-letter queue)");
            JsonLog.metric(context, NoticeWorkerHandler.METRICS_NAMESPACE, "NoticeWorkRescued", report.rescued());
        }
        if (report.gaveUp() > 0) {
            out.put("gaveUp", report.gaveUp());
            JsonLog.warn(context, report.gaveUp() + " accounts given up on: their work unit failed "
                    + NoticeWorker.MAX_ATTEMPTS + " times (Ledger NOTICEGAVEUP#)");
            JsonLog.metric(context, NoticeWorkerHandler.METRICS_NAMESPACE, "NoticeAccountsGaveUp", report.gaveUp());
        }
        report.stoppedBecause().ifPresent(reason -> {
            out.put("stoppedBecause", reason);
            JsonLog.warn(context, "notice dispatch stopped early: " + reason);
        });
        JsonLog.info(context, "notice dispatch: " + out);
        return out;
    }

    private static Map<String, Object> plan(SendPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxSendRate", p.quota().maxSendRate().toPlainString());
        m.put("max24HourSend", p.quota().max24HourSend());
        m.put("sentLast24Hours", p.quota().sentLast24Hours());
        m.put("ratePerSecond", p.ratePerSecond().toPlainString());
        m.put("hourCap", p.hourCap());
        m.put("perDay", p.perDay());
        m.put("others", p.others());
        return m;
    }
}
