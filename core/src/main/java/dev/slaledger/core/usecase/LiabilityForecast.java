package dev.slaledger.core.usecase;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.forecast.LiabilityMath;
import dev.slaledger.core.money.Compensation;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.ForecastEvents;
import dev.slaledger.core.port.ForecastRepository;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The voucher-liability forecast (S9.8), per account with a service period in the month under way:
 * the error-rate sum so far, the month's error budget at the commitment, the burn projected to the
 * month's end at the month-to-date rate, and the smallest voucher already certain if every remaining
 * interval were perfect. Provider-only.
 *
 * <p>Daily and cheap: each run reads only the account's aggregates of the intervals since the last
 * run ({@code through} of the stored forecast) with the statement worker's Query, and adds their rates
 * to the stored running sum. Intervals are read once they are settled ({@link #DEFAULT_SETTLE} after
 * their start), so an interval's aggregate is complete when it is added. When something the sum
 * depends on changed (the governing terms, the covered days, a maintenance window that applies) the
 * month is read again from its start. Traffic arriving more than the settle time late for an interval
 * already added is not in the forecast (it is in the statement, S7): the forecast estimates, the
 * statement decides.
 *
 * <p>A status change (ok, at risk, compensable) is announced ({@link ForecastEvents}) before the new
 * forecast is stored, so a run that dies in between announces again (at least once), and a status
 * that stays the same is never announced twice.
 */
public final class LiabilityForecast {
    /** How long after an interval starts its aggregate is taken as complete (ingest's windows are 15 minutes). */
    public static final Duration DEFAULT_SETTLE = Duration.ofHours(1);

    /** What a batch did, for the job's log and metrics. */
    public record Summary(YearMonth month, int accounts, int forecasts, int statusChanges, int firstOfDay,
            Map<ForecastStatus, Integer> byStatus, Map<Currency, BigDecimal> certainLiability, List<String> failed) {
    }

    /** One account's outcome: its forecast, whether it is its first of the day (terms' zone), its status change. */
    public record Outcome(AccountForecast forecast, boolean firstOfDay, Optional<ForecastStatus> previousStatus) {
        public boolean statusChanged() {
            return previousStatus.isPresent();
        }
    }

    private final AccountRepository accounts;
    private final AggregateRepository aggregates;
    private final MaintenanceWindowRepository maintenance;
    private final TermsRepository terms;
    private final NoticeRepository notices;
    private final ForecastRepository forecasts;
    private final ForecastEvents events;
    private final Clock clock;
    private final Duration settle;

    public LiabilityForecast(AccountRepository accounts, AggregateRepository aggregates,
            MaintenanceWindowRepository maintenance, TermsRepository terms, NoticeRepository notices,
            ForecastRepository forecasts, ForecastEvents events, Clock clock, Duration settle) {
        this.accounts = Objects.requireNonNull(accounts);
        this.aggregates = Objects.requireNonNull(aggregates);
        this.maintenance = Objects.requireNonNull(maintenance);
        this.terms = Objects.requireNonNull(terms);
        this.notices = Objects.requireNonNull(notices);
        this.forecasts = Objects.requireNonNull(forecasts);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle time must not be negative: " + settle);
        }
        this.settle = settle;
    }

    /** The month under way by the clock in {@code zone}: the one the daily run forecasts. */
    public YearMonth currentMonth(ZoneId zone) {
        return monthUnderWay(clock, zone);
    }

    /** The month under way at {@code clock}'s instant in {@code zone} (the fan-out's, which has no forecast). */
    public static YearMonth monthUnderWay(Clock clock, ZoneId zone) {
        return YearMonth.from(LocalDate.now(clock.withZone(zone)));
    }

    /**
     * Forecasts each account of the batch, reading what they share (terms, windows) once. One
     * account's failure does not stop the others: its id comes back in {@link Summary#failed()}.
     */
    public Summary forecastAll(List<String> accountIds, YearMonth month) {
        MonthInputs shared = shared(month);
        int forecasted = 0;
        int changes = 0;
        int first = 0;
        Map<ForecastStatus, Integer> byStatus = new EnumMap<>(ForecastStatus.class);
        Map<Currency, BigDecimal> liability = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
        List<String> failed = new ArrayList<>();
        for (String accountId : accountIds) {
            Optional<Outcome> outcome;
            try {
                outcome = forecast(accountId, month, shared);
            } catch (RuntimeException e) {
                failed.add(accountId);
                continue;
            }
            if (outcome.isEmpty()) {
                continue;
            }
            Outcome o = outcome.get();
            forecasted++;
            if (o.statusChanged()) {
                changes++;
            }
            if (o.firstOfDay()) { // metrics count an account once a day, whatever the retries
                first++;
                byStatus.merge(o.forecast().status(), 1, Integer::sum);
                o.forecast().certainVoucher().ifPresent(v -> liability.merge(v.currency(), v.amount(), BigDecimal::add));
            }
        }
        return new Summary(month, accountIds.size(), forecasted, changes, first, byStatus, liability, failed);
    }

    /** One account's forecast of {@code month} (stored, and announced if its status changed); empty without a period. */
    public Optional<Outcome> forecast(String accountId, YearMonth month) {
        return forecast(accountId, month, shared(month));
    }

    /** What every account of a batch shares (terms, windows), read once and lazily. */
    private MonthInputs shared(YearMonth month) {
        return new MonthInputs(month, accounts, terms, notices, maintenance);
    }

    private Optional<Outcome> forecast(String accountId, YearMonth month, MonthInputs shared) {
        Optional<MonthInputs.AccountMonth> inputs = shared.account(accountId);
        if (inputs.isEmpty()) {
            return Optional.empty();
        }
        Account account = inputs.get().account();
        ServicePeriod period = inputs.get().period();
        TermsVersion governing = inputs.get().governing();
        ZoneId zone = governing.timeZone();
        long[] bounds = inputs.get().bounds();
        List<MaintenanceWindow> applying = shared.windows().stream()
                .filter(w -> w.announcedInTime() && w.covers(accountId)
                        && w.start().getEpochSecond() < bounds[bounds.length - 1]
                        && w.end().getEpochSecond() > bounds[0])
                .toList();
        String basis = basis(governing, zone, period, applying);

        Instant now = clock.instant();
        long cutoff = Math.min(Intervals.startOf(now.minus(settle)).getEpochSecond(), bounds[bounds.length - 1]);
        cutoff = Math.max(cutoff, bounds[0]);
        Optional<AccountForecast> previous = forecasts.find(accountId, month);
        boolean continues = previous.isPresent() && previous.get().basis().equals(basis)
                && previous.get().through().getEpochSecond() <= cutoff;
        long from = continues ? previous.get().through().getEpochSecond() : bounds[0];
        BigDecimal sum = continues ? previous.get().errorRateSum() : BigDecimal.ZERO;
        if (from < cutoff) {
            AccountMonthTraffic traffic = aggregates.load(accountId, Instant.ofEpochSecond(from),
                    Instant.ofEpochSecond(cutoff)).normalized();
            for (int i = 0, n = traffic.size(); i < n; i++) {
                long e = traffic.errorRequests(i);
                if (e == 0) {
                    continue;
                }
                long start = traffic.startEpochSecond(i);
                if (start < from || start >= cutoff || !inPeriod(bounds, start) || excluded(applying, accountId, start)) {
                    continue;
                }
                sum = sum.add(LiabilityMath.rateFloor(traffic.valid(i), e));
            }
        }
        long elapsed = 0;
        for (int b = 0; b < bounds.length; b += 2) {
            elapsed += LiabilityMath.intervalStarts(bounds[b], Math.min(bounds[b + 1], cutoff));
        }
        long n = period.intervals();
        BigDecimal budget = LiabilityMath.budget(governing.commitment(), n);
        BigDecimal projected = LiabilityMath.projected(sum, n, elapsed);
        ForecastStatus status = LiabilityMath.status(sum, projected, budget);
        BigDecimal certainPercent = LiabilityMath.certainPercent(governing, sum, n);
        Optional<Money> certainVoucher = account.feeFor(month)
                .map(fee -> Compensation.voucher(certainPercent, governing.capPercent(), fee));
        AccountForecast forecast = new AccountForecast(accountId, month, now, Instant.ofEpochSecond(cutoff),
                governing.version(), governing.commitment(), n, elapsed, sum, budget, projected, status,
                certainPercent, certainVoucher, basis);

        ForecastStatus before = previous.map(AccountForecast::status).orElse(ForecastStatus.OK);
        Optional<ForecastStatus> changedFrom = before == status ? Optional.empty() : Optional.of(before);
        if (changedFrom.isPresent()) {
            events.statusChanged(forecast, before); // before storing: a run that dies here announces again
        }
        forecasts.save(forecast, previous);
        boolean firstOfDay = previous.isEmpty() || !LocalDate.ofInstant(previous.get().asOf(), zone)
                .equals(LocalDate.ofInstant(now, zone));
        return Optional.of(new Outcome(forecast, firstOfDay, changedFrom));
    }

    private static boolean inPeriod(long[] bounds, long start) {
        for (int b = 0; b < bounds.length; b += 2) {
            if (start >= bounds[b] && start < bounds[b + 1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean excluded(List<MaintenanceWindow> windows, String accountId, long start) {
        Instant at = Instant.ofEpochSecond(start);
        for (MaintenanceWindow w : windows) {
            if (w.excludes(accountId, at)) {
                return true;
            }
        }
        return false;
    }

    /** A digest of what the running sum depends on: a different one means read the month again. */
    static String basis(TermsVersion governing, ZoneId zone, ServicePeriod period, List<MaintenanceWindow> windows) {
        StringBuilder b = new StringBuilder().append(governing.version()).append('|').append(zone.getId());
        for (DateRange r : period.ranges()) {
            b.append('|').append(r.start()).append('/').append(r.end());
        }
        windows.stream().sorted(java.util.Comparator.comparing(MaintenanceWindow::id)).forEach(w -> b.append("|w:")
                .append(w.id()).append(',').append(w.start()).append(',').append(w.end()).append(',')
                .append(w.announcedAt()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
