package dev.slaledger.adapter.eventbridge;

import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Announces compensable statements on the system's EventBridge bus: source
 * {@code sla-ledger}, detail-type {@code StatementCompensable}, detail = the statement (D3).
 * Consumers deduplicate on accountId, month and revision. The month-end worker and the claims
 * API (when a claim's recomputation stores a compensable revision) both announce through it.
 */
public final class EventBridgeStatementEvents implements StatementEvents {
    public static final String SOURCE = "sla-ledger";
    public static final String DETAIL_TYPE = "StatementCompensable";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeStatementEvents(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void compensableStatement(Statement statement) {
        PutEventsResponse response = events.putEvents(b -> b.entries(e -> e
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(DETAIL_TYPE)
                .resources()
                .detail(StatementJson.toJson(statement))));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the statement event of " + statement.accountId()
                    + " " + statement.month() + ": " + response.entries().get(0).errorCode());
        }
    }
}
