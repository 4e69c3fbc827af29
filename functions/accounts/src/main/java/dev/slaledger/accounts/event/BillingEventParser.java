package dev.slaledger.accounts.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one billing event as EventBridge delivers it to Lambda (envelope with {@code detail-type},
 * {@code source} and {@code detail}) and validates it strictly: any violation refuses the whole
 * event with an {@link InvalidBillingEventException} naming the field. Unknown <em>extra</em>
 * fields are ignored (adding fields to a contract is free); missing or malformed ones are not.
 */
public final class BillingEventParser {

    /** The EventBridge {@code source} the billing system publishes under. */
    public static final String SOURCE = "billing";

    /**
     * Longest term accepted, in calendar months touched. The registry writes a term and its
     * month-membership items in one DynamoDB transaction (at most 100 actions); replacing a term
     * by a disjoint one touches both sets, so 2 x 48 + 3 stays within the limit.
     */
    public static final int MAX_TERM_MONTHS = 48;

    public static final Set<String> DETAIL_TYPES = Set.of(SubscriptionPurchased.DETAIL_TYPE,
            SubscriptionEnded.DETAIL_TYPE, FeeAssessed.DETAIL_TYPE, ContactChanged.DETAIL_TYPE);

    /** Ids go into DynamoDB keys joined by '#', so they must not contain one. */
    private static final Pattern ID = Pattern.compile("[^#\\s\\p{Cntrl}]{1,128}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** Pragmatic address check: one '@', no blanks, a dotted domain of non-empty labels. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public BillingEvent parse(InputStream in) {
        JsonNode root;
        try {
            root = mapper.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidBillingEventException(null, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return parse(root);
    }

    public BillingEvent parse(String json) {
        try {
            return parse(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            throw new InvalidBillingEventException(null, null, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    public BillingEvent parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidBillingEventException(null, null, "an EventBridge event must be a JSON object");
        }
        String eventId = root.path("id").isTextual() && !root.path("id").asText().isBlank()
                ? root.get("id").asText() : null;
        if (eventId == null) {
            throw new InvalidBillingEventException(null, "id", "the envelope id is missing");
        }
        Fields env = new Fields(eventId, root, "");
        String detailType = env.text("detail-type");
        if (!DETAIL_TYPES.contains(detailType)) {
            throw new InvalidBillingEventException(eventId, "detail-type",
                    "unknown detail-type " + detailType + " (known: " + String.join(", ", DETAIL_TYPES.stream().sorted().toList()) + ")");
        }
        String source = env.text("source");
        if (!SOURCE.equals(source)) {
            throw new InvalidBillingEventException(eventId, "source", "source " + source + " is not " + SOURCE);
        }
        JsonNode detailNode = root.get("detail");
        if (detailNode == null || !detailNode.isObject()) {
            throw new InvalidBillingEventException(eventId, "detail", "detail must be a JSON object");
        }
        Fields d = new Fields(eventId, detailNode, "detail.");
        String billingId = d.id("billingId");
        long billingVersion = d.version("billingVersion");
        String accountId = d.id("accountId");
        return switch (detailType) {
            case SubscriptionPurchased.DETAIL_TYPE -> {
                String subscriptionId = d.id("subscriptionId");
                LocalDate start = d.date("start");
                LocalDate end = d.date("end");
                if (end.isBefore(start)) {
                    throw d.invalid("end", "term ends on " + end + ", before it starts on " + start);
                }
                checkLength(d, start, end);
                yield new SubscriptionPurchased(eventId, billingId, billingVersion, accountId, subscriptionId,
                        new Term(start, end));
            }
            case SubscriptionEnded.DETAIL_TYPE -> {
                String subscriptionId = d.id("subscriptionId");
                LocalDate start = d.date("start");
                LocalDate end = d.date("end");
                if (end.isBefore(start.minusDays(1))) {
                    throw d.invalid("end", "term ends on " + end + ", before it starts on " + start
                            + " (a subscription cancelled before its first day has end = start - 1 day)");
                }
                checkLength(d, start, end);
                String reason = d.text("reason");
                SubscriptionEnded.Reason r;
                try {
                    r = SubscriptionEnded.Reason.valueOf(reason);
                } catch (IllegalArgumentException e) {
                    throw d.invalid("reason", "reason " + reason + " is not EXPIRED or CANCELLED");
                }
                yield new SubscriptionEnded(eventId, billingId, billingVersion, accountId, subscriptionId, start, end, r);
            }
            case FeeAssessed.DETAIL_TYPE -> {
                YearMonth month = d.month("month");
                String currencyCode = d.text("currency");
                try {
                    Money.currency(currencyCode);
                } catch (IllegalArgumentException e) {
                    throw d.invalid("currency", e.getMessage());
                }
                Money amount = d.money("amount", currencyCode);
                Money voucherPaid = d.money("voucherPaid", currencyCode);
                if (voucherPaid.compareTo(amount) > 0) {
                    throw d.invalid("voucherPaid", "voucher part " + voucherPaid + " is above the fee " + amount);
                }
                yield new FeeAssessed(eventId, billingId, billingVersion, accountId, month,
                        new MonthlyFee(amount, voucherPaid));
            }
            case ContactChanged.DETAIL_TYPE -> {
                String email = d.text("email");
                if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                    throw d.invalid("email", "email " + email + " is not a valid address");
                }
                yield new ContactChanged(eventId, billingId, billingVersion, accountId, email, d.locale("locale"));
            }
            default -> throw new IllegalStateException(detailType);
        };
    }

    private static void checkLength(Fields d, LocalDate start, LocalDate end) {
        if (end.isBefore(start)) {
            return;
        }
        long months = ChronoUnit.MONTHS.between(YearMonth.from(start), YearMonth.from(end)) + 1;
        if (months > MAX_TERM_MONTHS) {
            throw d.invalid("end", "term " + start + ".." + end + " touches " + months
                    + " calendar months; at most " + MAX_TERM_MONTHS + " are supported (split it into several subscriptions)");
        }
    }

    /** Typed, strict access to the fields of one JSON object. */
    private record Fields(String eventId, JsonNode node, String prefix) {

        InvalidBillingEventException invalid(String field, String reason) {
            return new InvalidBillingEventException(eventId, prefix + field, reason);
        }

        JsonNode required(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw invalid(field, "is required");
            }
            return v;
        }

        String text(String field) {
            JsonNode v = required(field);
            if (!v.isTextual()) {
                throw invalid(field, "must be a string, was " + v.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            if (v.asText().isBlank()) {
                throw invalid(field, "must not be blank");
            }
            return v.asText();
        }

        String id(String field) {
            String v = text(field);
            if (!ID.matcher(v).matches()) {
                throw invalid(field, "id " + v + " must be 1-128 characters without '#', blanks or control characters");
            }
            return v;
        }

        long version(String field) {
            JsonNode v = required(field);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
                throw invalid(field, "must be a positive integer, was " + v);
            }
            return v.asLong();
        }

        LocalDate date(String field) {
            String v = text(field);
            try {
                if (DATE.matcher(v).matches()) {
                    return LocalDate.parse(v);
                }
            } catch (DateTimeParseException e) {
                // falls through to the refusal below
            }
            throw invalid(field, "date " + v + " is not an ISO date YYYY-MM-DD");
        }

        YearMonth month(String field) {
            String v = text(field);
            try {
                if (MONTH.matcher(v).matches()) {
                    return YearMonth.parse(v);
                }
            } catch (DateTimeParseException e) {
                // falls through to the refusal below
            }
            throw invalid(field, "month " + v + " is not YYYY-MM");
        }

        Money money(String field, String currency) {
            String v = text(field);
            if (!DECIMAL.matcher(v).matches()) {
                throw invalid(field, "amount " + v + " is not a plain decimal string like \"1000.00\"");
            }
            if (new BigDecimal(v).signum() < 0) {
                throw invalid(field, "amount " + v + " must not be negative");
            }
            try {
                return Money.of(v, currency);
            } catch (IllegalArgumentException e) {
                throw invalid(field, e.getMessage());
            }
        }

        Optional<Locale> locale(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            String tag = text(field);
            try {
                Locale locale = new Locale.Builder().setLanguageTag(tag).build();
                if (locale.getLanguage().isEmpty()) {
                    throw invalid(field, "locale " + tag + " names no language");
                }
                return Optional.of(locale);
            } catch (IllformedLocaleException e) {
                throw invalid(field, "locale " + tag + " is not a BCP 47 language tag");
            }
        }
    }
}
