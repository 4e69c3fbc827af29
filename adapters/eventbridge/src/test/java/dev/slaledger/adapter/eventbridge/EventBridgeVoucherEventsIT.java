package dev.slaledger.adapter.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.money.Money;
import dev.slaledger.testkit.LoopbackEventBridge;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The VoucherIssued adapter on the wire, through the real SDK client. */
class EventBridgeVoucherEventsIT {
    private static final Claim CLAIM = new Claim("0b7c6f5e-4d3c-4b2a-8e1f-9a0b1c2d3e4f", "acme", YearMonth.of(2026, 10),
            Instant.parse("2026-11-10T08:00:00Z"), new ClaimDecision(true, Optional.empty(),
                    Optional.of(Money.of("1234", "JPY")), Optional.empty(), Optional.empty(), Optional.of(3)));

    @Test
    @DisplayName("issue 6.4 one PutEvents entry: source sla-ledger, detail-type VoucherIssued, the claim's voucher as detail")
    void wireFormat() {
        try (LoopbackEventBridge eb = new LoopbackEventBridge()) {
            new EventBridgeVoucherEvents(eb.client, "sla-bus").voucherIssued(CLAIM);
            assertThat(eb.targets()).containsExactly("AWSEvents.PutEvents");
            JsonNode entry = eb.entries("VoucherIssued").get(0);
            assertThat(entry.get("EventBusName").asText()).isEqualTo("sla-bus");
            assertThat(entry.get("Source").asText()).isEqualTo("sla-ledger");
            JsonNode detail = LoopbackEventBridge.detail(entry);
            assertThat(detail.toString()).isEqualTo("{\"claimId\":\"0b7c6f5e-4d3c-4b2a-8e1f-9a0b1c2d3e4f\","
                    + "\"accountId\":\"acme\",\"month\":\"2026-10\",\"amount\":\"1234\",\"currency\":\"JPY\","
                    + "\"statementRevision\":3,\"issuedAt\":\"2026-11-10T08:00:00Z\"}");
        }
    }

    @Test
    @DisplayName("a refused entry fails the call, so the claim's announcement stays owed")
    void refusedEntryThrows() {
        try (LoopbackEventBridge eb = new LoopbackEventBridge()) {
            eb.failing = true;
            assertThatThrownBy(() -> new EventBridgeVoucherEvents(eb.client, "sla-bus").voucherIssued(CLAIM))
                    .hasMessageContaining("InternalFailure");
        }
    }
}
