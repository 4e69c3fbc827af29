package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One daily run of the liability forecast (S9.8): Scheduler fires the fan-out on ForecastSchedule (02:00
 * in the terms' zone); it lists the month under way's accounts onto the forecast queue; the forecast
 * workers take the messages through their SQS mapping, each account's aggregates read only since its
 * last run (a running sum). Finished when the run has ended and the queue holds nothing. Checks: every
 * account forecast that day, with the status its synthetic traffic gives (compensable: 20 intervals at
 * 100 % by then; ok: 2 at 10 %); a SlaAtRisk event only for a status that changed. Target (issue 30):
 * at most 10 read units per account per day.
 */
public final class ForecastJob extends ScheduledJob {
    public static final YearMonth MONTH = YearMonth.of(2026, 10);
    private final boolean firstOfMonth;
    private long eventsBefore;

    /** @param firstOfMonth whether no forecast of the month exists yet (every status is then a change) */
    public ForecastJob(String name, boolean firstOfMonth) {
        // waited for up to 30 hours: the next daily firing is up to a day after the job starts
        super(name, Duration.ofHours(30), stack -> stack.forecast.queue);
        this.firstOfMonth = firstOfMonth;
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        eventsBefore = stack.events.deliveries().getOrDefault("SlaAtRisk", 0);
        fireNext(stack, "ForecastSchedule", after, after);
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        SyntheticWorld w = stack.world;
        long reached = 0;
        long wrong = 0;
        long compensable = 0;
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < w.accounts; i++) {
            String id = SyntheticWorld.accountId(i);
            Optional<AccountForecast> f = stack.forecast.store.find(id, MONTH);
            if (f.isEmpty() || f.get().asOf().isBefore(trigger)) {
                if (missing.size() < 5) {
                    missing.add(id);
                }
                continue;
            }
            reached++;
            ForecastStatus expected = w.aggregates.compensable(i) ? ForecastStatus.COMPENSABLE : ForecastStatus.OK;
            if (f.get().status() != expected) {
                wrong++;
            }
            if (expected == ForecastStatus.COMPENSABLE) {
                compensable++;
            }
        }
        stack.aws.meter().job(name).add("accounts reached", reached);
        long events = stack.events.deliveries().getOrDefault("SlaAtRisk", 0) - eventsBefore;
        long expectedEvents = firstOfMonth ? compensable : 0;
        return List.of(
                Check.of("every account with a service period in " + MONTH + " forecast by this run", reached == w.accounts,
                        reached + " of " + w.accounts + (missing.isEmpty() ? "" : ", missing e.g. " + missing)),
                Check.of("each forecast's status as its traffic gives it (compensable: 20 intervals at 100 %; ok: 2 at 10 %)",
                        wrong == 0, wrong + " wrong of " + reached + "; " + compensable + " compensable"),
                Check.of("SlaAtRisk sent only on a status change (" + (firstOfMonth ? "the month's first forecast: every "
                        + "account not ok" : "a day later: none changed") + ")", events == expectedEvents,
                        events + " sent, " + expectedEvents + " expected"),
                Check.of("no forecast work message dead-lettered", stack.forecast.queue.deadLetters().isEmpty(),
                        stack.forecast.queue.deadLetters().size() + " in the dead-letter queue"));
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        double rru = 0;
        for (Map.Entry<String, Meter.Line> e : figures.requests.entrySet()) {
            rru += e.getValue().readUnits;
        }
        long accounts = Math.max(1, figures.counter("accounts reached"));
        double perAccount = rru / accounts;
        long requests = figures.totalRequests(Request.Service.DYNAMODB);
        String figure = String.format(Locale.ROOT, "%.2f RRU per account (%,.0f RRU, %,d DynamoDB requests: %.2f per "
                + "account)", perAccount, rru, requests, (double) requests / accounts);
        if (firstOfMonth) { // a catch-up over the month so far (a deployment mid-month), not a day's run
            figures.notes.add("the month's first forecast reads each account's aggregates since the 1st: " + figure);
            return List.of();
        }
        return List.of(Check.of("at most 10 read units per account per day (issue 30, S9.8)", perAccount <= 10, figure));
    }
}
