package dev.slaledger.monthend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.traffic.MaintenanceWindowDocument;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and writes maintenance windows as D4 JSON, strictly: each problem names its field. */
final class MaintenanceWindowJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("id", "start", "end", "announcedAt", "accounts");
    /** A window id: what may stand in a DynamoDB sort key and a URL path segment as it is. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** An account id as billing writes them (no '#', whitespace or control character), and no lone surrogate. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("[^#\\s\\p{Cntrl}\\p{Cs}]{1,128}");

    /** A D4 document that cannot be used; {@code field} names the offending field. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String field;

        Invalid(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
        }
    }

    private MaintenanceWindowJson() {
    }

    static MaintenanceWindow parse(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new Invalid("(body)", "is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new Invalid("(body)", "must be a JSON object {id, start, end, announcedAt, accounts?}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid(name, "is not a field of a maintenance window");
            }
        }
        String id = text(n, "id");
        if (!isId(id)) {
            throw new Invalid("id", "must be 1-128 characters of letters, digits and . _ : -");
        }
        Instant start = instant(n, "start");
        Instant end = instant(n, "end");
        Instant announcedAt = instant(n, "announcedAt");
        if (!end.isAfter(start)) {
            throw new Invalid("end", "must be after start");
        }
        Optional<Set<String>> accounts = Optional.empty();
        JsonNode list = n.get("accounts");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new Invalid("accounts", "must be an array of account ids (absent = all accounts)");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (JsonNode a : list) {
                if (!a.isTextual() || a.asText().isBlank()) {
                    throw new Invalid("accounts", "must hold non-empty strings");
                }
                if (!ACCOUNT_ID.matcher(a.asText()).matches()) {
                    throw new Invalid("accounts", "must hold account ids: 1-128 characters, no '#', whitespace"
                            + " or control characters");
                }
                ids.add(a.asText());
            }
            accounts = Optional.of(ids);
        }
        return new MaintenanceWindow(id, start, end, announcedAt, accounts);
    }

    /** Whether {@code id} can be a window's id (1-128 letters, digits and . _ : -). */
    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The D4 document the route answers with, and whether the window was announced in time (S2.4). */
    static ObjectNode toTree(MaintenanceWindow w) {
        ObjectNode n = JSON.valueToTree(MaintenanceWindowDocument.toMap(w));
        n.put("announcedInTime", w.announcedInTime());
        return n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new Invalid(field, "is required (a string)");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String text = text(n, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Invalid(field, "must be an ISO-8601 UTC instant such as 2026-10-03T02:00:00Z");
        }
    }
}
