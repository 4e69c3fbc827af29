package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a D2 account into the billing system's EventBridge events, which the accounts handler
 * applies as in production: one {@code ContactChanged} (email, locale), one
 * {@code SubscriptionPurchased} per term (subscription id {@code <accountId>-term-<n>}), one
 * {@code FeeAssessed} per month of {@code fees}; every entity at billing version 1.
 */
public final class BillingEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BillingEvents() {
    }

    /** One billing event and the D2 path of the account entry it was made from ({@code fees.2026-10}). */
    public record Event(String json, String d2Path) {
        /** The D2 path of a billing-event field the accounts parser named ({@code detail.currency}). */
        public String pathOf(String field) {
            if (field == null || !field.startsWith("detail.")) {
                return d2Path;
            }
            String name = field.substring("detail.".length());
            return switch (name) {
                case "accountId", "email", "locale" -> name;
                case "billingId", "billingVersion", "subscriptionId", "month" -> d2Path;
                default -> d2Path + "." + name;
            };
        }
    }

    public static List<String> of(JsonNode account, String where, Instant time) {
        return withPaths(account, where, time).stream().map(Event::json).toList();
    }

    /** The events of a D2 account, each with the D2 path it comes from (for error messages). */
    public static List<Event> withPaths(JsonNode account, String where, Instant time) {
        if (account == null || !account.isObject()) {
            throw new InputException(where + ": an account must be a JSON object");
        }
        JsonNode id = account.get("accountId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new InputException(where + ": accountId is missing or not a string");
        }
        String accountId = id.asText();
        List<Event> events = new ArrayList<>();
        if (account.hasNonNull("email")) {
            ObjectNode d = detail(accountId, "cust_" + accountId);
            d.set("email", account.get("email"));
            d.set("locale", account.has("locale") ? account.get("locale") : JSON.nullNode());
            events.add(new Event(envelope("ContactChanged", accountId + "-contact", time, d), "email"));
        }
        JsonNode terms = account.path("terms");
        if (!terms.isArray()) {
            throw new InputException(where + " (" + accountId + "): terms must be an array of {start, end}");
        }
        int n = 0;
        for (JsonNode term : terms) {
            n++;
            String subscription = accountId + "-term-" + n;
            ObjectNode d = detail(accountId, subscription);
            d.put("subscriptionId", subscription);
            d.set("start", term.get("start"));
            d.set("end", term.get("end"));
            events.add(new Event(envelope("SubscriptionPurchased", subscription, time, d), "terms[" + (n - 1) + "]"));
        }
        JsonNode fees = account.path("fees");
        if (!fees.isMissingNode() && !fees.isNull()) {
            if (!fees.isObject()) {
                throw new InputException(where + " (" + accountId + "): fees must be an object keyed by month");
            }
            Iterator<Map.Entry<String, JsonNode>> it = fees.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> fee = it.next();
                ObjectNode d = detail(accountId, "fee_" + accountId + "_" + fee.getKey());
                d.put("month", fee.getKey());
                JsonNode f = fee.getValue();
                d.set("amount", f.get("amount"));
                // D2 shows voucherPaid on every fee; a fee without one was paid without vouchers
                d.set("voucherPaid", f.hasNonNull("voucherPaid") ? f.get("voucherPaid") : JSON.getNodeFactory().textNode("0"));
                d.set("currency", f.get("currency"));
                events.add(new Event(envelope("FeeAssessed", accountId + "-fee-" + fee.getKey(), time, d),
                        "fees." + fee.getKey()));
            }
        }
        return events;
    }

    private static ObjectNode detail(String accountId, String billingId) {
        ObjectNode d = JSON.createObjectNode();
        d.put("billingId", billingId);
        d.put("billingVersion", 1);
        d.put("accountId", accountId);
        return d;
    }

    /** The EventBridge envelope billing's events arrive in (id {@code local-<id>}, source {@code billing}). */
    static String envelope(String detailType, String id, Instant time, JsonNode detail) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", "local-" + id);
        e.put("detail-type", detailType);
        e.put("source", "billing");
        e.put("account", "000000000000");
        e.put("time", time.toString());
        e.put("region", "local");
        e.putArray("resources");
        e.set("detail", detail);
        return e.toString();
    }
}
