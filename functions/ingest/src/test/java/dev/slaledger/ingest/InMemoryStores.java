package dev.slaledger.ingest;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.SequenceNumbers;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fast path of the fault-injection schedules: the ingest ports in memory, with the aggregate
 * store's semantics of {@code DynamoDbAggregateStore} (one conditional write per key: every
 * contributing shard's mark below the batch's first record, else only the records above the
 * stored marks; a folded range the mark cuts is {@link AggregateStore.PartlyApplied}), and a
 * crash that can strike before or after the k-th write lands. The same schedules on moto
 * ({@code FaultInjectionIT}) check the real store; these check the protocol over many more.
 */
final class InMemoryStores {
    /** The process died (a timeout, out of memory): nothing may catch it but the mapping. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash", null, false, false);
        }
    }

    private static final class Item {
        IntervalCounts counts = IntervalCounts.ZERO;
        final Map<String, String> marks = new HashMap<>();
    }

    final Map<AggregateKey, Item> items = new HashMap<>();
    final Map<String, QuarantineEntry> quarantined = new HashMap<>();
    final Set<String> staleMarks = new HashSet<>();
    long writes;
    private int crashIn = -1;
    private boolean crashAfter;

    /** The k-th write from now (1 = the next) crashes, before it lands or after. */
    void crashAt(int k, boolean after) {
        crashIn = k;
        crashAfter = after;
    }

    void disarm() {
        crashIn = -1;
    }

    private void write(Runnable landing) {
        writes++;
        if (crashIn > 0 && --crashIn == 0) {
            crashIn = -1;
            if (crashAfter) {
                landing.run();
            }
            throw new Crash();
        }
        landing.run();
    }

    Map<String, IntervalCounts> aggregates() {
        Map<String, IntervalCounts> out = new TreeMap<>();
        items.forEach((k, v) -> out.put(k.accountId() + "@" + k.intervalStart(), v.counts));
        return out;
    }

    final AggregateStore aggregateStore = batch -> {
        Item item = items.getOrDefault(batch.key(), new Item());
        List<KeyBatch.Contribution> pending = new ArrayList<>();
        for (KeyBatch.Contribution c : batch.contributions()) {
            String mark = item.marks.get(c.shardId());
            if (mark == null || SequenceNumbers.compare(c.firstSequenceNumber(), mark) > 0) {
                pending.add(c);
            } else if (SequenceNumbers.compare(c.sequenceNumber(), mark) > 0) {
                throw new AggregateStore.PartlyApplied("mark " + mark + " inside " + c.firstSequenceNumber() + ".." + c.sequenceNumber() + " of " + batch.key());
            }
        }
        int duplicates = batch.size() - pending.size();
        if (pending.isEmpty()) {
            return new AggregateStore.ApplyResult(0, duplicates, 1); // the conditional write that failed
        }
        write(() -> {
            Item target = items.computeIfAbsent(batch.key(), k -> new Item());
            for (KeyBatch.Contribution c : pending) {
                target.counts = target.counts.plus(c.counts());
                target.marks.merge(c.shardId(), c.sequenceNumber(),
                        (a, b) -> SequenceNumbers.compare(a, b) >= 0 ? a : b);
            }
        });
        return new AggregateStore.ApplyResult(pending.size(), duplicates, duplicates > 0 ? 2 : 1);
    };

    final QuarantineStore quarantineStore = new QuarantineStore() {
        private int sent;

        @Override
        public Set<Integer> storeAll(List<QuarantineEntry> entries) {
            if (!entries.isEmpty()) {
                sent++;
                write(() -> entries.forEach(e -> quarantined.put(
                        e.record().shardId() + "/" + e.record().sequenceNumber(), e)));
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
}
