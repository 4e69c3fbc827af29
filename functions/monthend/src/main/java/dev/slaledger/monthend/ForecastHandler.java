package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.adapter.sqs.WorkMessage;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.lambda.JsonLog;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The daily liability forecast (S9.8), fanned out like the month-end: one handler, two invocations.
 *
 * <ul>
 * <li>EventBridge Scheduler invokes it daily with {@code {}} (schedules.json, target {@code forecast}):
 *     it lists the accounts with a service period in the month under way (the terms' zone in force)
 *     onto its work queue, {@value MonthEndWiring#DEFAULT_BATCH_SIZE} or {@code WORK_BATCH_SIZE}
 *     accounts per message ({@code {"month","accountIds"}}, the month-end's message);
 *     {@code {"month":"YYYY-MM"}} forecasts a given month.</li>
 * <li>Its queue's event source mapping invokes it with the messages ({@code {"Records":[...]}}): it
 *     forecasts each message's accounts ({@link LiabilityForecast}), sends {@code SlaAtRisk} for a
 *     status that changed, writes the batch's metrics (namespace {@value #METRICS_NAMESPACE}:
 *     {@code AccountsOk}, {@code AccountsAtRisk}, {@code AccountsCompensable}, {@code StatusChanges},
 *     {@code ForecastFailures}, and {@code CertainLiability} per {@code Currency}; an account counts
 *     once a day however often it is retried) and answers the messages whose accounts failed as
 *     batch item failures, so SQS redelivers only those.</li>
 * </ul>
 * Each mode builds only its own clients (the fan-out SQS, the worker EventBridge), so each deployed
 * function runs from a package holding only its own SDK services. Provider-only: nothing of it is
 * visible to customers.
 */
public final class ForecastHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** The CloudWatch namespace of the forecast's metrics (alarms: AppStack). */
    public static final String METRICS_NAMESPACE = "SlaLedger/Forecast";

    private final Supplier<MonthEndFanOut> fanOut;
    private final TermsRepository terms;
    private final Supplier<LiabilityForecast> forecast;
    private final Clock clock;

    /** Lambda's: both modes wired from the environment, each on first use. */
    public ForecastHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private ForecastHandler(MonthEndWiring wiring) {
        this(memo(wiring::forecastFanOut), wiring.terms(), memo(wiring::liabilityForecast), wiring.clock());
    }

    /** On given use cases and clock: the local runtime, the tests and the rehearsal harness. */
    public ForecastHandler(MonthEndFanOut fanOut, TermsRepository terms, LiabilityForecast forecast, Clock clock) {
        this(() -> fanOut, terms, () -> forecast, clock);
    }

    private ForecastHandler(Supplier<MonthEndFanOut> fanOut, TermsRepository terms,
            Supplier<LiabilityForecast> forecast, Clock clock) {
        this.fanOut = fanOut;
        this.terms = Objects.requireNonNull(terms);
        this.forecast = forecast;
        this.clock = Objects.requireNonNull(clock);
    }

    private static <T> Supplier<T> memo(Supplier<T> build) {
        return new Supplier<>() {
            private T built;

            @Override
            public synchronized T get() {
                if (built == null) {
                    built = build.get();
                }
                return built;
            }
        };
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        if (input != null && input.get("Records") instanceof List<?> records) {
            return work(records, context);
        }
        return fanOut(input, context);
    }

    /** The schedule's invocation: the month under way (or the one asked for) onto the queue. */
    private Map<String, Object> fanOut(Map<String, Object> input, Context context) {
        MonthEndFanOut run = fanOut.get();
        ZoneId zone = run.zoneInForce(terms.published());
        YearMonth month = MonthEndHandler.requestedMonth(input)
                .orElseGet(() -> LiabilityForecast.monthUnderWay(clock, zone));
        MonthEndFanOut.Summary summary = run.run(Optional.of(month), zone);
        JsonLog.info(context, "forecast " + summary.month() + ": " + summary.accounts() + " accounts in "
                + summary.batches() + " work messages");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("month", summary.month().toString());
        out.put("accounts", summary.accounts());
        out.put("workMessages", summary.batches());
        return out;
    }

    /** The queue's invocation: each message's accounts forecast; failed messages reported. */
    private Map<String, Object> work(List<?> records, Context context) {
        LiabilityForecast forecasts = forecast.get();
        List<Map<String, String>> failures = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> liability = new LinkedHashMap<>();
        for (Object record : records) {
            Map<?, ?> message = record instanceof Map<?, ?> m ? m : Map.of();
            String id = String.valueOf(message.get("messageId"));
            try {
                WorkMessage work = WorkMessage.parse(String.valueOf(message.get("body")));
                LiabilityForecast.Summary summary = forecasts.forecastAll(work.accountIds(), work.month());
                counts.merge("AccountsOk", (long) summary.byStatus().getOrDefault(ForecastStatus.OK, 0), Long::sum);
                counts.merge("AccountsAtRisk", (long) summary.byStatus().getOrDefault(ForecastStatus.AT_RISK, 0),
                        Long::sum);
                counts.merge("AccountsCompensable",
                        (long) summary.byStatus().getOrDefault(ForecastStatus.COMPENSABLE, 0), Long::sum);
                counts.merge("StatusChanges", (long) summary.statusChanges(), Long::sum);
                counts.merge("ForecastFailures", (long) summary.failed().size(), Long::sum);
                summary.certainLiability().forEach((c, amount) -> liability.merge(c.getCurrencyCode(), amount,
                        BigDecimal::add));
                for (String accountId : summary.failed()) {
                    JsonLog.warn(context, "forecast of account " + accountId + " for " + work.month()
                            + " failed; its work message " + id + " is retried");
                }
                if (!summary.failed().isEmpty()) {
                    failures.add(Map.of("itemIdentifier", id));
                }
            } catch (RuntimeException e) {
                JsonLog.warn(context, "forecast work message " + id + " failed: " + e.getClass().getSimpleName()
                        + ": " + e.getMessage());
                counts.merge("ForecastFailures", 1L, Long::sum);
                failures.add(Map.of("itemIdentifier", id));
            }
        }
        JsonLog.metrics(context, METRICS_NAMESPACE, Map.of(), counts, "Count");
        liability.forEach((currency, amount) -> JsonLog.metrics(context, METRICS_NAMESPACE,
                Map.of("Currency", currency), Map.of("CertainLiability", amount), "None"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batchItemFailures", failures);
        return out;
    }
}
