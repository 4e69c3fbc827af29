package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.emulators.InMemoryRecordSource;
import dev.slaledger.emulators.KinesisEsm;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * One function instance on fresh tables on the engines' DynamoDB (moto, or LocalStack), with a write
 * counter and a fault injector on its SDK client, and the deployed mapping to drive it: {@link #deliver}
 * hands records to the function through {@link KinesisEsm} with the settings the CDK app deploys
 * ({@code KinesisEsm.Settings.deployed()}: tumbling windows of 900 s, bisection, retries until the records
 * expire), the way Lambda would. (The tests may Scan to see everything; the function never does.)
 */
final class Harness implements AutoCloseable {
    final WriteCounter counter = new WriteCounter();
    final FaultInjector faults = new FaultInjector();
    final DynamoDbClient dynamo;
    final IngestConfig config;
    final Clock clock;
    /** The deployed handler's graph (the reconciliation of ended shards aside: these records are on no stream). */
    final WindowedIngestHandler handler;
    final DynamoDbAggregateStore aggregates;
    /** The read role of the same table (the month-end's view). */
    final DynamoDbAggregateRepository stored;
    final DynamoDbStatementRepository staleMarks;

    Harness(Clock clock) {
        this.clock = clock;
        dynamo = LocalDynamo.client(counter, faults);
        config = LocalDynamo.createTables(dynamo);
        handler = new WindowedIngestHandler(new WindowedIngest(service(), WindowedIngest.DEFAULT_BUDGET_BYTES), clock);
        Retention retention = Retention.fromTerms(List.of(DefaultTerms.version()), config.retentionMargin());
        aggregates = new DynamoDbAggregateStore(dynamo, config.aggregatesTable(), retention::expiresAt);
        stored = new DynamoDbAggregateRepository(dynamo, config.aggregatesTable());
        staleMarks = new DynamoDbStatementRepository(dynamo, config.ledgerTable());
    }

    /** The ingest service of the deployed graph on these tables. */
    IngestService service() {
        return new IngestWiring(config, dynamo, clock).service();
    }

    /** The handler with another state budget (issue 18), on the same tables and client. */
    WindowedIngestHandler windowed(Clock clock, int stateBudgetBytes) {
        return new WindowedIngestHandler(new WindowedIngest(new IngestWiring(config, dynamo, clock).service(),
                stateBudgetBytes), clock);
    }

    /** The event's records through the deployed mapping: its windows, batches, retries and bisection. */
    KinesisEsm.Stats deliver(KinesisEvent event) {
        return deliver(event, KinesisEsm.Chaos.NONE);
    }

    KinesisEsm.Stats deliver(KinesisEvent event, KinesisEsm.Chaos chaos) {
        return new KinesisEsm(KinesisEsm.Settings.deployed(), source(event),
                KinesisEsm.windowed(e -> handler.handleRequest(e, null)), chaos).drain();
    }

    /** The event through the deployed mapping to another handler instance (another container). */
    KinesisEsm.Stats deliver(KinesisEvent event, WindowedIngestHandler other) {
        return new KinesisEsm(KinesisEsm.Settings.deployed(), source(event),
                KinesisEsm.windowed(e -> other.handleRequest(e, null)), KinesisEsm.Chaos.NONE).drain();
    }

    /**
     * The event through the deployed mapping with the fault injector armed at the {@code atWrite}-th
     * write of each invocation {@code armWhen} picks (and disarmed after it): the function dying, or a
     * write failing, inside that invocation, which the mapping then retries.
     */
    KinesisEsm.Stats deliverWithFault(KinesisEvent event, Predicate<KinesisEsm.Invocation> armWhen, int atWrite,
            FaultInjector.Mode mode) {
        KinesisEsm.Function function = KinesisEsm.windowed(e -> handler.handleRequest(e, null));
        return new KinesisEsm(KinesisEsm.Settings.deployed(), source(event), inv -> {
            if (armWhen.test(inv)) {
                faults.arm(atWrite, mode);
            }
            try {
                return function.invoke(inv);
            } finally {
                faults.disarm();
            }
        }, KinesisEsm.Chaos.NONE).drain();
    }

    /** For {@link #deliverWithFault}: the first final invocation of a window, and no other (not its retry). */
    static Predicate<KinesisEsm.Invocation> firstFinalInvoke() {
        boolean[] picked = {false};
        return inv -> {
            if (!inv.finalInvoke() || picked[0]) {
                return false;
            }
            picked[0] = true;
            return true;
        };
    }

    /** The event's records as a stream in memory, at their own positions and arrivals. */
    static InMemoryRecordSource source(KinesisEvent event) {
        InMemoryRecordSource source = new InMemoryRecordSource();
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            ByteBuffer data = r.getKinesis().getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            Instant arrival = r.getKinesis().getApproximateArrivalTimestamp() == null ? Events.CLOCK.instant()
                    : r.getKinesis().getApproximateArrivalTimestamp().toInstant();
            source.add(new KinesisEsm.SourceRecord(r.getEventID().substring(0, r.getEventID().indexOf(':')),
                    r.getKinesis().getSequenceNumber(), r.getKinesis().getPartitionKey(), arrival, bytes));
        }
        return source;
    }

    /**
     * The event handed to the handler as it is, without a window: a delivery outside a tumbling window
     * (a hand invocation with a Kinesis event), folded and written at once.
     */
    WindowedIngest.Result outsideAWindow(KinesisEvent event) {
        return new WindowedIngest(service(), WindowedIngest.DEFAULT_BUDGET_BYTES).handle("shardId-000000000000",
                event.getRecords().stream().map(WindowedIngestHandler::toStreamRecord).toList(), null, true);
    }

    /** The handler's answer to an event without a window (as Lambda sends one under a mapping without one). */
    Map<String, String> invokeWithoutWindow(KinesisEvent event) {
        KinesisTimeWindowEvent e = new KinesisTimeWindowEvent();
        e.setRecords(event.getRecords());
        return handler.handleRequest(e, null).getState();
    }

    /** Every aggregate, by key, sorted: what "the aggregates" are when comparing deliveries. */
    Map<String, IntervalCounts> aggregates() {
        Map<String, IntervalCounts> out = new TreeMap<>();
        for (Map<String, AttributeValue> item : scan(config.aggregatesTable()).values()) {
            out.put(item.get("a").s() + "@" + item.get("i").n(), new IntervalCounts(n(item, "v"), n(item, "e"),
                    n(item, "u"), n(item, "x"), n(item, "xm"), n(item, "xc"), n(item, "xb"))); // S9.6: the kinds too
        }
        return out;
    }

    Map<String, Map<String, AttributeValue>> quarantine() {
        return scan(config.quarantineTable());
    }

    private Map<String, Map<String, AttributeValue>> scan(String table) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(start)
                    .consistentRead(true).build());
            for (Map<String, AttributeValue> item : page.items()) {
                out.put(item.containsKey("k") ? item.get("k").s() : item.get("a").s() + "@" + item.get("i").n(), item);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
