package dev.slaledger.core.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/**
 * The JSON form of a forecast (S9.8): the admin route's items, the {@code SlaAtRisk} event's detail
 * and the stored state. Numbers that must stay exact are decimal strings; {@code certainVoucher} and
 * {@code currency} are null while no fee is assessed.
 */
public final class ForecastJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ForecastJson() {
    }

    public static ObjectNode toTree(AccountForecast f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("accountId", f.accountId());
        n.put("month", f.month().toString());
        n.put("asOf", f.asOf().toString());
        n.put("through", f.through().toString());
        n.put("status", f.status().wireName());
        n.put("termsVersion", f.termsVersion());
        n.put("commitment", f.commitment().toPlainString());
        n.put("intervals", f.intervals());
        n.put("elapsedIntervals", f.elapsedIntervals());
        n.put("errorRateSum", f.errorRateSum().toPlainString());
        n.put("errorBudget", f.errorBudget().toPlainString());
        n.put("budgetUsed", f.budgetUsed().toPlainString());
        n.put("projectedBurn", f.projectedBurn().toPlainString());
        n.put("certainPercent", f.certainPercent().toPlainString());
        if (f.certainVoucher().isPresent()) {
            n.put("certainVoucher", f.certainVoucher().get().toDecimalString());
            n.put("currency", f.certainVoucher().get().currency().getCurrencyCode());
        } else {
            n.putNull("certainVoucher");
            n.putNull("currency");
        }
        n.put("basis", f.basis());
        return n;
    }

    public static String toJson(AccountForecast f) {
        try {
            return JSON.writeValueAsString(toTree(f));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AccountForecast fromJson(String json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a forecast: " + e.getOriginalMessage(), e);
        }
    }

    public static AccountForecast fromTree(JsonNode n) {
        Optional<Money> voucher = n.hasNonNull("certainVoucher")
                ? Optional.of(Money.of(n.get("certainVoucher").asText(), n.get("currency").asText()))
                : Optional.empty();
        return new AccountForecast(n.get("accountId").asText(), YearMonth.parse(n.get("month").asText()),
                Instant.parse(n.get("asOf").asText()), Instant.parse(n.get("through").asText()),
                n.get("termsVersion").asText(), new BigDecimal(n.get("commitment").asText()),
                n.get("intervals").asLong(), n.get("elapsedIntervals").asLong(),
                new BigDecimal(n.get("errorRateSum").asText()), new BigDecimal(n.get("errorBudget").asText()),
                new BigDecimal(n.get("projectedBurn").asText()),
                ForecastStatus.parse(n.get("status").asText()).orElseThrow(
                        () -> new IllegalArgumentException("unknown forecast status " + n.get("status"))),
                new BigDecimal(n.get("certainPercent").asText()), voucher, n.get("basis").asText());
    }
}
