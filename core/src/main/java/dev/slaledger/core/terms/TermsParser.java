package dev.slaledger.core.terms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.slaledger.core.json.PlainJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes terms versions (D5) as JSON. Reading is strict: unknown fields,
 * numbers where decimal strings are expected, and every rule of {@link TermsValidator}
 * are refused with a {@link TermsException} naming the field and the value.
 *
 * <p>jackson-core's streaming parser and generator only, not databind: every function parses the
 * terms in its init, and databind's first use costs a cold start about 100 ms of CPU
 * (docs/benchmarks.md, issue 32 item 2). The document is read into {@link PlainJson} values; a refused
 * value is shown as the JSON it was, as databind's tree printed it.
 */
public final class TermsParser {
    private static final Set<String> TOP = Set.of("version", "effectiveFrom", "timeZone", "commitment", "tiers",
            "capPercent", "claim", "noticeDays", "holidays", "eligibility");
    private static final Set<String> TIER = Set.of("atLeast", "below", "percent");
    private static final Set<String> CLAIM = Set.of("opensAfterWorkingDays", "closesMonthsAfterPeriodEnd");
    private static final Set<String> HOLIDAYS = Set.of("country", "extraHolidays", "extraWorkingDays");
    private static final Set<String> ELIGIBILITY = Set.of("notify", "autoClaim");

    private TermsParser() {
    }

    public static TermsVersion parse(String json) {
        Object root;
        try {
            root = PlainJson.read(json);
        } catch (JsonProcessingException e) {
            throw new TermsException("(document)", abbreviate(json), "is not JSON: " + e.getOriginalMessage());
        }
        return fromTree(root);
    }

    public static TermsVersion parse(InputStream json) {
        Object root;
        try {
            root = PlainJson.read(json);
        } catch (JsonProcessingException e) {
            throw new TermsException("(document)", "(stream)", "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromTree(root);
    }

    private static TermsVersion fromTree(Object root) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new TermsException("(document)", root == null ? "" : json(root), "must be a JSON object");
        }
        onlyKnown(top, TOP, "");
        String timeZone = text(top, "timeZone", "", true);
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new TermsException("timeZone", timeZone, "is not an IANA time zone id (e.g. Asia/Shanghai, UTC)");
        }
        if (!(top.get("tiers") instanceof List<?> tiersNode)) {
            throw new TermsException("tiers", shown(top.get("tiers")), "must be an array of {atLeast, below, percent}");
        }
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < tiersNode.size(); i++) {
            String at = "tiers[" + i + "].";
            if (!(tiersNode.get(i) instanceof Map<?, ?> t)) {
                throw new TermsException("tiers[" + i + "]", json(tiersNode.get(i)),
                        "must be an object {atLeast, below, percent}");
            }
            onlyKnown(t, TIER, at);
            tiers.add(new Tier(decimal(t, "atLeast", at), decimal(t, "below", at), decimal(t, "percent", at)));
        }
        Map<?, ?> claim = object(top, "claim", "");
        onlyKnown(claim, CLAIM, "claim.");
        Map<?, ?> holidays = top.containsKey("holidays") ? object(top, "holidays", "") : Map.of();
        onlyKnown(holidays, HOLIDAYS, "holidays.");
        String country = text(holidays, "country", "holidays.", false);
        HolidayRules holidayRules = new HolidayRules(Optional.ofNullable(country),
                dates(holidays, "extraHolidays"), dates(holidays, "extraWorkingDays"));

        return TermsVersion.validated(
                text(top, "version", "", true),
                date(top, "effectiveFrom", ""),
                zone,
                decimal(top, "commitment", ""),
                tiers,
                decimal(top, "capPercent", ""),
                new ClaimRules(integer(claim, "opensAfterWorkingDays", "claim."),
                        integer(claim, "closesMonthsAfterPeriodEnd", "claim.")),
                integer(top, "noticeDays", ""),
                holidayRules,
                eligibility(top));
    }

    /**
     * The canonical JSON form (D5) of a version, pretty-printed as Jackson's default printer does;
     * {@code parse(toJson(t))} equals {@code t}.
     */
    public static String toJson(TermsVersion t) {
        return PlainJson.generate(g -> {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("version", t.version());
            g.writeStringField("effectiveFrom", t.effectiveFrom().toString());
            g.writeStringField("timeZone", t.timeZone().getId());
            g.writeStringField("commitment", t.commitment().toPlainString());
            g.writeArrayFieldStart("tiers");
            for (Tier tier : t.tiers()) {
                g.writeStartObject();
                g.writeStringField("atLeast", tier.atLeast().toPlainString());
                g.writeStringField("below", tier.below().toPlainString());
                g.writeStringField("percent", tier.percent().toPlainString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("capPercent", t.capPercent().toPlainString());
            g.writeObjectFieldStart("claim");
            g.writeNumberField("opensAfterWorkingDays", t.claim().opensAfterWorkingDays());
            g.writeNumberField("closesMonthsAfterPeriodEnd", t.claim().closesMonthsAfterPeriodEnd());
            g.writeEndObject();
            g.writeNumberField("noticeDays", t.noticeDays());
            g.writeObjectFieldStart("holidays");
            if (t.holidays().country().isPresent()) {
                g.writeStringField("country", t.holidays().country().get());
            }
            g.writeArrayFieldStart("extraHolidays");
            for (LocalDate d : t.holidays().extraHolidays().stream().sorted().toList()) {
                g.writeString(d.toString());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("extraWorkingDays");
            for (LocalDate d : t.holidays().extraWorkingDays().stream().sorted().toList()) {
                g.writeString(d.toString());
            }
            g.writeEndArray();
            g.writeEndObject();
            if (!t.eligibility().equals(Eligibility.NONE)) {
                // written only when set, so a version without it keeps its canonical form (S8.1)
                g.writeObjectFieldStart("eligibility");
                g.writeBooleanField("notify", t.eligibility().notifyCustomer());
                g.writeBooleanField("autoClaim", t.eligibility().autoClaim());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** A value for a refusal: its JSON, as databind's tree printed it. */
    private static String json(Object value) {
        return PlainJson.write(value);
    }

    /** A field's value for a refusal: its JSON, or null (shown as missing) when absent. */
    private static String shown(Object value) {
        return value == null ? null : json(value);
    }

    private static void onlyKnown(Map<?, ?> node, Set<String> known, String prefix) {
        for (Map.Entry<?, ?> e : node.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new TermsException(prefix + e.getKey(), json(e.getValue()), "is not a field of the terms (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** S8.1: optional; absent (or null) = both false; each flag optional, a JSON boolean. */
    private static Eligibility eligibility(Map<?, ?> root) {
        Object node = root.get("eligibility");
        if (node == null || node == PlainJson.NULL) {
            return Eligibility.NONE;
        }
        if (!(node instanceof Map<?, ?> object)) {
            throw new TermsException("eligibility", json(node), "must be a JSON object {notify, autoClaim}");
        }
        onlyKnown(object, ELIGIBILITY, "eligibility.");
        return new Eligibility(flag(object, "notify"), flag(object, "autoClaim"));
    }

    private static boolean flag(Map<?, ?> node, String name) {
        Object value = node.get(name);
        if (value == null || value == PlainJson.NULL) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new TermsException("eligibility." + name, json(value), "must be true or false");
        }
        return b;
    }

    private static Map<?, ?> object(Map<?, ?> node, String name, String prefix) {
        Object value = node.get(name);
        if (!(value instanceof Map<?, ?> object)) {
            throw new TermsException(prefix + name, shown(value), "must be a JSON object");
        }
        return object;
    }

    private static String text(Map<?, ?> node, String name, String prefix, boolean required) {
        Object value = node.get(name);
        if (value == null || value == PlainJson.NULL) {
            if (required) {
                throw new TermsException(prefix + name, null, "is required");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw new TermsException(prefix + name, json(value), "must be a string");
        }
        return s;
    }

    private static BigDecimal decimal(Map<?, ?> node, String name, String prefix) {
        String text = text(node, name, prefix, true);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new TermsException(prefix + name, text, "is not a decimal number");
        }
    }

    private static int integer(Map<?, ?> node, String name, String prefix) {
        Object value = node.get(name);
        if (value == null || value == PlainJson.NULL) {
            throw new TermsException(prefix + name, null, "is required (an integer)");
        }
        if (!(value instanceof PlainJson.Num n) || n.intValue() == null) {
            throw new TermsException(prefix + name, json(value), "must be an integer");
        }
        return n.intValue();
    }

    private static LocalDate date(Map<?, ?> node, String name, String prefix) {
        String text = text(node, name, prefix, true);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new TermsException(prefix + name, text, "is not a date (YYYY-MM-DD)");
        }
    }

    private static Set<LocalDate> dates(Map<?, ?> holidays, String name) {
        Object list = holidays.get(name);
        if (list == null || list == PlainJson.NULL) {
            return Set.of();
        }
        if (!(list instanceof List<?> array)) {
            throw new TermsException("holidays." + name, json(list), "must be an array of dates (YYYY-MM-DD)");
        }
        Set<LocalDate> out = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "holidays." + name + "[" + i + "]";
            if (!(array.get(i) instanceof String d)) {
                throw new TermsException(field, json(array.get(i)), "must be a date string (YYYY-MM-DD)");
            }
            try {
                out.add(LocalDate.parse(d));
            } catch (DateTimeParseException e) {
                throw new TermsException(field, d, "is not a date (YYYY-MM-DD)");
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
