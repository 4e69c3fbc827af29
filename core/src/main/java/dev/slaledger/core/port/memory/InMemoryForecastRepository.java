package dev.slaledger.core.port.memory;

import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.port.ForecastRepository;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Forecasts in memory, the at-risk list in account id order (cursor: the last account id listed). */
public final class InMemoryForecastRepository implements ForecastRepository {
    private record Key(String accountId, YearMonth month) {
    }

    private final Map<Key, AccountForecast> latest = new java.util.HashMap<>();
    private int saves;

    @Override
    public synchronized Optional<AccountForecast> find(String accountId, YearMonth month) {
        return Optional.ofNullable(latest.get(new Key(accountId, month)));
    }

    @Override
    public synchronized void save(AccountForecast forecast, Optional<AccountForecast> previous) {
        latest.put(new Key(forecast.accountId(), forecast.month()), forecast);
        saves++;
    }

    /** How many forecasts were stored. */
    public synchronized int saves() {
        return saves;
    }

    @Override
    public synchronized Page atRisk(YearMonth month, Optional<ForecastStatus> status, Optional<String> cursor,
            int limit) {
        TreeMap<String, AccountForecast> listed = new TreeMap<>();
        latest.forEach((k, f) -> {
            if (k.month().equals(month) && f.status() != ForecastStatus.OK
                    && status.map(s -> s == f.status()).orElse(true)) {
                listed.put(k.accountId(), f);
            }
        });
        List<AccountForecast> page = new ArrayList<>();
        for (AccountForecast f : (cursor.isPresent() ? listed.tailMap(cursor.get(), false) : listed).values()) {
            if (page.size() == limit) {
                return new Page(page, Optional.of(page.get(page.size() - 1).accountId()));
            }
            page.add(f);
        }
        return new Page(page, Optional.empty());
    }

    @Override
    public synchronized Totals totals(YearMonth month) {
        Map<ForecastStatus, Long> accounts = new EnumMap<>(ForecastStatus.class);
        Map<Currency, BigDecimal> liability = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
        latest.forEach((k, f) -> {
            if (k.month().equals(month) && f.status() != ForecastStatus.OK) {
                accounts.merge(f.status(), 1L, Long::sum);
                f.certainVoucher().ifPresent(v -> liability.merge(v.currency(), v.amount(), BigDecimal::add));
            }
        });
        return new Totals(accounts, liability);
    }
}
