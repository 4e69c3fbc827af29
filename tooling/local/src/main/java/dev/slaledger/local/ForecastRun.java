package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code replay --forecast-at INSTANT}: the daily liability forecast (S9.8, provider only) as of an
 * instant. The runtime fires the forecast job with its clock there ({@link LocalRuntime#runForecast}: the
 * Lambda's fan-out and worker code on the replay's aggregates), then reads the provider's answer from
 * {@code GET /admin/forecast} ({@code ForecastApiHandler}), every page of it: the totals (accounts at
 * risk, compensable, certain liability per currency) and the accounts listed at risk or compensable.
 */
final class ForecastRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Forecasts per request: the admin route's maximum. */
    static final int PAGE = 500;
    /** The console lists this many accounts; the report all of them. */
    static final int PRINTED = 20;

    /** What the run found: the job's own summary, and the admin route's answer with every page joined. */
    record Result(Instant at, Map<String, Object> job, JsonNode answer) {
        String month() {
            return answer.path("month").asText();
        }

        JsonNode totals() {
            return answer.path("totals");
        }

        JsonNode forecasts() {
            return answer.path("forecasts");
        }
    }

    private ForecastRun() {
    }

    static Result run(LocalRuntime runtime, Instant at) {
        Map<String, Object> job = runtime.runForecast(at);
        String month = String.valueOf(job.get("month"));
        ObjectNode joined = null;
        String cursor = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("month", month);
            query.put("limit", Integer.toString(PAGE));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            APIGatewayV2HTTPResponse r = runtime.adminForecast(query);
            JsonNode page = parse(r.getBody());
            if (r.getStatusCode() != 200) {
                throw new IllegalStateException("GET /admin/forecast answered " + r.getStatusCode() + ": " + r.getBody());
            }
            if (joined == null) {
                joined = (ObjectNode) page;
            } else {
                ((ArrayNode) joined.get("forecasts")).addAll((ArrayNode) page.get("forecasts"));
            }
            cursor = page.path("cursor").isTextual() ? page.get("cursor").asText() : null;
        } while (cursor != null);
        joined.remove("cursor");
        return new Result(at, job, joined);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("GET /admin/forecast answered no JSON", e);
        }
    }

    /** The console's lines: what the job did, the totals, and the first accounts at risk or compensable. */
    static void print(PrintStream console, Result r) {
        JsonNode t = r.totals();
        console.printf("  liability forecast (S9.8, provider only) of %s as of %s: %s accounts forecast in %s work "
                + "messages; %d at risk, %d compensable; certain liability %s%n", r.month(), r.at(),
                r.job().get("accounts"), r.job().get("workMessages"), t.path("accountsAtRisk").asLong(),
                t.path("accountsCompensable").asLong(), liability(t));
        int n = 0;
        for (JsonNode f : r.forecasts()) {
            if (n++ == PRINTED) {
                console.println("      ... and " + (r.forecasts().size() - PRINTED) + " more (GET /admin/forecast, the report)");
                break;
            }
            console.println("    " + line(f));
        }
    }

    /** One account's forecast in a line. */
    static String line(JsonNode f) {
        return String.format(Locale.ROOT, "%s: %s, error-rate sum %s of budget %s (%s of %s intervals), projected %s; "
                + "certain %s %%%s", f.path("accountId").asText(), f.path("status").asText(),
                f.path("errorRateSum").asText(), f.path("errorBudget").asText(), f.path("elapsedIntervals").asText(),
                f.path("intervals").asText(), f.path("projectedBurn").asText(), f.path("certainPercent").asText(),
                f.hasNonNull("certainVoucher") ? " = " + f.get("certainVoucher").asText() + " "
                        + f.path("currency").asText() : "");
    }

    static String liability(JsonNode totals) {
        JsonNode l = totals.path("certainLiability");
        if (l.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        l.fields().forEachRemaining(e -> b.append(b.isEmpty() ? "" : ", ").append(e.getValue().asText()).append(' ')
                .append(e.getKey()));
        return b.toString();
    }
}
