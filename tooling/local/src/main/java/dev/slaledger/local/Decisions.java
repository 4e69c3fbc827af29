package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claims a replay makes over the local claims API, each decision kept with its instant (D6,
 * {@code --decisions}). The revision a decision was made on is the claim's {@code statementRevision}
 * when the API gives one (an accepted claim); a refused claim carries none, so the statement's
 * revision is read with {@code GET /statements/{month}} right after the claim, at the same instant
 * (nothing runs in between; the claim has just recomputed the month if it was stale, so the read
 * recomputes nothing). Null when that read finds no statement (no service period, or a month that
 * has not ended). The causes of that revision (S9.7) come from {@code GET /statements/{month}/revisions},
 * read at the same instant (read-only).
 */
final class Decisions {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One claim decision (D6). Amounts are decimal strings; absent values are null. */
    record Decision(Instant at, String accountId, YearMonth month, String status, String reason, String voucherAmount,
            String currency, Integer statementRevision, JsonNode causes) {

        ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("at", at.toString());
            n.put("accountId", accountId);
            n.put("month", month.toString());
            n.put("status", status);
            n.put("reason", reason);
            n.put("voucherAmount", voucherAmount);
            n.put("currency", currency);
            n.put("statementRevision", statementRevision);
            n.set("causes", causes == null ? null : causes.deepCopy()); // S9.7: null without a revision
            return n;
        }

        /** "ACCEPTED 100.00 EUR" or "REFUSED SLA_MET", with the revision. */
        String summary() {
            return ("ACCEPTED".equals(status) ? "ACCEPTED " + voucherAmount + " " + currency : "REFUSED " + reason)
                    + (statementRevision == null ? " (no statement)" : " (statement revision " + statementRevision + ")");
        }
    }

    private final ClaimsClient client;
    private final Clock clock;
    private final List<Decision> decisions = new ArrayList<>();

    Decisions(ClaimsClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * {@code POST /claims} as the account, at the clock's instant; returns the API's answer. A decision
     * (201 new claim, 200 the standing accepted one) is recorded. Any other answer is refused with
     * {@code where} in the message, or, when {@code where} is null (the plain replay's {@code --claim}),
     * returned as it is without a decision.
     */
    JsonNode claim(String accountId, YearMonth month, String where) {
        Instant at = clock.instant();
        ClaimsClient.Answer answer = client.claim(accountId, month);
        JsonNode body = answer.body();
        if (answer.status() != 200 && answer.status() != 201) {
            if (where != null) {
                throw Timeline.problem(where, "POST /claims as " + accountId + " answered " + answer.status() + ": "
                        + body.path("detail").asText(body.toString()));
            }
            return body;
        }
        Integer revision = body.hasNonNull("statementRevision") ? Integer.valueOf(body.get("statementRevision").asInt())
                : statementRevision(accountId, month);
        decisions.add(new Decision(at, accountId, month, body.path("status").asText(), text(body, "reason"),
                text(body, "voucherAmount"), text(body, "currency"), revision, causes(accountId, month, revision)));
        return body;
    }

    private Integer statementRevision(String accountId, YearMonth month) {
        ClaimsClient.Answer read = client.statement(accountId, month);
        return read.status() == 200 && read.body().hasNonNull("revision") ? Integer.valueOf(read.body().get("revision").asInt())
                : null;
    }

    /** S9.7: the causes of revision {@code revision} of the account-month, or null (no such revision). */
    private JsonNode causes(String accountId, YearMonth month, Integer revision) {
        if (revision == null) {
            return null;
        }
        ClaimsClient.Answer read = client.revisions(accountId, month);
        if (read.status() != 200) {
            return null;
        }
        for (JsonNode r : read.body().path("revisions")) {
            if (r.path("revision").asInt(-1) == revision) {
                return r.get("causes");
            }
        }
        return null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    List<Decision> list() {
        return List.copyOf(decisions);
    }

    Decision last() {
        return decisions.get(decisions.size() - 1);
    }

    /** ACCEPTED, or the refusal reason, with counts. */
    Map<String, Integer> outcomes() {
        Map<String, Integer> outcomes = new TreeMap<>();
        decisions.forEach(d -> outcomes.merge("ACCEPTED".equals(d.status()) ? "ACCEPTED" : d.reason(), 1, Integer::sum));
        return outcomes;
    }

    /** The decisions as a JSON array, in order. */
    void write(Path file) {
        ArrayNode array = JSON.createArrayNode();
        decisions.forEach(d -> array.add(d.toJson()));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, JSON.writeValueAsString(array) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decisions " + file, e);
        }
    }
}
