package dev.slaledger.adapter.eventbridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastJson;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.port.ForecastEvents;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Announces a change of an account's forecast status on the system's bus (S9.8): source
 * {@code sla-ledger}, detail-type {@code SlaAtRisk}, detail = the forecast (ForecastJson) with
 * {@code previousStatus}. For the provider's own rules: no rule of event-rules.json delivers it
 * (not to billing's queue, never to a customer). Consumers deduplicate on accountId, month, status
 * and asOf.
 */
public final class EventBridgeForecastEvents implements ForecastEvents {
    public static final String DETAIL_TYPE = "SlaAtRisk";

    private final SystemBus bus;

    public EventBridgeForecastEvents(EventBridgeClient events, String busName) {
        this(() -> events, busName);
    }

    /** The same on a client built when the first event is put (a function that announces on few invocations). */
    public EventBridgeForecastEvents(Supplier<EventBridgeClient> events, String busName) {
        this.bus = new SystemBus(events, busName);
    }

    /** The event's detail: the forecast and the status it left. */
    public static String detail(AccountForecast forecast, ForecastStatus previous) {
        ObjectNode detail = ForecastJson.toTree(forecast);
        detail.put("previousStatus", previous.wireName());
        return detail.toString();
    }

    @Override
    public void statusChanged(AccountForecast forecast, ForecastStatus previous) {
        bus.put(DETAIL_TYPE, detail(forecast, previous),
                "SlaAtRisk event of " + forecast.accountId() + " " + forecast.month());
    }
}
