package dev.slaledger.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.Retention;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * One function instance on fresh tables on the engines' DynamoDB (moto, or LocalStack), with a write counter and a fault
 * injector on its SDK client. (The tests may Scan to see everything; the function never does.)
 */
final class Harness implements AutoCloseable {
    final WriteCounter counter = new WriteCounter();
    final FaultInjector faults = new FaultInjector();
    final DynamoDbClient dynamo;
    final IngestConfig config;
    final IngestHandler handler;
    final DynamoDbAggregateStore aggregates;
    /** The read role of the same table (the month-end's view). */
    final DynamoDbAggregateRepository stored;
    final DynamoDbStatementRepository staleMarks;

    Harness(Clock clock) {
        dynamo = LocalDynamo.client(counter, faults);
        config = LocalDynamo.createTables(dynamo);
        handler = new IngestHandler(IngestHandler.wire(config, dynamo, clock), clock);
        Retention retention = Retention.fromTerms(List.of(DefaultTerms.version()), config.retentionMargin());
        aggregates = new DynamoDbAggregateStore(dynamo, config.aggregatesTable(), retention::expiresAt);
        stored = new DynamoDbAggregateRepository(dynamo, config.aggregatesTable());
        staleMarks = new DynamoDbStatementRepository(dynamo, config.ledgerTable());
    }

    /** The tumbling-window handler (issue 18) on the same tables and client, with the given state budget. */
    WindowedIngestHandler windowed(Clock clock, int stateBudgetBytes) {
        return new WindowedIngestHandler(new WindowedIngest(IngestHandler.wire(config, dynamo, clock), stateBudgetBytes),
                clock);
    }

    StreamsEventResponse deliver(KinesisEvent event) {
        return handler.handleRequest(event, null);
    }

    /** Every aggregate, by key, sorted: what "the aggregates" are when comparing deliveries. */
    Map<String, IntervalCounts> aggregates() {
        Map<String, IntervalCounts> out = new TreeMap<>();
        for (Map<String, AttributeValue> item : scan(config.aggregatesTable()).values()) {
            out.put(item.get("a").s() + "@" + item.get("i").n(), new IntervalCounts(n(item, "v"), n(item, "e"),
                    n(item, "u"), n(item, "x")));
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
