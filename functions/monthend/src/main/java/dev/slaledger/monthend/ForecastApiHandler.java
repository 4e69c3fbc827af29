package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastJson;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.port.ForecastRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.lambda.http.ApiRequest;
import dev.slaledger.lambda.http.ApiResponse;
import dev.slaledger.lambda.http.HttpApi;
import dev.slaledger.lambda.http.ProblemJson;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admin route (IAM-authorized on the HTTP API) of the liability forecast (S9.8), for the provider
 * only: {@code GET /admin/forecast?month=YYYY-MM&status=at-risk|compensable&cursor=&limit=} lists the
 * accounts whose month is at risk or compensable with their latest forecast, a page at a time; the
 * first page (no cursor) also totals them: accounts by status and the certain liability per currency.
 * The month defaults to the one under way in the terms' zone. Reads only the at-risk list: its cost
 * is what the list holds, not the number of accounts.
 */
public final class ForecastApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ForecastRepository forecasts;
    private final TermsRepository terms;
    private final Clock clock;

    public ForecastApiHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private ForecastApiHandler(MonthEndWiring wiring) {
        this(wiring.forecasts(), wiring.terms(), wiring.clock());
        Priming.register("forecast-api", wiring.forecastApiPriming());
    }

    public ForecastApiHandler(ForecastRepository forecasts, TermsRepository terms, Clock clock) {
        this.forecasts = forecasts;
        this.terms = terms;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, this::handle);
    }

    ApiResponse handle(ApiRequest request) {
        if (!"GET".equals(request.method())) {
            return ProblemJson.response(405, "method-not-allowed", "Method not allowed",
                    "use GET /admin/forecast", Map.of(), Map.of("Allow", "GET"));
        }
        Map<String, String> q = request.query();
        YearMonth month;
        if (q.containsKey("month")) {
            String text = q.get("month");
            try {
                if (!MONTH.matcher(text).matches()) {
                    throw new DateTimeException(text);
                }
                month = YearMonth.parse(text);
            } catch (DateTimeException e) {
                return invalid("invalid-month", "Invalid month", "month must be YYYY-MM with a month 01-12", "month");
            }
        } else {
            month = LiabilityForecast.monthUnderWay(clock, MonthEndFanOut.zoneInForce(clock, terms.published()));
        }
        Optional<ForecastStatus> status = Optional.empty();
        if (q.containsKey("status")) {
            status = ForecastStatus.parse(q.get("status")).filter(s -> s != ForecastStatus.OK);
            if (status.isEmpty()) {
                return invalid("invalid-status", "Invalid status", "status is at-risk or compensable (the list "
                        + "holds no account that is ok)", "status");
            }
        }
        int limit = DEFAULT_LIMIT;
        if (q.containsKey("limit")) {
            String text = q.get("limit");
            if (!LIMIT.matcher(text).matches() || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
                return invalid("invalid-limit", "Invalid limit", "limit is a whole number from 1 to " + MAX_LIMIT,
                        "limit");
            }
            limit = Integer.parseInt(text);
        }
        Optional<String> cursor = Optional.ofNullable(q.get("cursor"));
        ForecastRepository.Page page;
        try {
            page = forecasts.atRisk(month, status, cursor, limit);
        } catch (IllegalArgumentException e) {
            return invalid("invalid-cursor", "Invalid cursor", "cursor must be the 'cursor' of a previous page",
                    "cursor");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("month", month.toString());
        if (cursor.isEmpty()) {
            ForecastRepository.Totals totals = forecasts.totals(month);
            ObjectNode t = body.putObject("totals");
            t.put("accountsAtRisk", totals.accounts().getOrDefault(ForecastStatus.AT_RISK, 0L));
            t.put("accountsCompensable", totals.accounts().getOrDefault(ForecastStatus.COMPENSABLE, 0L));
            ObjectNode liability = t.putObject("certainLiability");
            totals.certainLiability().forEach((c, amount) -> liability.put(c.getCurrencyCode(),
                    amount.setScale(Math.max(0, c.getDefaultFractionDigits())).toPlainString()));
        }
        ArrayNode list = body.putArray("forecasts");
        for (AccountForecast f : page.forecasts()) {
            list.add(ForecastJson.toTree(f));
        }
        if (page.next().isPresent()) {
            body.put("cursor", page.next().get());
        } else {
            body.putNull("cursor");
        }
        return ApiResponse.json(200, body.toString());
    }

    private static ApiResponse invalid(String slug, String title, String detail, String field) {
        return ProblemJson.response(400, slug, title, detail, Map.of("field", field), Map.of());
    }
}
