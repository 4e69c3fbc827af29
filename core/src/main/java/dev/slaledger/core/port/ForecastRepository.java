package dev.slaledger.core.port;

import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The liability forecasts (S9.8): per account and month the latest one, which is also the running
 * state the next daily run continues from; and the list of the accounts whose month is at risk or
 * compensable, for the provider's view (never a customer's).
 */
public interface ForecastRepository {
    /** The account's latest forecast of {@code month}, if one was made. */
    Optional<AccountForecast> find(String accountId, YearMonth month);

    /**
     * Stores {@code forecast} as the account's latest for its month, after {@code previous} (what
     * {@link #find} returned): the at-risk list follows its status and certain voucher.
     */
    void save(AccountForecast forecast, Optional<AccountForecast> previous);

    /** One page of the at-risk list. {@code next} is the cursor of the following page, if any. */
    record Page(List<AccountForecast> forecasts, Optional<String> next) {
    }

    /**
     * The accounts at risk or compensable in {@code month} ({@code status} one of the two, or both when
     * empty), from {@code cursor} (a {@link Page#next}), up to {@code limit}.
     *
     * @throws IllegalArgumentException when the cursor is not one this repository gave
     */
    Page atRisk(YearMonth month, Optional<ForecastStatus> status, Optional<String> cursor, int limit);

    /** Counts of the at-risk list by status, and the certain vouchers of its accounts per currency. */
    record Totals(Map<ForecastStatus, Long> accounts, Map<Currency, BigDecimal> certainLiability) {
    }

    Totals totals(YearMonth month);
}
