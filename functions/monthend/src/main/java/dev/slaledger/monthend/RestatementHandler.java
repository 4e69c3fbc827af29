package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.core.usecase.Restatement;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Invoked by EventBridge Scheduler at least daily (S7.2): hands every stale account-month whose
 * month has ended to the statement workers over the month-end's queue, marked as restatement
 * work. Reads the stale list only, so a run with nothing stale costs a constant number of
 * requests whatever the number of accounts. The schedule's input is ignored.
 */
public final class RestatementHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Restatement restatement;

    public RestatementHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private RestatementHandler(MonthEndWiring wiring) {
        this(wiring.restatement());
        Priming.register("restatement", wiring.restatementPriming());
    }

    public RestatementHandler(Restatement restatement) {
        this.restatement = restatement;
    }

    /** Stop handing out a whole month when less than this is left of the invocation's time (a checkpoint follows). */
    static final long RESERVE_MILLIS = 60_000;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Restatement.Summary summary = restatement.run(context == null ? () -> true
                : () -> context.getRemainingTimeInMillis() > RESERVE_MILLIS);
        JsonLog.info(context, "restatement: " + summary.accountMonths() + " stale account-months, "
                + summary.wholeMonths() + " whole months, " + summary.accounts() + " accounts in "
                + summary.batches() + " work messages, " + summary.deferred() + " left for the month-end"
                + (summary.complete() ? "" : "; stopped by the time budget, the next run continues"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("staleAccountMonths", summary.accountMonths());
        out.put("wholeMonths", summary.wholeMonths());
        out.put("accounts", summary.accounts());
        out.put("workMessages", summary.batches());
        out.put("deferred", summary.deferred());
        out.put("complete", summary.complete());
        return out;
    }
}
