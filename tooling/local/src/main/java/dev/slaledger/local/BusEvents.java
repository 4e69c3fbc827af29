package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.statement.Statement;
import java.util.List;

/**
 * What the handlers announce goes through the real EventBridge adapters onto the bus on moto; the
 * BillingOutbound rule delivers it to the billing queue, and what arrived there is recorded (the
 * {@link EventRecorder}, which the commands count and print). An event the rule did not deliver
 * fails the call, as a refused PutEvents would.
 */
final class BusEvents implements StatementEvents, VoucherEvents {
    private final LocalEventBus bus;
    private final EventBridgeStatementEvents statements;
    private final EventBridgeVoucherEvents vouchers;
    private final EventRecorder recorder;

    BusEvents(LocalEventBus bus, EventRecorder recorder) {
        this.bus = bus;
        this.statements = new EventBridgeStatementEvents(bus.client(), LocalEventBus.BUS);
        this.vouchers = new EventBridgeVoucherEvents(bus.client(), LocalEventBus.BUS);
        this.recorder = recorder;
    }

    @Override
    public synchronized void compensableStatement(Statement s) {
        statements.compensableStatement(s);
        delivered("StatementCompensable", s.accountId(), s.month().toString());
        recorder.compensableStatement(s);
    }

    @Override
    public synchronized void voucherIssued(Claim claim) {
        vouchers.voucherIssued(claim);
        delivered("VoucherIssued", claim.accountId(), claim.month().toString());
        recorder.voucherIssued(claim);
    }

    private void delivered(String detailType, String accountId, String month) {
        List<String> arrived = bus.drain(EventRules.BILLING_OUTBOUND);
        boolean found = arrived.stream().map(LocalEventBus::parse).anyMatch(e -> matches(e, detailType, accountId, month));
        if (!found) {
            throw new IllegalStateException("the " + EventRules.BILLING_OUTBOUND + " rule did not deliver " + detailType
                    + " " + accountId + " " + month + " to the billing queue (got " + arrived.size() + " events)");
        }
    }

    private static boolean matches(JsonNode e, String detailType, String accountId, String month) {
        return e.path("detail-type").asText().equals(detailType)
                && e.path("detail").path("accountId").asText().equals(accountId)
                && e.path("detail").path("month").asText().equals(month);
    }
}
