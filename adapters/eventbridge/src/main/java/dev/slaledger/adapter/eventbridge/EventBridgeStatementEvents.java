package dev.slaledger.adapter.eventbridge;

import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Announces compensable statements on the system's EventBridge bus: source
 * {@code sla-ledger}, detail-type {@code StatementCompensable}, detail = the statement (D3).
 * Consumers deduplicate on accountId, month and revision. The month-end worker and the claims
 * API (when a claim's recomputation stores a compensable revision) both announce through it.
 */
public final class EventBridgeStatementEvents implements StatementEvents {
    public static final String SOURCE = SystemBus.SOURCE;
    public static final String DETAIL_TYPE = "StatementCompensable";

    private final SystemBus bus;

    public EventBridgeStatementEvents(EventBridgeClient events, String busName) {
        this(() -> events, busName);
    }

    /** The same on a client built when the first event is put (a function that announces on few invocations). */
    public EventBridgeStatementEvents(Supplier<EventBridgeClient> events, String busName) {
        this.bus = new SystemBus(events, busName);
    }

    @Override
    public void compensableStatement(Statement statement) {
        bus.put(DETAIL_TYPE, StatementJson.toJson(statement),
                "statement event of " + statement.accountId() + " " + statement.month());
    }
}
