package dev.slaledger.core.statement;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slaledger.core.json.PlainJson;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public JSON form of a statement (D3): amounts and rates as decimal strings, window
 * edges as ISO-8601 with the terms' offset. Absent amounts (no fee assessed yet) are null.
 *
 * <p>Written with jackson-core's generator and read with {@link PlainJson}, not databind: the
 * statement worker and the outbox sweep read and write statements on every invocation, and databind's
 * first use costs a cold start about 100 ms of CPU (docs/benchmarks.md, issue 32 item 2). The text is
 * what databind wrote, byte for byte.
 */
public final class StatementJson {
    private StatementJson() {
    }

    public static String toJson(Statement s) {
        return PlainJson.generate(g -> {
            g.writeStartObject();
            g.writeStringField("accountId", s.accountId());
            g.writeStringField("month", s.month().toString());
            g.writeArrayFieldStart("periodDays");
            for (DateRange r : s.periodDays()) {
                g.writeStartObject();
                g.writeStringField("start", r.start().toString());
                g.writeStringField("end", r.end().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("days", s.days());
            g.writeNumberField("intervals", s.intervals());
            g.writeStringField("errorRateSum", s.errorRateSum().toPlainString());
            g.writeStringField("availability", s.availability().toPlainString());
            g.writeStringField("termsVersion", s.termsVersion());
            g.writeStringField("compensationPercent", s.compensationPercent().toPlainString());
            money(g, "fee", s.fee());
            money(g, "voucherPaid", s.voucherPaid());
            money(g, "base", s.base());
            money(g, "voucherAmount", s.voucherAmount());
            g.writeStringField("currency", s.currency().map(Currency::getCurrencyCode).orElse(null));
            g.writeStringField("claimOpensAt", s.claimOpensAt().toString());
            g.writeStringField("claimClosesAt", s.claimClosesAt().toString());
            g.writeNumberField("revision", s.revision());
            g.writeStringField("computedAt", s.computedAt().toString());
            g.writeFieldName("causes");
            causes(g, s.causes());
            g.writeEndObject();
        });
    }

    /**
     * S9.7: the causes as a JSON array of {@code {"kind","eventId","at","count"}} ({@code eventId} null
     * when unknown), as {@link #toJson} writes them (the claims API's revisions answer them the same way).
     */
    public static String causesJson(List<RevisionCause> causes) {
        return PlainJson.generate(g -> causes(g, causes));
    }

    public static Statement fromJson(String json) {
        Object root;
        try {
            root = PlainJson.read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a statement: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof Map<?, ?> n)) {
            throw new IllegalArgumentException("not a statement: not a JSON object");
        }
        List<DateRange> ranges = new ArrayList<>();
        for (Object r : list(n, "periodDays")) {
            Map<?, ?> range = object(r, "periodDays");
            ranges.add(new DateRange(LocalDate.parse(text(range, "start")), LocalDate.parse(text(range, "end"))));
        }
        Optional<Currency> currency = optionalText(n, "currency").map(Currency::getInstance);
        return Statement.builder()
                .accountId(text(n, "accountId"))
                .month(YearMonth.parse(text(n, "month")))
                .periodDays(ranges)
                .days(integer(n, "days", null))
                .intervals(integer(n, "intervals", null))
                .errorRateSum(new BigDecimal(text(n, "errorRateSum")))
                .availability(new BigDecimal(text(n, "availability")))
                .termsVersion(text(n, "termsVersion"))
                .compensationPercent(new BigDecimal(text(n, "compensationPercent")))
                .fee(money(n, "fee", currency))
                .voucherPaid(money(n, "voucherPaid", currency))
                .base(money(n, "base", currency))
                .voucherAmount(money(n, "voucherAmount", currency))
                .currency(currency)
                .claimOpensAt(OffsetDateTime.parse(text(n, "claimOpensAt")))
                .claimClosesAt(OffsetDateTime.parse(text(n, "claimClosesAt")))
                .revision((int) integer(n, "revision", null))
                .computedAt(Instant.parse(text(n, "computedAt")))
                .causes(causes(n.get("causes")))
                .build();
    }

    /** The causes of {@link #causesJson}; an absent or null array is none (revisions stored before S9.7). */
    private static List<RevisionCause> causes(Object array) {
        List<RevisionCause> out = new ArrayList<>();
        if (!(array instanceof List<?> causes)) {
            return out;
        }
        for (Object c : causes) {
            Map<?, ?> cause = object(c, "causes");
            RevisionCause.Kind kind = RevisionCause.Kind.parse(optionalText(cause, "kind").orElse(""))
                    .orElse(RevisionCause.Kind.UNRECORDED);
            out.add(new RevisionCause(kind, optionalText(cause, "eventId"), Instant.parse(text(cause, "at")),
                    Math.max(1, integer(cause, "count", 1L))));
        }
        return out;
    }

    private static void causes(JsonGenerator g, List<RevisionCause> causes) throws IOException {
        g.writeStartArray();
        for (RevisionCause c : causes) {
            g.writeStartObject();
            g.writeStringField("kind", c.kind().wireName());
            g.writeStringField("eventId", c.eventId().orElse(null));
            g.writeStringField("at", c.at().toString());
            g.writeNumberField("count", c.count());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void money(JsonGenerator g, String field, Optional<Money> value) throws IOException {
        g.writeStringField(field, value.map(Money::toDecimalString).orElse(null));
    }

    private static Optional<Money> money(Map<?, ?> n, String field, Optional<Currency> currency) {
        return optionalText(n, field).map(v -> new Money(new BigDecimal(v), currency.orElseThrow(
                () -> new IllegalArgumentException(field + " has an amount but the statement has no currency"))));
    }

    private static Map<?, ?> object(Object value, String where) {
        if (!(value instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("not a statement: an element of " + where + " is not an object");
        }
        return object;
    }

    private static List<?> list(Map<?, ?> n, String field) {
        if (!(n.get(field) instanceof List<?> list)) {
            throw new IllegalArgumentException("not a statement: " + field + " is not an array");
        }
        return list;
    }

    /** A field read as text, as databind's {@code asText} did (a number as written); required. */
    private static String text(Map<?, ?> n, String field) {
        return optionalText(n, field).orElseThrow(() -> new IllegalArgumentException(
                "not a statement: " + field + " is missing"));
    }

    private static Optional<String> optionalText(Map<?, ?> n, String field) {
        Object v = n.get(field);
        return v == null || v == PlainJson.NULL ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    /**
     * A count read as databind's {@code asLong} did: a number's integer part, a string's digits; absent or
     * unreadable gives {@code otherwise} (required when null).
     */
    private static long integer(Map<?, ?> n, String field, Long otherwise) {
        Object v = n.get(field);
        if (v instanceof PlainJson.Num num) {
            return num.value().longValue();
        }
        if (v instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                // as absent
            }
        }
        if (otherwise == null) {
            throw new IllegalArgumentException("not a statement: " + field + " is not a number");
        }
        return otherwise;
    }
}
