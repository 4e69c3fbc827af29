package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Lambda entry point for the Kinesis event source mapping with tumbling windows (issue 18; the
 * mapping the CDK app deploys: {@code TumblingWindowInSeconds} 900). Thin: the event's records, its
 * state and whether this is the window's last invocation go to {@link WindowedIngest}; the new
 * state comes back. A failure throws (Lambda retries the batch with the state it had before, or
 * bisects it); {@code batchItemFailures} is never used, since what Lambda does with the state of
 * a partly failed windowed batch is not documented (docs/ingest.md).
 */
public final class WindowedIngestHandler implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {
    private final WindowedIngest windowed;
    private final Clock clock;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    /** Used by Lambda: the same wiring as {@link IngestHandler}, state budget {@link WindowedIngest#DEFAULT_BUDGET_BYTES}. */
    public WindowedIngestHandler() {
        this(IngestWiring.fromEnvironment());
    }

    private WindowedIngestHandler(IngestWiring wiring) {
        this(wiring.windowed(), wiring.clock(), Priming.register("ingest-windowed", wiring.priming()));
    }

    /** For tests and other runtimes. */
    public WindowedIngestHandler(WindowedIngest windowed, Clock clock) {
        this(windowed, clock, null);
    }

    private WindowedIngestHandler(WindowedIngest windowed, Clock clock, Priming priming) {
        this.windowed = windowed;
        this.clock = clock;
        this.priming = priming;
    }

    @Override
    public TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> in = event.getRecords() == null ? List.of() : event.getRecords();
        List<StreamRecord> records = new ArrayList<>(in.size());
        for (KinesisEvent.KinesisEventRecord r : in) {
            records.add(IngestHandler.toStreamRecord(r));
        }
        String shardId = event.getShardId() != null ? event.getShardId()
                : records.isEmpty() ? "shardId-unknown" : records.get(0).shardId();
        boolean last = Boolean.TRUE.equals(event.getIsFinalInvokeForWindow())
                || Boolean.TRUE.equals(event.getIsWindowTerminatedEarly());
        WindowedIngest.Result result = windowed.handle(shardId, records, event.getState(), last);
        String line = MetricLine.of(result.outcome(), clock.instant());
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line);
        } else {
            System.out.println(line);
        }
        return new TimeWindowEventResponse(result.state(), new ArrayList<>());
    }
}
