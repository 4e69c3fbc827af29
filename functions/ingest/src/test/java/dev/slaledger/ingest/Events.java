package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.slaledger.core.traffic.StreamRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The Kinesis events kept in events/ingest/, loaded as Lambda would hand them over. */
final class Events {
    /** The clock the event files were written against. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-10-03T12:10:00Z"), ZoneOffset.UTC);
    /** The two five-minute intervals the event files' records fall in (epoch seconds of their starts). */
    static final long T1200 = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
    static final long T1205 = Instant.parse("2026-10-03T12:05:00Z").getEpochSecond();

    private Events() {
    }

    static KinesisEvent load(String name) {
        return EventLoader.loadKinesisEvent("../../events/ingest/" + name);
    }

    static List<StreamRecord> records(String name) {
        List<StreamRecord> out = new ArrayList<>();
        load(name).getRecords().forEach(r -> out.add(WindowedIngestHandler.toStreamRecord(r)));
        return out;
    }

    /** A new event holding the records of {@code events}, one after the other, as one batch would. */
    static KinesisEvent joined(KinesisEvent... events) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (KinesisEvent event : events) {
            records.addAll(event.getRecords());
        }
        KinesisEvent e = new KinesisEvent();
        e.setRecords(records);
        return e;
    }

    /** A new event holding {@code records[from, to)} of {@code event}, as a retry or bisection would. */
    static KinesisEvent slice(KinesisEvent event, int from, int to) {
        KinesisEvent e = new KinesisEvent();
        e.setRecords(new ArrayList<>(event.getRecords().subList(from, to)));
        return e;
    }

    static int indexOf(KinesisEvent event, String sequenceNumber) {
        for (int i = 0; i < event.getRecords().size(); i++) {
            if (event.getRecords().get(i).getKinesis().getSequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no record " + sequenceNumber);
    }
}
