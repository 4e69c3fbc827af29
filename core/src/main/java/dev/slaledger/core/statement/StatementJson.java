package dev.slaledger.core.statement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * The public JSON form of a statement (D3): amounts and rates as decimal strings, window
 * edges as ISO-8601 with the terms' offset. Absent amounts (no fee assessed yet) are null.
 */
public final class StatementJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatementJson() {
    }

    public static ObjectNode toTree(Statement s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("accountId", s.accountId());
        n.put("month", s.month().toString());
        ArrayNode days = n.putArray("periodDays");
        for (DateRange r : s.periodDays()) {
            days.addObject().put("start", r.start().toString()).put("end", r.end().toString());
        }
        n.put("days", s.days());
        n.put("intervals", s.intervals());
        n.put("errorRateSum", s.errorRateSum().toPlainString());
        n.put("availability", s.availability().toPlainString());
        n.put("termsVersion", s.termsVersion());
        n.put("compensationPercent", s.compensationPercent().toPlainString());
        money(n, "fee", s.fee());
        money(n, "voucherPaid", s.voucherPaid());
        money(n, "base", s.base());
        money(n, "voucherAmount", s.voucherAmount());
        if (s.currency().isPresent()) {
            n.put("currency", s.currency().get().getCurrencyCode());
        } else {
            n.putNull("currency");
        }
        n.put("claimOpensAt", s.claimOpensAt().toString());
        n.put("claimClosesAt", s.claimClosesAt().toString());
        n.put("revision", s.revision());
        n.put("computedAt", s.computedAt().toString());
        causes(n.putArray("causes"), s.causes());
        return n;
    }

    /** S9.7: each cause as {@code {"kind","eventId","at","count"}} ({@code eventId} null when unknown). */
    public static ArrayNode causes(ArrayNode array, List<RevisionCause> causes) {
        for (RevisionCause c : causes) {
            ObjectNode o = array.addObject();
            o.put("kind", c.kind().wireName());
            if (c.eventId().isPresent()) {
                o.put("eventId", c.eventId().get());
            } else {
                o.putNull("eventId");
            }
            o.put("at", c.at().toString());
            o.put("count", c.count());
        }
        return array;
    }

    /** The causes of {@link #causes(ArrayNode, List)}; an absent or null array is none (revisions stored before S9.7). */
    public static List<RevisionCause> causes(JsonNode array) {
        List<RevisionCause> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        for (JsonNode c : array) {
            RevisionCause.Kind kind = RevisionCause.Kind.parse(c.path("kind").asText())
                    .orElse(RevisionCause.Kind.UNRECORDED);
            out.add(new RevisionCause(kind, text(c, "eventId"), Instant.parse(c.get("at").asText()),
                    Math.max(1, c.path("count").asLong(1))));
        }
        return out;
    }

    public static String toJson(Statement s) {
        try {
            return JSON.writeValueAsString(toTree(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Statement fromJson(String json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a statement: " + e.getOriginalMessage(), e);
        }
    }

    public static Statement fromTree(JsonNode n) {
        List<DateRange> ranges = new ArrayList<>();
        for (JsonNode r : n.get("periodDays")) {
            ranges.add(new DateRange(LocalDate.parse(r.get("start").asText()), LocalDate.parse(r.get("end").asText())));
        }
        Optional<Currency> currency = text(n, "currency").map(Currency::getInstance);
        return Statement.builder()
                .accountId(n.get("accountId").asText())
                .month(YearMonth.parse(n.get("month").asText()))
                .periodDays(ranges)
                .days(n.get("days").asLong())
                .intervals(n.get("intervals").asLong())
                .errorRateSum(new BigDecimal(n.get("errorRateSum").asText()))
                .availability(new BigDecimal(n.get("availability").asText()))
                .termsVersion(n.get("termsVersion").asText())
                .compensationPercent(new BigDecimal(n.get("compensationPercent").asText()))
                .fee(money(n, "fee", currency))
                .voucherPaid(money(n, "voucherPaid", currency))
                .base(money(n, "base", currency))
                .voucherAmount(money(n, "voucherAmount", currency))
                .currency(currency)
                .claimOpensAt(OffsetDateTime.parse(n.get("claimOpensAt").asText()))
                .claimClosesAt(OffsetDateTime.parse(n.get("claimClosesAt").asText()))
                .revision(n.get("revision").asInt())
                .computedAt(Instant.parse(n.get("computedAt").asText()))
                .causes(causes(n.get("causes")))
                .build();
    }

    private static void money(ObjectNode n, String field, Optional<Money> value) {
        if (value.isPresent()) {
            n.put(field, value.get().toDecimalString());
        } else {
            n.putNull(field);
        }
    }

    private static Optional<Money> money(JsonNode n, String field, Optional<Currency> currency) {
        return text(n, field).map(v -> new Money(new BigDecimal(v), currency.orElseThrow(
                () -> new IllegalArgumentException(field + " has an amount but the statement has no currency"))));
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
