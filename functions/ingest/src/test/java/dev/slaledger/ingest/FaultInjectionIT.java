package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.memory.InMemoryAggregates;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.testkit.UsesEngines;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 item 4 (issues 3.3, 3.7 and 18 before it): the fault schedules of {@link FaultSchedules} on the
 * deployed handler under the deployed mapping. The bulk runs on the in-memory ports, whose aggregates
 * table speaks the DynamoDB store's conditional-write protocol (adapters/memory {@link InMemoryAggregates},
 * {@code AggregateStoresAgreeIT}): at least 1,000 schedules in every build ({@code -Dsla.faults.schedules=N}
 * for a longer run, {@code -Dsla.faults.seed=N} to replay one); a few more, smaller in number, go through
 * the real DynamoDB store on moto to prove the adapter under the same faults.
 */
@UsesEngines
class FaultInjectionIT {
    static final int SCHEDULES = Integer.getInteger("sla.faults.schedules", 1_000);

    private static final Retention RETENTION = Retention.fromTerms(List.of(DefaultTerms.version()), Duration.ofDays(92));

    private static IngestService service(InMemoryStores stores) {
        return new IngestService(new RequestRecordParser(), stores.aggregateStore, stores.quarantineStore,
                stores.staleness, Events.CLOCK, () -> RETENTION);
    }

    /** A schedule's ports in memory. */
    static FaultSchedules.Target inMemory() {
        InMemoryStores stores = new InMemoryStores();
        return new FaultSchedules.Target() {
            @Override
            public IngestService service() {
                return FaultInjectionIT.service(stores);
            }

            @Override
            public void crashAt(int k, boolean after) {
                stores.crashAt(k, after);
            }

            @Override
            public void failAt(int k) {
                stores.failAt(k);
            }

            @Override
            public void disarm() {
                stores.disarm();
            }

            @Override
            public Map<String, IntervalCounts> aggregates() {
                return stores.aggregates();
            }

            @Override
            public int quarantined() {
                return stores.quarantined.size();
            }

            @Override
            public boolean staleMarked(String accountMonth) {
                return stores.staleMarks.contains(accountMonth);
            }
        };
    }

    /** A schedule's ports on the engines' DynamoDB (moto): the real stores, faults injected in the SDK client. */
    static FaultSchedules.Target onEngine(Harness h) {
        return new FaultSchedules.Target() {
            @Override
            public IngestService service() {
                return h.service();
            }

            @Override
            public void crashAt(int k, boolean after) {
                h.faults.arm(k, after ? FaultInjector.Mode.CRASH_AFTER : FaultInjector.Mode.CRASH_BEFORE);
            }

            @Override
            public void failAt(int k) {
                h.faults.arm(k, FaultInjector.Mode.FAIL);
            }

            @Override
            public void disarm() {
                h.faults.disarm();
            }

            @Override
            public Map<String, IntervalCounts> aggregates() {
                return h.aggregates();
            }

            @Override
            public int quarantined() {
                return h.quarantine().size();
            }

            @Override
            public boolean staleMarked(String accountMonth) {
                String[] parts = accountMonth.split(" ");
                return h.staleMarks.staleMark(parts[0], YearMonth.parse(parts[1])).isPresent();
            }
        };
    }

    @Test
    @DisplayName("Issue 26.4 / S2.5 at least 1,000 seeded fault schedules on the windowed handler under the deployed mapping, in memory: 0 lost, 0 counted twice, no shard stuck beyond the first clean retry")
    void schedulesInMemory() {
        FaultSchedules.Tally tally = new FaultSchedules.Tally();
        long t0 = System.nanoTime();
        Long one = Long.getLong("sla.faults.seed");
        if (one != null) {
            FaultSchedules.run(one, inMemory(), tally);
        } else {
            for (long seed = 1; seed <= SCHEDULES; seed++) {
                FaultSchedules.run(seed, inMemory(), tally);
            }
        }
        System.out.printf("FaultInjectionIT in memory: %s; %.1f s%n", tally, (System.nanoTime() - t0) / 1e9);
        if (one != null) {
            return;
        }
        assertThat(tally.schedules).isGreaterThanOrEqualTo(1_000);
        assertThat(tally.crashesBefore).isPositive();
        assertThat(tally.crashesAfter).isPositive();
        assertThat(tally.transientFailures).isPositive();
        assertThat(tally.timeouts).isPositive();
        assertThat(tally.timeBudgetsCrossed).isPositive();
        assertThat(tally.faultsOnFirstInvocation).isPositive();
        assertThat(tally.faultsOnLaterInvocation).isPositive();
        assertThat(tally.faultsOnFinalInvocation).isPositive();
        assertThat(tally.faultsOnWindowsLastBatch).isPositive();
        assertThat(tally.bisections).isPositive();
        assertThat(tally.retriesResized).isPositive();
        assertThat(tally.lostResponses).isPositive();
        assertThat(tally.deliveredAgain).isPositive();
        assertThat(tally.earlyTerminations).isPositive();
        assertThat(tally.windowReplays).isPositive();
        assertThat(tally.segmentCuts).isPositive();
        assertThat(tally.bigStates).isPositive();
        assertThat(tally.batchTooLarge).isPositive();
        assertThat(tally.maxStateBytes).isGreaterThan(WindowedIngest.DEFAULT_BUDGET_BYTES)
                .isLessThanOrEqualTo(WindowedIngest.STATE_LIMIT_BYTES);
        assertThat(tally.accessLogSchedules).isPositive();
    }

    @Test
    @DisplayName("Issue 26.4 the same schedules through the real DynamoDB store on moto (a smaller number): 0 lost, 0 counted twice")
    void schedulesOnTheEngine() {
        FaultSchedules.Tally tally = new FaultSchedules.Tally();
        long t0 = System.nanoTime();
        for (long seed : new long[] {2, 3, 8}) {
            try (Harness h = new Harness(Events.CLOCK)) {
                FaultSchedules.run(seed, onEngine(h), tally);
            }
        }
        System.out.printf("FaultInjectionIT on moto: %s; %.1f s%n", tally, (System.nanoTime() - t0) / 1e9);
        assertThat(tally.crashesBefore + tally.crashesAfter).isPositive();
        assertThat(tally.bisections).isPositive();
    }
}
