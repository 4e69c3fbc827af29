package dev.slaledger.adapter.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slaledger.core.json.PlainJson;
import dev.slaledger.core.port.StatementWorkQueue;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One unit of statement work on the queue: {@code {"month":"2026-10","accountIds":["a","b"]}} for
 * the month-end, with {@code "kind":"RESTATEMENT"} for the restatement run (S7.2). A message
 * without {@code kind} is month-end work (messages queued before restatement existed). Read and written
 * with jackson-core alone ({@link PlainJson}): the month-end fan-out and the statement worker need no
 * databind for it.
 */
public record WorkMessage(YearMonth month, List<String> accountIds, StatementWorkQueue.Kind kind) {
    public WorkMessage {
        accountIds = List.copyOf(accountIds);
    }

    public String toJson() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("month", month.toString());
        n.put("accountIds", accountIds);
        if (kind != StatementWorkQueue.Kind.MONTH_END) {
            n.put("kind", kind.name());
        }
        return PlainJson.write(n);
    }

    public static WorkMessage parse(String body) {
        Object n;
        try {
            n = body == null ? null : PlainJson.read(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("work message is not JSON");
        }
        if (!(n instanceof Map<?, ?> fields) || !(fields.get("month") instanceof String monthText)
                || !(fields.get("accountIds") instanceof List<?> idValues)) {
            throw new IllegalArgumentException("work message needs month (YYYY-MM) and accountIds");
        }
        YearMonth month;
        try {
            month = YearMonth.parse(monthText);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("work message month is not YYYY-MM");
        }
        List<String> ids = new ArrayList<>();
        for (Object id : idValues) {
            if (!(id instanceof String text) || text.isBlank()) {
                throw new IllegalArgumentException("work message has a blank or non-string account id");
            }
            ids.add(text);
        }
        StatementWorkQueue.Kind kind = StatementWorkQueue.Kind.MONTH_END;
        if (fields.containsKey("kind")) {
            try {
                kind = StatementWorkQueue.Kind.valueOf(fields.get("kind") instanceof String k ? k : "");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("work message kind is not MONTH_END or RESTATEMENT");
            }
        }
        return new WorkMessage(month, ids, kind);
    }
}
