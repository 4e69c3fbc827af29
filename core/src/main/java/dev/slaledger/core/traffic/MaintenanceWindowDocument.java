package dev.slaledger.core.traffic;

import dev.slaledger.core.json.PlainJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A maintenance window as its D4 JSON document: {@code id}, {@code start}, {@code end},
 * {@code announcedAt} (ISO-8601 instants) and, when the window names its accounts, {@code accounts}
 * (sorted, so equal windows write equal documents). The maintenance-windows route answers with it
 * (adding whether the window was announced in time) and the Ledger table keeps a replaced window as
 * it, so both write one form. Built as plain values ({@link PlainJson}, no databind: the statement worker reads
 * the windows on every invocation).
 */
public final class MaintenanceWindowDocument {
    private MaintenanceWindowDocument() {
    }

    /** The document's fields in their order, for a caller that adds its own. */
    public static Map<String, Object> toMap(MaintenanceWindow w) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", w.id());
        n.put("start", w.start().toString());
        n.put("end", w.end().toString());
        n.put("announcedAt", w.announcedAt().toString());
        w.accounts().ifPresent(a -> n.put("accounts", a.stream().sorted().toList()));
        return n;
    }

    public static String toJson(MaintenanceWindow w) {
        return PlainJson.write(toMap(w));
    }
}
