package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.statement.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence of a statement (S9.6) as the claims API gives it to the account's own customer:
 * {@code GET /statements/{month}/intervals} through {@code ClaimsHandler}, every page of it
 * ({@value #PAGE} intervals a page), joined into one listing: the first page's {@code accountId},
 * {@code month}, {@code statement} and {@code zone}, then every page's {@code intervals} (those that
 * count, with their exact rate) and {@code excluded} (with their flag counts by kind and window id),
 * in order. The route's code makes it; nothing here computes a rate. {@code replay --evidence DIR}
 * writes one file per account-month, the report lists it per account and marks it on the chart.
 */
final class Evidence {
    /** Intervals per request: the route's maximum. */
    static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One account-month's evidence: the joined listing ({@code status} 200), or the route's problem
     * (e.g. 410 {@code evidence-expired} past the aggregates' retention) as it answered it.
     */
    record Listing(String accountId, YearMonth month, int status, JsonNode body) {
        boolean found() {
            return status == 200;
        }

        JsonNode counted() {
            return body.path("intervals");
        }

        JsonNode excluded() {
            return body.path("excluded");
        }
    }

    private Evidence() {
    }

    /** The evidence of each statement, keyed as {@link ReplayRun#key}, in the statements' order. */
    static Map<String, Listing> of(LocalRuntime runtime, List<Statement> statements) {
        Map<String, Listing> out = new LinkedHashMap<>();
        for (Statement s : statements) {
            out.put(ReplayRun.key(s), read(runtime, s.accountId(), s.month()));
        }
        return out;
    }

    /** Every page of the account-month's evidence, joined; or the first non-200 answer. */
    static Listing read(LocalRuntime runtime, String accountId, YearMonth month) {
        ObjectNode joined = null;
        ArrayNode counted = null;
        ArrayNode excluded = null;
        String cursor = null;
        int pages = 0;
        do {
            String path = "/statements/" + month + "/intervals?limit=" + PAGE + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            APIGatewayV2HTTPResponse r = runtime.customerGet(accountId, path);
            JsonNode body = parse(r.getBody());
            if (r.getStatusCode() != 200) {
                return new Listing(accountId, month, r.getStatusCode(), body);
            }
            if (joined == null) {
                joined = JSON.createObjectNode();
                joined.set("accountId", body.get("accountId"));
                joined.set("month", body.get("month"));
                joined.set("statement", body.get("statement"));
                joined.set("zone", body.get("zone"));
                counted = joined.putArray("intervals");
                excluded = joined.putArray("excluded");
            }
            counted.addAll((ArrayNode) body.get("intervals"));
            excluded.addAll((ArrayNode) body.get("excluded"));
            cursor = body.path("cursor").isTextual() ? body.get("cursor").asText() : null;
            if (++pages > 100) { // a month is at most 8,928 intervals: 9 pages
                throw new IllegalStateException("the evidence of " + accountId + " " + month + " did not end");
            }
        } while (cursor != null);
        return new Listing(accountId, month, 200, joined);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the intervals route answered no JSON", e);
        }
    }

    /**
     * Writes each listing to {@code dir} as {@code <account>.<month>.json} (the account's name as the
     * report's file names make it: {@link HtmlReport#fileNames}); a problem is written as the route
     * answered it, with its {@code status}. The files written, in order.
     */
    static List<Path> write(Path dir, Map<String, Listing> listings) throws IOException {
        Files.createDirectories(dir);
        List<String> ids = listings.values().stream().map(Listing::accountId).distinct().toList();
        List<String> names = HtmlReport.fileNames(ids);
        Map<String, String> nameOf = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            nameOf.put(ids.get(i), names.get(i).substring(0, names.get(i).length() - ".html".length()));
        }
        List<Path> written = new ArrayList<>();
        for (Listing l : listings.values()) {
            Path file = dir.resolve(nameOf.get(l.accountId()) + "." + l.month() + ".json");
            JsonNode content = l.body();
            if (!l.found()) {
                ObjectNode problem = JSON.createObjectNode();
                problem.put("accountId", l.accountId());
                problem.put("month", l.month().toString());
                problem.put("status", l.status());
                problem.set("problem", l.body());
                content = problem;
            }
            Files.writeString(file, JSON.writeValueAsString(content) + "\n", StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }
}
