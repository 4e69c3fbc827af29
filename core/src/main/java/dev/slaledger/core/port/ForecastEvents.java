package dev.slaledger.core.port;

import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;

/**
 * Tells the provider that an account's month changed status (S9.8): {@code SlaAtRisk} on the bus in
 * AWS, only when the status changes. At least once: consumers deduplicate on account, month, status
 * and {@code asOf}. Provider-only: no rule delivers it to billing or to customers.
 */
public interface ForecastEvents {
    void statusChanged(AccountForecast forecast, ForecastStatus previous);
}
