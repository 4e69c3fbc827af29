package dev.slaledger.core.terms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes terms versions (D5) as JSON. Reading is strict: unknown fields,
 * numbers where decimal strings are expected, and every rule of {@link TermsValidator}
 * are refused with a {@link TermsException} naming the field and the value.
 */
public final class TermsParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("version", "effectiveFrom", "timeZone", "commitment", "tiers",
            "capPercent", "claim", "noticeDays", "holidays", "eligibility");
    private static final Set<String> TIER = Set.of("atLeast", "below", "percent");
    private static final Set<String> CLAIM = Set.of("opensAfterWorkingDays", "closesMonthsAfterPeriodEnd");
    private static final Set<String> HOLIDAYS = Set.of("country", "extraHolidays", "extraWorkingDays");
    private static final Set<String> ELIGIBILITY = Set.of("notify", "autoClaim");

    private TermsParser() {
    }

    public static TermsVersion parse(String json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new TermsException("(document)", abbreviate(json), "is not JSON: " + e.getOriginalMessage());
        }
    }

    public static TermsVersion parse(InputStream json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new TermsException("(document)", "(stream)", "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TermsVersion fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new TermsException("(document)", root, "must be a JSON object");
        }
        onlyKnown(root, TOP, "");
        String timeZone = text(root, "timeZone", "", true);
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new TermsException("timeZone", timeZone, "is not an IANA time zone id (e.g. Asia/Shanghai, UTC)");
        }
        JsonNode tiersNode = root.get("tiers");
        if (tiersNode == null || !tiersNode.isArray()) {
            throw new TermsException("tiers", tiersNode, "must be an array of {atLeast, below, percent}");
        }
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < tiersNode.size(); i++) {
            JsonNode t = tiersNode.get(i);
            String at = "tiers[" + i + "].";
            if (!t.isObject()) {
                throw new TermsException("tiers[" + i + "]", t, "must be an object {atLeast, below, percent}");
            }
            onlyKnown(t, TIER, at);
            tiers.add(new Tier(decimal(t, "atLeast", at), decimal(t, "below", at), decimal(t, "percent", at)));
        }
        JsonNode claim = object(root, "claim", "");
        onlyKnown(claim, CLAIM, "claim.");
        JsonNode holidays = root.has("holidays") ? object(root, "holidays", "") : JsonNodeFactory.instance.objectNode();
        onlyKnown(holidays, HOLIDAYS, "holidays.");
        String country = text(holidays, "country", "holidays.", false);
        HolidayRules holidayRules = new HolidayRules(Optional.ofNullable(country),
                dates(holidays, "extraHolidays"), dates(holidays, "extraWorkingDays"));

        return TermsVersion.validated(
                text(root, "version", "", true),
                date(root, "effectiveFrom", ""),
                zone,
                decimal(root, "commitment", ""),
                tiers,
                decimal(root, "capPercent", ""),
                new ClaimRules(integer(claim, "opensAfterWorkingDays", "claim."),
                        integer(claim, "closesMonthsAfterPeriodEnd", "claim.")),
                integer(root, "noticeDays", ""),
                holidayRules,
                eligibility(root));
    }

    /** The canonical JSON form (D5) of a version; {@code parse(toJson(t))} equals {@code t}. */
    public static ObjectNode toTree(TermsVersion t) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", t.version());
        root.put("effectiveFrom", t.effectiveFrom().toString());
        root.put("timeZone", t.timeZone().getId());
        root.put("commitment", t.commitment().toPlainString());
        ArrayNode tiers = root.putArray("tiers");
        for (Tier tier : t.tiers()) {
            tiers.addObject()
                    .put("atLeast", tier.atLeast().toPlainString())
                    .put("below", tier.below().toPlainString())
                    .put("percent", tier.percent().toPlainString());
        }
        root.put("capPercent", t.capPercent().toPlainString());
        root.putObject("claim")
                .put("opensAfterWorkingDays", t.claim().opensAfterWorkingDays())
                .put("closesMonthsAfterPeriodEnd", t.claim().closesMonthsAfterPeriodEnd());
        root.put("noticeDays", t.noticeDays());
        ObjectNode holidays = root.putObject("holidays");
        t.holidays().country().ifPresent(c -> holidays.put("country", c));
        ArrayNode extra = holidays.putArray("extraHolidays");
        t.holidays().extraHolidays().stream().sorted().forEach(d -> extra.add(d.toString()));
        ArrayNode working = holidays.putArray("extraWorkingDays");
        t.holidays().extraWorkingDays().stream().sorted().forEach(d -> working.add(d.toString()));
        if (!t.eligibility().equals(Eligibility.NONE)) {
            // written only when set, so a version without it keeps its canonical form (S8.1)
            root.putObject("eligibility")
                    .put("notify", t.eligibility().notifyCustomer())
                    .put("autoClaim", t.eligibility().autoClaim());
        }
        return root;
    }

    public static String toJson(TermsVersion t) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(t));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new TermsException(prefix + name, node.get(name), "is not a field of the terms (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** S8.1: optional; absent (or null) = both false; each flag optional, a JSON boolean. */
    private static Eligibility eligibility(JsonNode root) {
        JsonNode node = root.get("eligibility");
        if (node == null || node.isNull()) {
            return Eligibility.NONE;
        }
        if (!node.isObject()) {
            throw new TermsException("eligibility", node, "must be a JSON object {notify, autoClaim}");
        }
        onlyKnown(node, ELIGIBILITY, "eligibility.");
        return new Eligibility(flag(node, "notify"), flag(node, "autoClaim"));
    }

    private static boolean flag(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new TermsException("eligibility." + name, value, "must be true or false");
        }
        return value.booleanValue();
    }

    private static JsonNode object(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject()) {
            throw new TermsException(prefix + name, value, "must be a JSON object");
        }
        return value;
    }

    private static String text(JsonNode node, String name, String prefix, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new TermsException(prefix + name, null, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new TermsException(prefix + name, value, "must be a string");
        }
        return value.asText();
    }

    private static BigDecimal decimal(JsonNode node, String name, String prefix) {
        String text = text(node, name, prefix, true);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new TermsException(prefix + name, text, "is not a decimal number");
        }
    }

    private static int integer(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new TermsException(prefix + name, null, "is required (an integer)");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new TermsException(prefix + name, value, "must be an integer");
        }
        return value.intValue();
    }

    private static LocalDate date(JsonNode node, String name, String prefix) {
        String text = text(node, name, prefix, true);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new TermsException(prefix + name, text, "is not a date (YYYY-MM-DD)");
        }
    }

    private static Set<LocalDate> dates(JsonNode holidays, String name) {
        JsonNode list = holidays.get(name);
        if (list == null || list.isNull()) {
            return Set.of();
        }
        if (!list.isArray()) {
            throw new TermsException("holidays." + name, list, "must be an array of dates (YYYY-MM-DD)");
        }
        Set<LocalDate> out = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String field = "holidays." + name + "[" + i + "]";
            if (!d.isTextual()) {
                throw new TermsException(field, d, "must be a date string (YYYY-MM-DD)");
            }
            try {
                out.add(LocalDate.parse(d.asText()));
            } catch (DateTimeParseException e) {
                throw new TermsException(field, d.asText(), "is not a date (YYYY-MM-DD)");
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
