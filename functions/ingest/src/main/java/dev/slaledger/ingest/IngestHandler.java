package dev.slaledger.ingest;

import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.core.traffic.StreamRecord;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
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
        this(IngestConfig.fromEnvironment(Env.system()), Env.system().region(), Clock.systemUTC());
    }

    private IngestHandler(IngestConfig config, Region region, Clock clock) {
        this(config, AwsClients.build(DynamoDbClient.builder(), region), region, clock);
    }

    private IngestHandler(IngestConfig config, DynamoDbClient dynamo, Region region, Clock clock) {
        this(wire(config, dynamo, clock), clock, Priming.register("ingest", priming(config, dynamo, region, clock)));
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

    /**
     * SnapStart priming (issue 11 item 3): a sample batch (one D1 record of the current interval,
     * as Kinesis delivers it) through the whole service on a DynamoDB client that answers from
     * memory: record decoding, validation, aggregation and the conditional UpdateItem marshalling;
     * then a read of a ledger key that cannot exist through the real client. Nothing is written
     * anywhere, and no metric line is printed (the handler's log line is left out).
     */
    static Priming.Step[] priming(IngestConfig config, DynamoDbClient dynamo, Region region, Clock clock) {
        return new Priming.Step[] {
            Priming.step("sample batch on canned DynamoDB", () -> {
                IngestService canned = wire(config, CannedClients.build(DynamoDbClient.builder(), region), clock);
                canned.ingest(List.of(toStreamRecord(sampleRecord(clock.instant()))));
            }),
            MissingItemRead.step(dynamo, config.ledgerTable(), LedgerTable.PK, LedgerTable.SK)
        };
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

    /** Builds the service on a DynamoDB client. */
    public static IngestService wire(IngestConfig config, DynamoDbClient dynamo, Clock clock) {
        return new IngestService(new RequestRecordParser(config.retention()),
                new DynamoDbAggregateStore(dynamo, config.aggregatesTable(), config.retention()),
                new DynamoDbQuarantineStore(dynamo, config.quarantineTable(), clock, config.quarantineRetention()),
                new DynamoDbStatementRepository(dynamo, config.ledgerTable()), clock);
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
