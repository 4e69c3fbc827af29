package dev.slaledger.ingest;

import dev.slaledger.adapter.memory.InMemoryAggregates;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.ShardEndLog;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.QuarantineEntry;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fast path of the fault schedules: the ingest ports in memory, the aggregates being adapters/memory's
 * {@link InMemoryAggregates}, which speaks the same conditional-write protocol as the DynamoDB store
 * ({@code AggregateWriteProtocol}: the same conditions, the same requests; {@code AggregateStoresAgreeIT}
 * runs both side by side on moto), and a crash that can strike before or after the k-th write request
 * (aggregates, quarantine, stale marks) lands. The same schedules on moto ({@code FaultInjectionIT}) check
 * the real store; these check the protocol over many more.
 */
final class InMemoryStores {
    /** The process died (a timeout, out of memory): nothing may catch it but the mapping. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash", null, false, false);
        }
    }

    final Map<String, QuarantineEntry> quarantined = new HashMap<>();
    final Set<String> staleMarks = new HashSet<>();
    long writes;
    private int crashIn = -1;
    private boolean crashAfter;
    private boolean fail;

    final InMemoryAggregates aggregateStore = new InMemoryAggregates((key, land) -> write(land));

    /** The k-th write from now (1 = the next) crashes, before it lands or after. */
    void crashAt(int k, boolean after) {
        crashIn = k;
        crashAfter = after;
        fail = false;
    }

    /** The k-th write from now fails as a transient error would (throttled, 5xx): not applied, an exception the function sees. */
    void failAt(int k) {
        crashIn = k;
        crashAfter = false;
        fail = true;
    }

    void disarm() {
        crashIn = -1;
    }

    boolean armed() {
        return crashIn > 0;
    }

    private void write(Runnable landing) {
        writes++;
        if (crashIn > 0 && --crashIn == 0) {
            crashIn = -1;
            if (fail) {
                throw new IllegalStateException("injected transient write failure");
            }
            if (crashAfter) {
                landing.run();
            }
            throw new Crash();
        }
        landing.run();
    }

    Map<String, IntervalCounts> aggregates() {
        Map<String, IntervalCounts> out = new TreeMap<>();
        aggregateStore.all().forEach((k, n) -> out.put(k, new IntervalCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6])));
        return out;
    }

    final QuarantineStore quarantineStore = new QuarantineStore() {
        private int sent;

        @Override
        public Set<Integer> storeAll(List<QuarantineEntry> entries) {
            if (!entries.isEmpty()) {
                sent++;
                write(() -> entries.forEach(e -> quarantined.put(
                        e.record().shardId() + "/" + e.record().sequenceNumber()
                                + (e.origin() == null ? "" : "/" + e.origin().eventId()), e)));
            }
            return Set.of();
        }

        @Override
        public int writesSent() {
            return sent;
        }
    };

    final StalenessMarker staleness = new StalenessMarker() {
        @Override
        public void markStale(String accountId, YearMonth month) {
            write(() -> staleMarks.add(accountId + " " + month));
        }

        @Override
        public void markMonthStale(YearMonth month) {
            throw new UnsupportedOperationException("ingest marks account-months only");
        }
    };

    /** The reconciliation log of ended shards, in memory (its writes crash like the others). */
    final ShardEndLog shardEnds = new ShardEndLog() {
        private final Map<String, Progress> progress = new HashMap<>();

        @Override
        public Progress progress(String shardId) {
            return progress.getOrDefault(shardId, Progress.NONE);
        }

        @Override
        public void applied(String shardId, String sequenceNumber) {
            write(() -> progress.put(shardId, new Progress(false, sequenceNumber)));
        }

        @Override
        public void done(String shardId) {
            write(() -> progress.put(shardId, new Progress(true, progress.getOrDefault(shardId, Progress.NONE).through())));
        }
    };
}
