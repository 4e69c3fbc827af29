package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The daily liability forecast (S9.8), fanned out like the month-end. EventBridge Scheduler invokes
 * it daily with {@code {}} (schedules.json, target {@code forecast}): it lists the accounts with a
 * service period in the month under way (the terms' zone in force) onto the forecast's work queue,
 * {@value MonthEndWiring#DEFAULT_BATCH_SIZE} or {@code WORK_BATCH_SIZE} accounts per message
 * ({@code {"month","accountIds"}}, the month-end's message), which {@link ForecastWorkerHandler}
 * takes; {@code {"month":"YYYY-MM"}} forecasts a given month. It builds DynamoDB and SQS clients
 * only (it deploys the month-end's package). Provider-only: nothing of it is visible to customers.
 */
public final class ForecastHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final MonthEndFanOut fanOut;
    private final TermsRepository terms;
    private final Clock clock;

    /** Lambda's: wired from the environment. */
    public ForecastHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private ForecastHandler(MonthEndWiring wiring) {
        this(wiring.forecastFanOut(), wiring.terms(), wiring.clock());
        Priming.register("forecast", wiring.forecastPriming());
    }

    /** On a given fan-out and clock: the local runtime, the tests and the rehearsal harness. */
    public ForecastHandler(MonthEndFanOut fanOut, TermsRepository terms, Clock clock) {
        this.fanOut = Objects.requireNonNull(fanOut);
        this.terms = Objects.requireNonNull(terms);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The schedule's invocation: the month under way (or the one asked for) onto the queue. */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        ZoneId zone = fanOut.zoneInForce(terms.published());
        YearMonth month = MonthEndHandler.requestedMonth(input)
                .orElseGet(() -> LiabilityForecast.monthUnderWay(clock, zone));
        // progress per day (S9.2): a run stopped by its budget or a crash continues; the next day starts anew
        String key = "forecast#" + month + "#" + java.time.LocalDate.now(clock.withZone(zone));
        java.util.function.BooleanSupplier timeLeft = context == null ? () -> true
                : () -> context.getRemainingTimeInMillis() > MonthEndHandler.RESERVE_MILLIS;
        MonthEndFanOut.Summary summary = fanOut.run(month, key, timeLeft);
        JsonLog.info(context, "forecast " + summary.month() + ": " + summary.accounts() + " accounts in "
                + summary.batches() + " work messages");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("month", summary.month().toString());
        out.put("accounts", summary.accounts());
        out.put("workMessages", summary.batches());
        return out;
    }
}
