package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.core.usecase.OutboxSweep;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Invoked by EventBridge Scheduler every 5 minutes (S7.6): sends every {@code VoucherIssued} and
 * {@code StatementCompensable} event still owed for more than {@link OutboxSweep#DEFAULT_MIN_AGE}
 * (the Ledger's sparse outbox index: a constant number of requests when nothing is owed) and
 * marks it sent. The schedule's input is ignored.
 *
 * <p>An entry that could not be sent stays owed for the next sweep; the invocation then fails
 * after the whole sweep (one ERROR line per entry), so the function's error alarm tells the
 * operator that owed events are not reaching the bus.
 */
public final class OutboxSweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final OutboxSweep sweep;

    public OutboxSweepHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private OutboxSweepHandler(MonthEndWiring wiring) {
        this(wiring.outboxSweep());
        Priming.register("outbox-sweep", wiring.outboxSweepPriming());
    }

    public OutboxSweepHandler(OutboxSweep sweep) {
        this.sweep = sweep;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        OutboxSweep.Summary summary = sweep.run();
        JsonLog.info(context, "outbox sweep: " + summary.vouchersSent() + " VoucherIssued and "
                + summary.statementsSent() + " StatementCompensable sent, " + summary.skipped()
                + " already sent or being sent, " + summary.deferred() + " left for the next sweep, "
                + summary.failed() + " failed");
        for (String failure : summary.failures()) {
            JsonLog.error(context, "outbox sweep: still owed, not sent: " + failure);
        }
        if (summary.failed() > 0) {
            throw new IllegalStateException(summary.failed() + " owed events could not be sent (see the log);"
                    + " they stay owed and the next sweep sends them");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vouchersSent", summary.vouchersSent());
        out.put("statementsSent", summary.statementsSent());
        out.put("skipped", summary.skipped());
        out.put("deferred", summary.deferred());
        return out;
    }
}
