package dev.slaledger.adapter.memory;

import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.SequenceNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quarantine table in process memory: every refused record with its reason, detail and payload,
 * keyed by its stream position (shard, sequence number), so storing an entry again changes nothing.
 * Never drops an entry; memory grows with the quarantined records only.
 */
public final class InMemoryQuarantine implements QuarantineStore {
    /** A stored entry. */
    public record Stored(String shardId, String sequenceNumber, QuarantineReason reason, String detail,
            byte[] payload) {
    }

    private final Map<String, Stored> byPosition = new LinkedHashMap<>();
    private int writes;

    @Override
    public synchronized Set<Integer> storeAll(List<QuarantineEntry> entries) {
        for (QuarantineEntry e : entries) {
            writes++;
            byPosition.putIfAbsent(e.record().shardId() + "/" + e.record().sequenceNumber(),
                    new Stored(e.record().shardId(), e.record().sequenceNumber(), e.reason(), e.detail(),
                            e.record().data().clone()));
        }
        return Set.of();
    }

    @Override
    public synchronized int writesSent() {
        return writes;
    }

    /** Every stored entry, by shard then sequence number. */
    public synchronized List<Stored> entries() {
        List<Stored> all = new ArrayList<>(byPosition.values());
        all.sort((a, b) -> a.shardId().equals(b.shardId()) ? SequenceNumbers.compare(a.sequenceNumber(),
                b.sequenceNumber()) : a.shardId().compareTo(b.shardId()));
        return all;
    }
}
