package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.TimeWindow;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.priming.Priming;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The ingest function's one handler (the mapping the CDK app deploys: kinesis-mapping.json, tumbling
 * windows of 900 s). Thin: the event's records, its state and whether this is the window's last
 * invocation go to {@link WindowedIngest}; the new state comes back. An event without a window (a
 * mapping without {@code TumblingWindowInSeconds}, a hand invocation with a Kinesis event) is a window
 * of one batch: folded and written at once. A failure throws (Lambda retries the batch with the state it
 * had before, or bisects it); {@code batchItemFailures} is never used, since what Lambda does with the
 * state of a partly failed windowed batch is not documented (docs/ingest.md).
 */
public final class WindowedIngestHandler implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {
    private final WindowedIngest windowed;
    private final Clock clock;

    /** Used by Lambda: the wiring of {@link IngestWiring#fromEnvironment()}, the default state budget. */
    public WindowedIngestHandler() {
        this(IngestWiring.fromEnvironment());
    }

    private WindowedIngestHandler(IngestWiring wiring) {
        this(wiring.windowed(), wiring.clock());
        Priming.register("ingest", wiring.priming());
    }

    /** For tests and other runtimes. */
    public WindowedIngestHandler(WindowedIngest windowed, Clock clock) {
        this.windowed = windowed;
        this.clock = clock;
    }

    @Override
    public TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> in = event.getRecords() == null ? List.of() : event.getRecords();
        List<StreamRecord> records = new ArrayList<>(in.size());
        for (KinesisEvent.KinesisEventRecord r : in) {
            records.add(toStreamRecord(r));
        }
        String shardId = event.getShardId() != null ? event.getShardId()
                : records.isEmpty() ? "shardId-unknown" : records.get(0).shardId();
        TimeWindow window = event.getWindow();
        boolean last = window == null || Boolean.TRUE.equals(event.getIsFinalInvokeForWindow())
                || Boolean.TRUE.equals(event.getIsWindowTerminatedEarly());
        ShardEnds.Context mapping = null;
        String streamArn = event.getEventSourceArn() != null ? event.getEventSourceArn()
                : in.isEmpty() ? null : in.get(0).getEventSourceARN();
        if (window != null && window.getStart() != null && window.getEnd() != null && streamArn != null) {
            mapping = new ShardEnds.Context(streamArn,
                    Duration.between(Instant.parse(window.getStart()), Instant.parse(window.getEnd())));
        }
        WindowedIngest.TimeBudget time = context == null ? WindowedIngest.TimeBudget.UNLIMITED
                : context::getRemainingTimeInMillis;
        WindowedIngest.Result result = windowed.handle(shardId, records, event.getState(), last, mapping, time);
        String line = MetricLine.of(result.outcome(), clock.instant());
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line);
        } else {
            System.out.println(line);
        }
        return new TimeWindowEventResponse(result.state(), new ArrayList<>());
    }

    /** A Lambda Kinesis record as ingest sees it: shard from the event id, sequence number, arrival, bytes. */
    static StreamRecord toStreamRecord(KinesisEvent.KinesisEventRecord r) {
        KinesisEvent.Record k = r.getKinesis();
        String eventId = r.getEventID();
        int colon = eventId == null ? -1 : eventId.indexOf(':');
        String shardId = colon > 0 ? eventId.substring(0, colon) : "shardId-unknown";
        ByteBuffer data = k.getData() == null ? ByteBuffer.allocate(0) : k.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        Instant arrival = k.getApproximateArrivalTimestamp() == null ? Instant.EPOCH
                : k.getApproximateArrivalTimestamp().toInstant();
        return new StreamRecord(shardId, k.getSequenceNumber(), arrival, bytes);
    }

    /** A Kinesis record carrying one D1 request record at {@code now}, shaped as events/ingest/request-records.json. */
    static KinesisEvent.KinesisEventRecord sampleRecord(Instant now) {
        String d1 = "{\"accountId\":\"priming\",\"timestamp\":\"" + now + "\",\"status\":503,"
                + "\"reached\":true,\"exclusion\":null}";
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(d1.getBytes(StandardCharsets.UTF_8)));
        kinesis.setSequenceNumber("49590338271490256608559692538361571095921575989136589898");
        kinesis.setPartitionKey("priming");
        kinesis.setApproximateArrivalTimestamp(Date.from(now));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:49590338271490256608559692538361571095921575989136589898");
        return record;
    }
}
