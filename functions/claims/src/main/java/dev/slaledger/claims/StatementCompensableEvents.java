package dev.slaledger.claims;

import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The month-end's {@code StatementCompensable} event (source {@code sla-ledger}, detail the D3
 * statement), sent when a claim's recomputation stores a new compensable revision: the same
 * wire format as the month-end worker's {@code EventBridgeStatementEvents}, which this function
 * does not depend on (it would pull the SQS client in).
 */
final class StatementCompensableEvents implements StatementEvents {
    static final String DETAIL_TYPE = "StatementCompensable";

    private final EventBridgeClient events;
    private final String busName;

    StatementCompensableEvents(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void compensableStatement(Statement statement) {
        PutEventsResponse response = events.putEvents(b -> b.entries(e -> e
                .eventBusName(busName)
                .source(EventBridgeVoucherEvents.SOURCE)
                .detailType(DETAIL_TYPE)
                .resources()
                .detail(StatementJson.toJson(statement))));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the statement event of " + statement.accountId()
                    + " " + statement.month() + ": " + response.entries().get(0).errorCode());
        }
    }
}
