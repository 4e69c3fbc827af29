package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point for the Kinesis event source mapping (configure it with
 * {@code FunctionResponseTypes: ReportBatchItemFailures}). Turns the event into stream
 * records, runs {@link IngestService}, and answers with the position to retry from.
 */
public final class IngestHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private final IngestService service;
    private final Clock clock;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    /**
     * Used by Lambda: one DynamoDB client per container, tables from the environment. Credentials
     * come from the SDK's default chain: under SnapStart Lambda gives them as container
     * credentials, not as the AWS_ACCESS_KEY_ID variables.
     */
    public IngestHandler() {
        this(IngestWiring.fromEnvironment());
    }

    private IngestHandler(IngestWiring wiring) {
        this(wiring.service(), wiring.clock(), Priming.register("ingest", wiring.priming()));
    }

    /** For tests and other runtimes: the service with its dependencies already built. */
    public IngestHandler(IngestService service, Clock clock) {
        this(service, clock, null);
    }

    private IngestHandler(IngestService service, Clock clock, Priming priming) {
        this.service = service;
        this.clock = clock;
        this.priming = priming;
    }

    /** A Kinesis record carrying one D1 request record at {@code now}, shaped as events/ingest/request-records.json. */
    static KinesisEvent.KinesisEventRecord sampleRecord(Instant now) {
        String d1 = "{\"accountId\":\"priming\",\"timestamp\":\"" + now + "\",\"status\":503,"
                + "\"reached\":true,\"exclusion\":null}";
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(d1.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        kinesis.setSequenceNumber("49590338271490256608559692538361571095921575989136589898");
        kinesis.setPartitionKey("priming");
        kinesis.setApproximateArrivalTimestamp(java.util.Date.from(now));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:49590338271490256608559692538361571095921575989136589898");
        return record;
    }

    /** The service on a DynamoDB client: {@link IngestWiring#service()}, for callers that only need it. */
    public static IngestService wire(IngestConfig config, DynamoDbClient dynamo, Clock clock) {
        return new IngestWiring(config, dynamo, clock).service();
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> in = event.getRecords() == null ? List.of() : event.getRecords();
        List<StreamRecord> records = new ArrayList<>(in.size());
        for (KinesisEvent.KinesisEventRecord r : in) {
            records.add(toStreamRecord(r));
        }
        BatchOutcome outcome = service.ingest(records);
        String line = MetricLine.of(outcome, clock.instant());
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line);
        } else {
            System.out.println(line);
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        outcome.retryFrom().values().forEach(seq -> failures.add(new StreamsEventResponse.BatchItemFailure(seq)));
        return new StreamsEventResponse(failures);
    }

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
}
