package dev.slaledger.monthend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** One unit of month-end work on the queue: {@code {"month":"2026-10","accountIds":["a","b"]}}. */
record WorkMessage(YearMonth month, List<String> accountIds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    WorkMessage {
        accountIds = List.copyOf(accountIds);
    }

    String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("month", month.toString());
        accountIds.forEach(n.putArray("accountIds")::add);
        return n.toString();
    }

    static WorkMessage parse(String body) {
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
        return new WorkMessage(month, ids);
    }
}
