package dev.slaledger.adapter.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.notice.NoticeWork;
import java.io.IOException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit of notice work on the notice queue (S9.2):
 * {@code {"notice":"CHANGE","key":"2027-01","accountIds":["a","b"],"attempt":1,"versions":2}}
 * ({@code notice} ELIGIBILITY with {@code key} a month {@code yyyy-MM}, or ACCOUNT with {@code key} "").
 * The member {@code notice} tells it from the other bodies the queue carries (EventBridge events).
 */
public final class NoticeWorkMessage {
    /** Accounts per unit at most (a body stays far below SQS's 256 KiB). */
    public static final int MAX_ACCOUNTS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private NoticeWorkMessage() {
    }

    public static String toJson(NoticeWork work) {
        ObjectNode n = JSON.createObjectNode();
        n.put("notice", work.kind().name());
        n.put("key", work.key());
        work.accountIds().forEach(n.putArray("accountIds")::add);
        n.put("attempt", work.attempt());
        n.put("versions", work.versions());
        return n.toString();
    }

    /** Whether {@code body} is meant as a unit of notice work (it has the {@code notice} member). */
    public static boolean isNoticeWork(JsonNode body) {
        return body != null && body.has("notice");
    }

    /** @throws IllegalArgumentException naming what is wrong (the message goes to the dead-letter queue) */
    public static NoticeWork parse(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("notice work is not JSON");
        }
        return parse(n);
    }

    public static NoticeWork parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("notice work is not a JSON object");
        }
        NoticeWork.Kind kind;
        try {
            kind = NoticeWork.Kind.valueOf(n.path("notice").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("notice work: notice is not CHANGE, ELIGIBILITY or ACCOUNT");
        }
        if (!n.path("key").isTextual()) {
            throw new IllegalArgumentException("notice work: key is missing or not a string");
        }
        String key = n.get("key").asText();
        switch (kind) {
            case CHANGE -> {
                if (key.isBlank() || key.length() > 64) {
                    throw new IllegalArgumentException("notice work: key of CHANGE is a version id (1-64 characters)");
                }
            }
            case ELIGIBILITY -> {
                try {
                    YearMonth.parse(key);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("notice work: key of ELIGIBILITY is a month yyyy-MM");
                }
            }
            case ACCOUNT -> {
                if (!key.isEmpty()) {
                    throw new IllegalArgumentException("notice work: key of ACCOUNT is empty");
                }
            }
        }
        JsonNode ids = n.path("accountIds");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_ACCOUNTS) {
            throw new IllegalArgumentException("notice work: accountIds is an array of 1-" + MAX_ACCOUNTS + " ids");
        }
        List<String> accountIds = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isBlank()) {
                throw new IllegalArgumentException("notice work: a blank or non-string account id");
            }
            accountIds.add(id.asText());
        }
        int attempt = n.path("attempt").isInt() ? n.get("attempt").asInt() : -1;
        int versions = n.path("versions").isInt() ? n.get("versions").asInt() : -1;
        if (attempt < 1 || versions < 0) {
            throw new IllegalArgumentException("notice work: attempt (>= 1) and versions (>= 0) are integers");
        }
        return new NoticeWork(kind, key, accountIds, attempt, versions);
    }
}
