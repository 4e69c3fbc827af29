package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Invoked by EventBridge Scheduler every hour of the 1st and 2nd of each month (schedules.json),
 * with the schedule's input as the event: {@code {}} closes the latest month that has ended in the
 * zone of every terms version that may govern it, whatever zone the schedule fires in (S1.4, issue
 * 27 item 5), once: a month already closed costs one read; a run stopped by its time budget or a
 * crash is continued from its last checkpoint by the next firing or retry (S9.2).
 * {@code {"month":"YYYY-MM"}} recomputes a given month (an operator's run; its retries continue it).
 * Lists the accounts with a service period in the month and fans them out to the statement queue.
 */
public final class MonthEndHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final MonthEndFanOut fanOut;
    private final TermsRepository terms;

    public MonthEndHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    MonthEndHandler(MonthEndWiring wiring) {
        this(wiring.fanOut(), wiring.terms());
        Priming.register("month-end", wiring.fanOutPriming());
    }

    public MonthEndHandler(MonthEndFanOut fanOut, TermsRepository terms) {
        this.fanOut = fanOut;
        this.terms = terms;
    }

    /** Stop fanning out when less than this is left of the invocation's time (a checkpoint follows). */
    static final long RESERVE_MILLIS = 60_000;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Optional<YearMonth> month = requestedMonth(input);
        BooleanSupplier timeLeft = context == null ? () -> true
                : () -> context.getRemainingTimeInMillis() > RESERVE_MILLIS;
        MonthEndFanOut.Summary summary = month.isPresent()
                ? fanOut.run(month.get(), MonthEndFanOut.key(month.get()) + "#recompute#"
                        + (context == null ? UUID.randomUUID().toString() : context.getAwsRequestId()), timeLeft)
                : fanOut.closeMonth(terms.published(), timeLeft);
        JsonLog.info(context, "month-end " + summary.month() + ": " + (summary.alreadyDone() ? "already closed"
                : summary.accounts() + " accounts in " + summary.batches() + " work messages"
                        + (summary.complete() ? ", month closed" : ", stopped by the time budget; the next run continues")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("month", summary.month().toString());
        out.put("accounts", summary.accounts());
        out.put("workMessages", summary.batches());
        out.put("complete", summary.complete());
        out.put("alreadyDone", summary.alreadyDone());
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
