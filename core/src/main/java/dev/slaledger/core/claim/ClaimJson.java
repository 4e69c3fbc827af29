package dev.slaledger.core.claim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.money.Money;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Optional;

/**
 * The public JSON form of a claim (API responses and the stored record): {@code claimId},
 * {@code accountId}, {@code month}, {@code requestedAt}, {@code status} (ACCEPTED or REFUSED),
 * {@code reason} (S5.3), {@code opensAt} / {@code closedAt} (window edges of a TOO_EARLY /
 * TOO_LATE refusal, with the terms' offset like D3), {@code voucherAmount} and {@code currency}
 * (decimal string, ISO 4217) and {@code statementRevision} (the D3 revision the voucher was
 * decided on, S5.5). Absent values are null, so every claim has the same shape.
 */
public final class ClaimJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaimJson() {
    }

    public static ObjectNode toTree(Claim c) {
        ClaimDecision d = c.decision();
        ObjectNode n = JSON.createObjectNode();
        n.put("claimId", c.claimId());
        n.put("accountId", c.accountId());
        n.put("month", c.month().toString());
        n.put("requestedAt", c.requestedAt().toString());
        n.put("status", d.accepted() ? "ACCEPTED" : "REFUSED");
        text(n, "reason", d.reason().map(Enum::name));
        text(n, "opensAt", d.opensAt().map(OffsetDateTime::toString));
        text(n, "closedAt", d.closedAt().map(OffsetDateTime::toString));
        text(n, "voucherAmount", d.voucher().map(Money::toDecimalString));
        text(n, "currency", d.voucher().map(v -> v.currency().getCurrencyCode()));
        if (d.statementRevision().isPresent()) {
            n.put("statementRevision", d.statementRevision().get());
        } else {
            n.putNull("statementRevision");
        }
        return n;
    }

    public static String toJson(Claim c) {
        return toTree(c).toString();
    }

    public static Claim fromJson(String json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a claim: " + e.getOriginalMessage(), e);
        }
    }

    public static Claim fromTree(JsonNode n) {
        boolean accepted = "ACCEPTED".equals(n.get("status").asText());
        Optional<String> amount = text(n, "voucherAmount");
        Optional<Money> voucher = amount.map(a -> Money.of(a, n.get("currency").asText()));
        ClaimDecision decision = new ClaimDecision(accepted,
                text(n, "reason").map(RefusalReason::valueOf),
                voucher,
                text(n, "opensAt").map(OffsetDateTime::parse),
                text(n, "closedAt").map(OffsetDateTime::parse),
                n.hasNonNull("statementRevision") ? Optional.of(n.get("statementRevision").asInt()) : Optional.empty());
        return new Claim(n.get("claimId").asText(), n.get("accountId").asText(), YearMonth.parse(n.get("month").asText()),
                Instant.parse(n.get("requestedAt").asText()), decision);
    }

    private static void text(ObjectNode n, String field, Optional<String> value) {
        if (value.isPresent()) {
            n.put(field, value.get());
        } else {
            n.putNull(field);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
