package dev.slaledger.adapter.eventbridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.port.NotifierTrigger;
import dev.slaledger.core.terms.TermsVersion;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Starts the notifier after a publication by putting a {@code TermsPublished} event (source
 * {@code sla-ledger}) on the system's bus; a rule on that bus targets the notifier function.
 * (An EventBridge rule rather than a direct async Lambda invoke: the SDK's {@code lambda} module
 * does not resolve at the pinned SDK version, the {@code eventbridge} module is already used,
 * and the event also records the publication for other consumers.)
 */
public final class EventBridgeNotifierTrigger implements NotifierTrigger {
    public static final String SOURCE = SystemBus.SOURCE;
    public static final String DETAIL_TYPE = "TermsPublished";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SystemBus bus;

    public EventBridgeNotifierTrigger(EventBridgeClient events, String busName) {
        this(() -> events, busName);
    }

    /** The same on a client built when the first event is put (a function that announces on few invocations). */
    public EventBridgeNotifierTrigger(Supplier<EventBridgeClient> events, String busName) {
        this.bus = new SystemBus(events, busName);
    }

    @Override
    public void termsPublished(TermsVersion version) {
        ObjectNode detail = JSON.createObjectNode()
                .put("version", version.version())
                .put("effectiveFrom", version.effectiveFrom().toString())
                .put("timeZone", version.timeZone().getId());
        bus.put(DETAIL_TYPE, detail.toString(), "TermsPublished event of " + version.version());
    }
}
