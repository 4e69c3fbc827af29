package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.adapter.sqs.WorkMessage;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The liability forecast's worker (S9.8): its queue's event source mapping invokes it with the work
 * messages {@link ForecastHandler} sent ({@code {"Records":[...]}}). It forecasts each message's
 * accounts ({@link LiabilityForecast}), sends {@code SlaAtRisk} for a status that changed, writes the
 * batch's metrics (namespace {@value #METRICS_NAMESPACE}: {@code AccountsOk}, {@code AccountsAtRisk},
 * {@code AccountsCompensable}, {@code StatusChanges}, {@code ForecastFailures}, and
 * {@code CertainLiability} per {@code Currency}) and answers the messages whose accounts failed as
 * batch item failures, so SQS redelivers only those. It builds DynamoDB and EventBridge clients only
 * (it deploys the statement worker's package). Provider-only: nothing of it is visible to customers.
 */
public final class ForecastWorkerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** The CloudWatch namespace of the forecast's metrics (alarms: AppStack). */
    public static final String METRICS_NAMESPACE = "SlaLedger/Forecast";

    private final LiabilityForecast forecast;

    /** Lambda's: wired from the environment. */
    public ForecastWorkerHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private ForecastWorkerHandler(MonthEndWiring wiring) {
        this(wiring.liabilityForecast());
        Priming.register("forecast-worker", wiring.forecastWorkerPriming());
    }

    /** On a given forecast: the local runtime, the tests and the rehearsal harness. */
    public ForecastWorkerHandler(LiabilityForecast forecast) {
        this.forecast = Objects.requireNonNull(forecast);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        List<?> records = input != null && input.get("Records") instanceof List<?> r ? r : List.of();
        return work(records, context);
    }

    /** The queue's invocation: each message's accounts forecast; failed messages reported. */
    private Map<String, Object> work(List<?> records, Context context) {
        LiabilityForecast forecasts = forecast;
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
