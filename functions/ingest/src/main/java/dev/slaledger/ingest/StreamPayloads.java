package dev.slaledger.ingest;

import dev.slaledger.core.traffic.LogEventOrigin;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a delivered batch of stream records into the request records ingest counts (issue 21):
 * a stream record holding one D1 record is one; a CloudWatch Logs subscription payload (gzip,
 * {@link CloudWatchLogsPayload}) is one per log event, each mapped by {@link AccessLogMapper} and
 * then validated by {@link RequestRecordParser} like any D1 record; a control message is none
 * (counted in {@link Expanded#controlMessages()}); a payload that cannot be read is one, quarantined
 * {@code UNREADABLE_LOG_PAYLOAD} whole.
 *
 * <p>Exactly once: every request record of a stream record keeps that record's shard and sequence
 * number. Lambda delivers, redelivers and bisects whole stream records, so all the log events of one
 * stream record that fall in one aggregate key are applied in the same conditional write, and the
 * key's high-water mark (docs/ingest.md, "Exactly once") then covers all of them at once. The
 * quarantine keys a log event by shard, sequence number and event id, so each is stored once.
 */
public final class StreamPayloads {
    private final RequestRecordParser parser;
    private final AccessLogMapper mapper;

    public StreamPayloads(RequestRecordParser parser, AccessLogMapper mapper) {
        this.parser = Objects.requireNonNull(parser);
        this.mapper = Objects.requireNonNull(mapper);
    }

    /**
     * The request records of one batch: {@code records().get(i)} is where request record i sits in
     * the stream (for a log event: its message as payload, for the quarantine), {@code result(i)} its
     * parse, {@code origin(i)} its log event or null.
     */
    public static final class Expanded {
        private final List<StreamRecord> in;
        private final List<RequestRecordParser.Result> results = new ArrayList<>();
        /** Per request record: the index of its stream record. */
        private int[] parent = new int[16];
        /** Per request record: its log event, or null for a D1 stream record. */
        private final List<LogEventOrigin> origins = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();
        private int controlMessages;
        private int size;

        private Expanded(List<StreamRecord> in) {
            this.in = in;
        }

        private void add(int streamIndex, RequestRecordParser.Result result, LogEventOrigin origin, String message) {
            if (size == parent.length) {
                parent = java.util.Arrays.copyOf(parent, size * 2);
            }
            parent[size++] = streamIndex;
            results.add(result);
            origins.add(origin);
            messages.add(message);
        }

        public int size() {
            return size;
        }

        public RequestRecordParser.Result result(int i) {
            return results.get(i);
        }

        public LogEventOrigin origin(int i) {
            return origins.get(i);
        }

        /** The delivered stream record request record i came from (its position in the stream). */
        public StreamRecord delivered(int i) {
            return in.get(parent[i]);
        }

        /** Control messages skipped (CloudWatch checking that the stream is reachable). */
        public int controlMessages() {
            return controlMessages;
        }

        /**
         * One stream record per request record: the delivered one for a D1 record or an unreadable
         * payload; for a log event, its stream record's position with the event's message as payload
         * (built when asked: only the quarantine and the retry position need it).
         */
        public List<StreamRecord> records() {
            return new AbstractList<>() {
                @Override
                public StreamRecord get(int i) {
                    StreamRecord r = in.get(parent[i]);
                    String message = messages.get(i);
                    return message == null ? r : new StreamRecord(r.shardId(), r.sequenceNumber(), r.arrival(),
                            message.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /** Parses a batch against the clock reading {@code now} and the oldest interval still kept (S7.4). */
    public Expanded expand(List<StreamRecord> records, Instant now, long oldestIntervalStart) {
        Expanded out = new Expanded(records);
        for (int i = 0; i < records.size(); i++) {
            byte[] data = records.get(i).data();
            if (!CloudWatchLogsPayload.isGzip(data)) {
                out.add(i, parser.parse(data, 0, data.length, now, oldestIntervalStart), null, null);
                continue;
            }
            switch (CloudWatchLogsPayload.decode(data)) {
                case CloudWatchLogsPayload.Control c -> out.controlMessages++;
                case CloudWatchLogsPayload.Unreadable u -> out.add(i,
                        new RequestRecordParser.Rejected(QuarantineReason.UNREADABLE_LOG_PAYLOAD, u.detail()), null, null);
                case CloudWatchLogsPayload.Data d -> {
                    for (CloudWatchLogsPayload.LogEvent e : d.events()) {
                        out.add(i, logEvent(e.message(), now, oldestIntervalStart),
                                new LogEventOrigin(d.logGroup(), d.logStream(), e.id()), e.message());
                    }
                }
            }
        }
        return out;
    }

    private RequestRecordParser.Result logEvent(String line, Instant now, long oldestIntervalStart) {
        AccessLogMapper.Mapping m = mapper.map(line);
        if (m instanceof AccessLogMapper.Unmappable u) {
            return new RequestRecordParser.Rejected(u.reason(), u.detail());
        }
        RequestRecordParser.Result r = parser.parse(mapper.buffer(), 0, ((AccessLogMapper.Mapped) m).length(), now,
                oldestIntervalStart);
        return r instanceof RequestRecordParser.Rejected rej
                ? new RequestRecordParser.Rejected(rej.reason(), "access-log line mapped to D1: " + rej.detail()) : r;
    }
}
