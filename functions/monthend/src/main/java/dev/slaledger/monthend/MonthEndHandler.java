package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Invoked by EventBridge Scheduler early on the 1st of each month (in the terms' zone), with
 * the schedule's input as the event: {@code {}} computes the month that just ended by the
 * clock, {@code {"month":"YYYY-MM"}} recomputes a given month. Lists the accounts with a
 * service period in the month and fans them out to the statement queue.
 */
public final class MonthEndHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final MonthEndFanOut fanOut;
    private final TermsRepository terms;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    public MonthEndHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    MonthEndHandler(MonthEndWiring wiring) {
        this(wiring.fanOut(), wiring.terms(), Priming.register("month-end", wiring.fanOutPriming()));
    }

    public MonthEndHandler(MonthEndFanOut fanOut, TermsRepository terms) {
        this(fanOut, terms, null);
    }

    private MonthEndHandler(MonthEndFanOut fanOut, TermsRepository terms, Priming priming) {
        this.fanOut = fanOut;
        this.terms = terms;
        this.priming = priming;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Optional<YearMonth> month = requestedMonth(input);
        ZoneId zone = fanOut.zoneInForce(terms.published());
        MonthEndFanOut.Summary summary = fanOut.run(month, zone);
        JsonLog.info(context, "month-end " + summary.month() + ": " + summary.accounts() + " accounts in "
                + summary.batches() + " work messages");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("month", summary.month().toString());
        out.put("accounts", summary.accounts());
        out.put("workMessages", summary.batches());
        return out;
    }

    static Optional<YearMonth> requestedMonth(Map<String, Object> input) {
        if (input == null || input.get("month") == null) {
            return Optional.empty();
        }
        Object month = input.get("month");
        if (!(month instanceof String text)) {
            throw new IllegalArgumentException("month must be a string YYYY-MM, was " + month);
        }
        try {
            return Optional.of(YearMonth.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month must be YYYY-MM, was " + text);
        }
    }
}
