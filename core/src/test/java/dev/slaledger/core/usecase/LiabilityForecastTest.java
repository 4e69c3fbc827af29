package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryForecastRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S9.8: the daily liability forecast, its running sum, its statuses and the events on a change. */
class LiabilityForecastTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    /** The default terms: 99.90 % of 31 x 288 intervals allows a sum of 8.928. */
    private static final BigDecimal BUDGET = new BigDecimal("8.928");

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final InMemoryForecastRepository forecasts = new InMemoryForecastRepository();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-10-01T02:00:00Z"));
    private final List<String> events = new ArrayList<>();
    /** Every aggregate read: account, from, to. */
    private final List<Instant[]> loads = new ArrayList<>();
    private final Map<String, RuntimeException> failing = new HashMap<>();

    private final AggregateRepository countingAggregates = new AggregateRepository() {
        @Override
        public AccountMonthTraffic load(String accountId, Instant from, Instant to) {
            RuntimeException fail = failing.get(accountId);
            if (fail != null) {
                throw fail;
            }
            loads.add(new Instant[] {from, to});
            return aggregates.load(accountId, from, to);
        }
    };

    private LiabilityForecast forecast(InMemoryForecastRepository repo) {
        return new LiabilityForecast(accounts, countingAggregates, windows, terms, new InMemoryNoticeRepository(), repo,
                (f, before) -> events.add(f.accountId() + " " + before.wireName() + "->" + f.status().wireName()),
                clock, LiabilityForecast.DEFAULT_SETTLE);
    }

    private void account(String id, MonthlyFee fee) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-09-01"), LocalDate.parse("2026-12-31"))),
                fee == null ? Map.of() : Map.of(OCT, fee)));
    }

    private void failing(String id, Instant start, int n) {
        for (int i = 0; i < n; i++) {
            aggregates.add(new IntervalAggregate(id, start.plusSeconds(300L * i), new IntervalCounts(10, 10, 0, 0)));
        }
    }

    @BeforeEach
    void accounts() {
        account("a", MonthlyFee.of("1000.00", "0.00", "EUR"));
    }

    @Test
    @DisplayName("S9.8 each daily run reads only the intervals since the last one and keeps a running sum equal to a from-scratch sum")
    void runningSum() {
        SplittableRandom random = new SplittableRandom(30);
        long start = OCT.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        for (int i = 0; i < 8928; i++) {
            if (random.nextInt(40) == 0) {
                long v = random.nextLong(0, 500);
                aggregates.add(new IntervalAggregate("a", Instant.ofEpochSecond(start + 300L * i),
                        new IntervalCounts(v, random.nextLong(0, v + 1), random.nextLong(0, 3), random.nextLong(0, 2))));
            }
        }
        LiabilityForecast daily = forecast(forecasts);
        Instant previousThrough = null;
        for (int day = 1; day <= 31; day++) {
            clock.set(OCT.atDay(day).atTime(2, 0).toInstant(java.time.ZoneOffset.UTC));
            loads.clear();
            AccountForecast f = daily.forecast("a", OCT).orElseThrow().forecast();
            assertThat(f.through()).isEqualTo(clock.instant().minus(Duration.ofHours(1)));
            assertThat(loads).hasSize(1);
            assertThat(loads.get(0)[0]).isEqualTo(previousThrough == null ? OCT.atDay(1).atStartOfDay()
                    .toInstant(java.time.ZoneOffset.UTC) : previousThrough);
            assertThat(loads.get(0)[1]).isEqualTo(f.through());
            previousThrough = f.through();
            AccountForecast fromScratch = forecast(new InMemoryForecastRepository()).forecast("a", OCT).orElseThrow()
                    .forecast();
            assertThat(f.errorRateSum()).isEqualTo(fromScratch.errorRateSum());
            assertThat(f.elapsedIntervals()).isEqualTo(fromScratch.elapsedIntervals()).isEqualTo((day - 1) * 288L + 12);
        }
    }

    @Test
    @DisplayName("S9.8 ok, at risk (projection above the budget), compensable (sum above it): an event only when the status changes")
    void statuses() {
        LiabilityForecast daily = forecast(forecasts);
        clock.set(Instant.parse("2026-10-02T02:00:00Z"));
        assertThat(daily.forecast("a", OCT).orElseThrow().forecast().status()).isEqualTo(ForecastStatus.OK);
        assertThat(events).isEmpty();

        // a sum of 1 after 25 hours projects to 1 x 8928 / 300 = 29.76 > 8.928
        failing("a", Instant.parse("2026-10-02T12:00:00Z"), 1);
        clock.set(Instant.parse("2026-10-03T02:00:00Z"));
        AccountForecast risky = daily.forecast("a", OCT).orElseThrow().forecast();
        assertThat(risky.status()).isEqualTo(ForecastStatus.AT_RISK);
        assertThat(risky.errorBudget()).isEqualByComparingTo(BUDGET);
        // through 01:00 of the 3rd: 2 days and an hour elapsed, 588 intervals; 1 x 8928 / 588
        assertThat(risky.elapsedIntervals()).isEqualTo(588);
        assertThat(risky.projectedBurn()).isEqualByComparingTo("15.183673");
        assertThat(risky.projectedBurn()).isGreaterThan(BUDGET);
        assertThat(risky.certainPercent()).isEqualByComparingTo("0");
        assertThat(risky.certainVoucher()).contains(Money.of("0.00", "EUR"));
        assertThat(events).containsExactly("a ok->at-risk");

        clock.set(Instant.parse("2026-10-04T02:00:00Z"));
        assertThat(daily.forecast("a", OCT).orElseThrow().forecast().status()).isEqualTo(ForecastStatus.AT_RISK);
        assertThat(events).hasSize(1);

        failing("a", Instant.parse("2026-10-04T12:00:00Z"), 12); // a sum of 13 > 8.928: A = 99.85 at best
        clock.set(Instant.parse("2026-10-05T02:00:00Z"));
        AccountForecast owed = daily.forecast("a", OCT).orElseThrow().forecast();
        assertThat(owed.status()).isEqualTo(ForecastStatus.COMPENSABLE);
        assertThat(owed.certainPercent()).isEqualByComparingTo("10");
        assertThat(owed.certainVoucher()).contains(Money.of("100.00", "EUR"));
        assertThat(events).containsExactly("a ok->at-risk", "a at-risk->compensable");
    }

    @Test
    @DisplayName("S9.8 the certain voucher is empty while no fee is assessed; the percent is known")
    void noFee() {
        account("b", null);
        failing("b", Instant.parse("2026-10-01T00:00:00Z"), 100);
        clock.set(Instant.parse("2026-10-02T02:00:00Z"));
        AccountForecast f = forecast(forecasts).forecast("b", OCT).orElseThrow().forecast();
        assertThat(f.status()).isEqualTo(ForecastStatus.COMPENSABLE);
        assertThat(f.certainPercent()).isEqualByComparingTo("25"); // A = 98.87 % at best
        assertThat(f.certainVoucher()).isEmpty();
    }

    @Test
    @DisplayName("S9.8/S2.4 a window recorded later changes the basis: the next run reads the month again and excludes its errors")
    void windowReadsAgain() {
        failing("a", Instant.parse("2026-10-01T10:00:00Z"), 20);
        LiabilityForecast daily = forecast(forecasts);
        clock.set(Instant.parse("2026-10-02T02:00:00Z"));
        assertThat(daily.forecast("a", OCT).orElseThrow().forecast().errorRateSum()).isEqualByComparingTo("20");
        windows.save(new MaintenanceWindow("mw-1", Instant.parse("2026-10-01T10:00:00Z"),
                Instant.parse("2026-10-01T11:00:00Z"), Instant.parse("2026-09-30T00:00:00Z"), Optional.empty()));
        clock.set(Instant.parse("2026-10-03T02:00:00Z"));
        loads.clear();
        AccountForecast f = daily.forecast("a", OCT).orElseThrow().forecast();
        assertThat(f.errorRateSum()).isEqualByComparingTo("8");
        assertThat(loads.get(0)[0]).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
    }

    @Test
    @DisplayName("S9.8 intervals are added once settled: the last hour before the run waits for the next run")
    void settle() {
        failing("a", Instant.parse("2026-10-02T01:30:00Z"), 1);
        clock.set(Instant.parse("2026-10-02T02:00:00Z"));
        LiabilityForecast daily = forecast(forecasts);
        assertThat(daily.forecast("a", OCT).orElseThrow().forecast().errorRateSum()).isEqualByComparingTo("0");
        clock.set(Instant.parse("2026-10-03T02:00:00Z"));
        assertThat(daily.forecast("a", OCT).orElseThrow().forecast().errorRateSum()).isEqualByComparingTo("1");
    }

    @Test
    @DisplayName("S9.8 a batch: metrics count an account once a day, one failing account does not stop the others")
    void batch() {
        account("b", MonthlyFee.of("200.00", "0.00", "USD"));
        account("c", null);
        accounts.save(new Account("gone", "g@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-03-31"))), Map.of()));
        failing("b", Instant.parse("2026-10-01T00:00:00Z"), 300);
        failing.put("c", new IllegalStateException("throttled"));
        clock.set(Instant.parse("2026-10-02T02:00:00Z"));
        LiabilityForecast daily = forecast(forecasts);
        LiabilityForecast.Summary first = daily.forecastAll(List.of("a", "b", "c", "gone", "unknown"), OCT);
        assertThat(first.forecasts()).isEqualTo(2);
        assertThat(first.failed()).containsExactly("c");
        assertThat(first.firstOfDay()).isEqualTo(2);
        assertThat(first.byStatus()).containsEntry(ForecastStatus.OK, 1).containsEntry(ForecastStatus.COMPENSABLE, 1);
        // b: a sum of 300 of 8928 -> A = 96.63 % at best: the 25 % tier of 200.00 USD
        assertThat(first.certainLiability()).containsEntry(java.util.Currency.getInstance("USD"), new BigDecimal("50.00"));
        assertThat(first.statusChanges()).isEqualTo(1);

        clock.set(Instant.parse("2026-10-02T05:00:00Z")); // a second run the same day (a retry)
        failing.clear();
        LiabilityForecast.Summary again = daily.forecastAll(List.of("a", "b", "c"), OCT);
        assertThat(again.forecasts()).isEqualTo(3);
        assertThat(again.firstOfDay()).isEqualTo(1); // only c, which failed before
        assertThat(again.statusChanges()).isZero();
        assertThat(forecasts.atRisk(OCT, Optional.empty(), Optional.empty(), 10).forecasts())
                .extracting(AccountForecast::accountId).containsExactly("b");
        assertThat(forecasts.totals(OCT).certainLiability()).containsValue(new BigDecimal("50.00"));
    }
}
