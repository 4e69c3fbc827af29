package dev.slaledger.benchmarks.rehearsal;

import dev.slaledger.benchmarks.rehearsal.jobs.ChangeNoticesJob;
import dev.slaledger.benchmarks.rehearsal.jobs.EligibilityJob;
import dev.slaledger.benchmarks.rehearsal.jobs.ForecastJob;
import dev.slaledger.benchmarks.rehearsal.jobs.MonthEndJob;
import dev.slaledger.benchmarks.rehearsal.jobs.OutboxSweepJob;
import dev.slaledger.benchmarks.rehearsal.jobs.RehearsalJob;
import dev.slaledger.benchmarks.rehearsal.jobs.RestatementJob;
import dev.slaledger.benchmarks.rehearsal.jobs.WindowMarkingJob;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import java.time.Instant;
import java.util.List;

/** The rehearsal's suites: which jobs run, in which order, on which world. */
public final class Suites {
    /** The month-end suite starts half an hour before October 2026 ends (UTC). */
    public static final Instant MONTH_END_START = Instant.parse("2026-10-31T23:00:00Z");

    private Suites() {
    }

    public static Rehearsal.Result run(String suite, Rehearsal.Params p) {
        return switch (suite) {
            case "monthend" -> monthEnd(p);
            case "notices" -> notices(p, 30);
            case "eligibility" -> eligibility(p, false, 3);
            case "eligibility-autoclaim" -> eligibility(p, true, 3);
            case "forecast" -> forecast(p);
            case "month-end-only" -> Rehearsal.run(p, MONTH_END_START, DefaultTerms.version(),
                    stack -> List.<RehearsalJob>of(new MonthEndJob("month-end")));
            default -> throw new IllegalArgumentException("no suite " + suite + "; one of: monthend, month-end-only, notices, eligibility, eligibility-autoclaim, forecast");
        };
    }

    /**
     * October's month-end, then the notice dispatcher's hourly runs from the day October's claim window opens,
     * with terms that turn eligibility on: notices (S8.2) or automatic claims and credited notices (S8.3).
     */
    public static Rehearsal.Result eligibility(Rehearsal.Params p, boolean autoClaim, int days) {
        return Rehearsal.run(p, MONTH_END_START, DefaultTerms.version().withEligibility(
                new Eligibility(!autoClaim, autoClaim)), stack -> List.<RehearsalJob>of(
                        new MonthEndJob("month-end"),
                        new EligibilityJob(autoClaim ? "eligibility: automatic claims" : "eligibility notices", days)));
    }

    /**
     * The daily liability forecast (S9.8, issue 30) on October 19th, the month's first run (every
     * account's aggregates since the 1st), and on the 20th, a day later: what a run costs every day.
     */
    public static Rehearsal.Result forecast(Rehearsal.Params p) {
        return Rehearsal.run(p, Instant.parse("2026-10-19T01:00:00Z"), DefaultTerms.version(), stack -> List.<RehearsalJob>of(
                new ForecastJob("forecast, the month's first run (October 19th)", true),
                new ForecastJob("forecast, a day later (the daily cost)", false)));
    }

    /**
     * A new terms version published on 2026-11-02 and its change notices: the dispatcher run the
     * TermsPublished rule triggers and the hourly runs after it page them onto the notice queue, the
     * notice workers send them, for up to {@code days} days.
     */
    public static Rehearsal.Result notices(Rehearsal.Params p, int days) {
        return Rehearsal.run(p, Instant.parse("2026-11-02T08:00:00Z"), DefaultTerms.version(),
                stack -> List.<RehearsalJob>of(new ChangeNoticesJob("change notices", days)));
    }

    /**
     * October's month-end over every account, an outbox sweep with nothing owed, the next day's
     * restatement with 1% of the account-months stale, and a maintenance window for all accounts
     * recorded and restated.
     */
    public static Rehearsal.Result monthEnd(Rehearsal.Params p) {
        return Rehearsal.run(p, MONTH_END_START, DefaultTerms.version(), stack -> List.<RehearsalJob>of(
                new MonthEndJob("month-end"),
                new OutboxSweepJob("outbox sweep, nothing pending"),
                new RestatementJob("daily restatement, 1% stale", 100),
                new WindowMarkingJob("maintenance window for all accounts")));
    }
}
