package dev.slaledger.adapter.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.port.StatementWorkQueue;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit of statement work on the queue: {@code {"month":"2026-10","accountIds":["a","b"]}} for
 * the month-end, with {@code "kind":"RESTATEMENT"} for the restatement run (S7.2). A message
 * without {@code kind} is month-end work (messages queued before restatement existed).
 */
public record WorkMessage(YearMonth month, List<String> accountIds, StatementWorkQueue.Kind kind) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public WorkMessage {
        accountIds = List.copyOf(accountIds);
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("month", month.toString());
        accountIds.forEach(n.putArray("accountIds")::add);
        if (kind != StatementWorkQueue.Kind.MONTH_END) {
            n.put("kind", kind.name());
        }
        return n.toString();
    }

    public static WorkMessage parse(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("work message is not JSON");
        }
        if (n == null || !n.path("month").isTextual() || !n.path("accountIds").isArray()) {
            throw new IllegalArgumentException("work message needs month (YYYY-MM) and accountIds");
        }
        YearMonth month;
        try {
            month = YearMonth.parse(n.get("month").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("work message month is not YYYY-MM");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : n.get("accountIds")) {
            if (!id.isTextual() || id.asText().isBlank()) {
                throw new IllegalArgumentException("work message has a blank or non-string account id");
            }
            ids.add(id.asText());
        }
        StatementWorkQueue.Kind kind = StatementWorkQueue.Kind.MONTH_END;
        if (n.has("kind")) {
            try {
                kind = StatementWorkQueue.Kind.valueOf(n.get("kind").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("work message kind is not MONTH_END or RESTATEMENT");
            }
        }
        return new WorkMessage(month, ids, kind);
    }
}
