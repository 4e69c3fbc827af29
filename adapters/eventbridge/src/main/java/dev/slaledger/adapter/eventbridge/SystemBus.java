package dev.slaledger.adapter.eventbridge;

import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The system's EventBridge bus as this module's publishers put on it: one entry per call, source
 * {@value #SOURCE}. PutEvents answers a refused entry with a failed count rather than an exception,
 * so {@link #put} turns it into one: an event the bus did not take is never reported as sent. The client
 * is asked for at each put, so a function may build it on its first event (AwsClients.lazy).
 */
record SystemBus(Supplier<EventBridgeClient> events, String busName) {
    /** The source of every event the system puts on its bus. */
    static final String SOURCE = "sla-ledger";

    /**
     * Puts one event.
     *
     * @param event what the event is, for the exception when the bus refuses it (e.g.
     *              {@code "VoucherIssued event of claim c-1"})
     * @throws IllegalStateException when the bus refuses the entry, with its error code
     */
    void put(String detailType, String detail, String event) {
        PutEventsResponse response = events.get().putEvents(b -> b.entries(e -> e
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(detailType)
                .detail(detail)));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the " + event + ": "
                    + response.entries().get(0).errorCode());
        }
    }
}
