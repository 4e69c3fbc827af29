package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.statement.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The daily restatement (S7.2) with a share of the month's account-months stale: late traffic for
 * every {@code every}-th account (as ingest stores it and marks the account-month, which costs the
 * restatement nothing), then Scheduler fires the restatement function at 03:00; it lists the stale
 * index onto the work queue and the workers recompute. Target (item 6): 1% stale in at most 15 minutes.
 */
public final class RestatementJob extends ScheduledJob {
    private final int every;
    private final List<String> stale = new ArrayList<>();

    public RestatementJob(String name, int every) {
        super(name, Duration.ofHours(36), stack -> stack.workQueue);
        this.every = every;
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        SyntheticWorld w = stack.world;
        for (int i = every / 2; i < w.accounts; i += every) {
            String id = SyntheticWorld.accountId(i);
            w.aggregates.addLate(id, MonthEndJob.MONTH, 30);
            w.statementStore.markStale(id, MonthEndJob.MONTH);
            stale.add(id);
        }
        // the first run after the month has ended everywhere (UTC-12): earlier ones leave it to the month-end
        Instant endedEverywhere = MonthEndJob.MONTH.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.ofHours(-12))
                .toInstant();
        Instant from = after.isAfter(endedEverywhere) ? after : endedEverywhere;
        fireNext(stack, "RestatementSchedule", from, after);
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        long restated = 0;
        long duplicated = 0;
        long stillStale = 0;
        for (String id : stale) {
            List<Statement> h = stack.world.statementStore.history(id, MonthEndJob.MONTH);
            if (h.size() >= 2 && !h.get(h.size() - 1).sameContentAs(h.get(h.size() - 2))) {
                restated++;
            }
            duplicated += repeatedRevisions(h);
            if (stack.world.statementStore.staleMark(id, MonthEndJob.MONTH).isPresent()) {
                stillStale++;
            }
        }
        stack.aws.meter().job(name).add("accounts reached", restated);
        stack.aws.meter().job(name).add("account-months stale", stale.size());
        return List.of(
                Check.of("every stale account-month recomputed to a new revision", restated == stale.size(),
                        restated + " of " + stale.size()),
                Check.of("no revision stored twice", duplicated == 0, duplicated + " repeated revisions"),
                Check.of("every stale mark cleared", stillStale == 0, stillStale + " still stale"));
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        return within(figures, "daily restatement with 1% stale within 15 minutes", Duration.ofMinutes(15));
    }
}
