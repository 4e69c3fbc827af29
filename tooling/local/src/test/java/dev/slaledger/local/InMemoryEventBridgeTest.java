package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.eventbridge.EventRules;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Issue 28 item 3: the memory engine's bus delivers what the deployed rules deliver on moto, in the
 * envelope an SQS target gets, and refuses what the engine refuses.
 */
class InMemoryEventBridgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("a billing event reaches BillingEvents, and the notice rule when it is a purchase; in the SQS target's envelope")
    void rulesDeliver() throws Exception {
        InMemoryEventBridge bus = new InMemoryEventBridge();
        PutEventsResponse r = bus.putEvents(b -> b.entries(e -> e.eventBusName("b").source("billing")
                .detailType("SubscriptionPurchased").detail("{\"accountId\":\"acme\"}")
                .time(Instant.parse("2026-10-01T00:00:00.250Z"))));
        assertThat(r.failedEntryCount()).isZero();
        assertThat(bus.drain(EventRules.BILLING_OUTBOUND)).isEmpty();
        assertThat(bus.drain(EventRules.NOTICE_BILLING_EVENTS)).hasSize(1);
        JsonNode e = JSON.readTree(bus.drain(EventRules.BILLING_EVENTS).get(0));
        assertThat(e.get("id").asText()).isEqualTo(r.entries().get(0).eventId());
        assertThat(e.get("version").asText()).isEqualTo("0");
        assertThat(e.get("source").asText()).isEqualTo("billing");
        assertThat(e.get("detail-type").asText()).isEqualTo("SubscriptionPurchased");
        assertThat(e.get("time").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(e.get("detail").get("accountId").asText()).isEqualTo("acme");
        assertThat(bus.drain(EventRules.BILLING_EVENTS)).as("taken off").isEmpty();
    }

    @Test
    @DisplayName("a fee reaches BillingEvents only; a VoucherIssued BillingOutbound only")
    void patternsSelect() {
        InMemoryEventBridge bus = new InMemoryEventBridge();
        bus.putEvents(b -> b.entries(e -> e.source("billing").detailType("FeeAssessed").detail("{}"),
                e -> e.source("sla-ledger").detailType("VoucherIssued").detail("{}")));
        assertThat(bus.drain(EventRules.BILLING_EVENTS)).hasSize(1);
        assertThat(bus.drain(EventRules.NOTICE_BILLING_EVENTS)).isEmpty();
        assertThat(bus.drain(EventRules.BILLING_OUTBOUND)).hasSize(1);
        assertThat(bus.drain(EventRules.NOTICE_STATEMENT_EVENTS)).isEmpty();
        assertThat(bus.drain(EventRules.TERMS_PUBLISHED)).isEmpty();
    }

    @Test
    @DisplayName("an entry without source or with a detail that is not JSON is refused, as the engine refuses it")
    void refuses() {
        InMemoryEventBridge bus = new InMemoryEventBridge();
        PutEventsResponse r = bus.putEvents(b -> b.entries(e -> e.detailType("X").detail("{}"),
                e -> e.source("billing").detailType("X").detail("{not json")));
        assertThat(r.failedEntryCount()).isEqualTo(2);
        assertThat(r.entries()).allSatisfy(x -> assertThat(x.errorCode()).isNotNull());
        assertThat(bus.drain(EventRules.BILLING_EVENTS)).isEmpty();
    }

    @Test
    @DisplayName("patterns: exact values of top-level and nested fields, any element of a list field")
    void matches() throws Exception {
        JsonNode pattern = JSON.readTree("{\"source\":[\"a\",\"b\"],\"detail\":{\"kind\":[\"x\"]}}");
        assertThat(InMemoryEventBridge.matches(pattern, JSON.readTree("{\"source\":\"b\",\"detail\":{\"kind\":\"x\"}}")))
                .isTrue();
        assertThat(InMemoryEventBridge.matches(pattern, JSON.readTree("{\"source\":\"c\",\"detail\":{\"kind\":\"x\"}}")))
                .isFalse();
        assertThat(InMemoryEventBridge.matches(pattern, JSON.readTree("{\"source\":\"a\",\"detail\":{}}"))).isFalse();
        assertThat(InMemoryEventBridge.matches(pattern,
                JSON.readTree("{\"source\":\"a\",\"detail\":{\"kind\":[\"y\",\"x\"]}}"))).isTrue();
    }
}
