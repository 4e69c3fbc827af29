package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One outbox sweep (S7.6) on its 5-minute schedule. Run after a job that may have left events owed
 * (a worker killed between storing and announcing), it first lets sweeps drain them ({@code draining}),
 * then measures one sweep with nothing pending. Target (item 6): at most 10 requests.
 */
public final class OutboxSweepJob extends ScheduledJob {

    public OutboxSweepJob(String name) {
        super(name, Duration.ofMinutes(10));
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        Instant at = after;
        // drain what earlier jobs left owed (crash-injected runs), each sweep on the schedule
        String draining = name + ": draining first";
        for (int i = 0; i < 50 && owed(stack) > 0; i++) {
            at = RehearsalStack.nextFiring("OutboxSweepSchedule", at, ZoneOffset.UTC, after);
            stack.fire("OutboxSweepSchedule", at, draining);
            Instant until = at.plusSeconds(1);
            stack.sim.runWhile(() -> !stack.asyncDone(draining), Duration.ofSeconds(10), until.plus(Duration.ofMinutes(5)));
        }
        fireNext(stack, "OutboxSweepSchedule", stack.sim.now(), after);
    }

    private static long owed(RehearsalStack stack) {
        List<Object> owed = new ArrayList<>();
        stack.world.statementStore.forEachPendingEvent(Instant.MAX, owed::add);
        stack.world.claimStore.forEachPendingVoucherEvent(Instant.MAX, owed::add);
        return owed.size();
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        return List.of(Check.of("nothing owed after the sweep", owed(stack) == 0, owed(stack) + " owed"));
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        long requests = 0;
        for (Request.Service s : Request.Service.values()) {
            requests += figures.totalRequests(s);
        }
        return List.of(Check.of("an outbox sweep with nothing pending in at most 10 requests", requests <= 10,
                requests + " requests"));
    }
}
