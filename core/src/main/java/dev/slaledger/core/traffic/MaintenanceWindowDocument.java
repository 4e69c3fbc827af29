package dev.slaledger.core.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A maintenance window as its D4 JSON document: {@code id}, {@code start}, {@code end},
 * {@code announcedAt} (ISO-8601 instants) and, when the window names its accounts, {@code accounts}
 * (sorted, so equal windows write equal documents). The maintenance-windows route answers with it
 * (adding whether the window was announced in time) and the Ledger table keeps a replaced window as
 * it, so both write one form.
 */
public final class MaintenanceWindowDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaintenanceWindowDocument() {
    }

    public static ObjectNode toTree(MaintenanceWindow w) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", w.id());
        n.put("start", w.start().toString());
        n.put("end", w.end().toString());
        n.put("announcedAt", w.announcedAt().toString());
        w.accounts().ifPresent(a -> a.stream().sorted().forEach(n.putArray("accounts")::add));
        return n;
    }
}
