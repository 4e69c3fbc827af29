package dev.slaledger.ingest;

import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.emulators.InMemoryRecordSource;
import dev.slaledger.emulators.KinesisEsm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@link ShardEnds.StreamReader} on a stream in memory (the reshard property tests), pages of {@code page} records. */
final class InMemoryStreamReader implements ShardEnds.StreamReader {
    private final InMemoryRecordSource source;
    private final int page;
    long reads;

    InMemoryStreamReader(InMemoryRecordSource source, int page) {
        this.source = source;
        this.page = page;
    }

    @Override
    public List<String> parents(String shardId) {
        return source.parents(shardId);
    }

    @Override
    public Instant lastArrival(String shardId) {
        List<KinesisEsm.SourceRecord> all = source.all(shardId);
        return all.isEmpty() ? null : all.get(all.size() - 1).arrival();
    }

    @Override
    public void read(String shardId, Instant from, String afterSequence, Consumer<List<StreamRecord>> pages) {
        List<KinesisEsm.SourceRecord> all = source.all(shardId);
        int start = 0;
        if (afterSequence != null) {
            while (start < all.size() && !all.get(start).sequenceNumber().equals(afterSequence)) {
                start++;
            }
            start++;
        } else {
            start = source.indexAt(shardId, from);
        }
        deliver(all.subList(Math.min(start, all.size()), all.size()), pages);
    }

    @Override
    public void readRange(String shardId, String first, String last, Consumer<List<StreamRecord>> pages) {
        List<KinesisEsm.SourceRecord> all = source.all(shardId);
        List<KinesisEsm.SourceRecord> out = new ArrayList<>();
        boolean in = false;
        for (KinesisEsm.SourceRecord r : all) {
            in |= r.sequenceNumber().equals(first);
            if (in) {
                out.add(r);
            }
            if (r.sequenceNumber().equals(last)) {
                break;
            }
        }
        deliver(out, pages);
    }

    private void deliver(List<KinesisEsm.SourceRecord> records, Consumer<List<StreamRecord>> pages) {
        for (int i = 0; i < records.size(); i += page) {
            List<StreamRecord> out = new ArrayList<>();
            for (KinesisEsm.SourceRecord r : records.subList(i, Math.min(records.size(), i + page))) {
                out.add(new StreamRecord(r.shardId(), r.sequenceNumber(), r.arrival(), r.data()));
            }
            reads++;
            pages.accept(out);
        }
    }
}
