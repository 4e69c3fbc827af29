package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Aggregates in memory, for tests and the local runtime. Adding to an interval sums counts. */
public final class InMemoryAggregateRepository implements AggregateRepository {
    private final Map<String, NavigableMap<Instant, IntervalCounts>> byAccount = new ConcurrentHashMap<>();

    public void add(IntervalAggregate aggregate) {
        byAccount.computeIfAbsent(aggregate.accountId(), a -> new ConcurrentSkipListMap<>())
                .merge(aggregate.intervalStart(), aggregate.counts(), IntervalCounts::plus);
    }

    @Override
    public AccountMonthTraffic load(String accountId, Instant fromInclusive, Instant toExclusive) {
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        NavigableMap<Instant, IntervalCounts> intervals = byAccount.get(accountId);
        if (intervals != null) {
            intervals.subMap(fromInclusive, true, toExclusive, false).forEach(traffic::add);
        }
        return traffic;
    }
}
