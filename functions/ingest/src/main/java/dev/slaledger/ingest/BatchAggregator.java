package dev.slaledger.ingest;

import dev.slaledger.core.traffic.IntervalCounts;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Groups the accepted records of one delivery by aggregate key (issue 3 item 2). */
public final class BatchAggregator {
    private final Map<AggregateKey, KeyBatch> byKey = new LinkedHashMap<>();

    public void add(String accountId, long intervalStart, String shardId, String sequenceNumber,
            IntervalCounts counts, int recordIndex) {
        byKey.computeIfAbsent(new AggregateKey(accountId, intervalStart), KeyBatch::new)
                .add(new KeyBatch.Contribution(shardId, sequenceNumber, counts, recordIndex));
    }

    public Collection<KeyBatch> keys() {
        return byKey.values();
    }

    public int size() {
        return byKey.size();
    }
}
