package dev.slaledger.ingest;

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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point for the Kinesis event source mapping (configure it with
 * {@code FunctionResponseTypes: ReportBatchItemFailures}). Turns the event into stream
 * records, runs {@link IngestService}, and answers with the position to retry from.
 */
public final class IngestHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private final IngestService service;
    private final Clock clock;

    /**
     * Used by Lambda: one DynamoDB client per container, tables from the environment. Credentials
     * come from the SDK's default chain: under SnapStart Lambda gives them as container
     * credentials, not as the AWS_ACCESS_KEY_ID variables.
     */
    public IngestHandler() {
        this(System.getenv(), Clock.systemUTC());
    }

    private IngestHandler(Map<String, String> env, Clock clock) {
        this(wire(IngestConfig.fromEnvironment(env), DynamoDbClient.builder()
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build(), clock), clock);
    }

    /** For tests and other runtimes: the service with its dependencies already built. */
    public IngestHandler(IngestService service, Clock clock) {
        this.service = service;
        this.clock = clock;
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
