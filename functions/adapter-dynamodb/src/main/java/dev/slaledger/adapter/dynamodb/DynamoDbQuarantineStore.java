package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.port.QuarantineStore;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.StreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Records that broke D1, kept with their reason, raw payload and stream position. One item per
 * record, keyed by shard and sequence number, so a redelivered record overwrites its own item
 * (idempotent) instead of adding another.
 *
 * <pre>
 * k   S  partition key: shardId/sequenceNumber
 * r   S  reason (QuarantineReason)        d   S  detail: the field at fault, never a string value
 * p   B  raw payload (first 350,000 bytes) n   N  payload size in bytes (more than p holds: truncated)
 * sh  S  shardId                          sq  S  sequence number
 * at  N  approximate arrival, epoch ms    q   N  quarantined at, epoch ms
 * t   N  TTL, epoch seconds
 * </pre>
 */
public final class DynamoDbQuarantineStore implements QuarantineStore {
    /** DynamoDB items hold at most 400 KB: keep the payload well under it. */
    static final int MAX_PAYLOAD_BYTES = 350_000;
    private static final int MAX_ITEMS_PER_BATCH = 25;
    /** BatchWriteItem takes at most 16 MB per request. */
    private static final int MAX_BYTES_PER_BATCH = 12_000_000;
    private static final int MAX_ROUNDS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final long retentionSeconds;
    private int writes;

    public DynamoDbQuarantineStore(DynamoDbClient dynamo, String table, Clock clock, Duration retention) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
        this.clock = Objects.requireNonNull(clock);
        this.retentionSeconds = retention.toSeconds();
    }

    public static String key(StreamRecord r) {
        return r.shardId() + "/" + r.sequenceNumber();
    }

    /** Stores every entry; returns the record indexes of the entries that could not be stored. */
    @Override
    public Set<Integer> storeAll(List<QuarantineEntry> entries) {
        Set<Integer> failed = new TreeSet<>();
        List<QuarantineEntry> chunk = new ArrayList<>();
        int bytes = 0;
        for (QuarantineEntry e : entries) {
            int size = Math.min(e.record().data().length, MAX_PAYLOAD_BYTES) + 512;
            if (chunk.size() == MAX_ITEMS_PER_BATCH || (bytes + size > MAX_BYTES_PER_BATCH && !chunk.isEmpty())) {
                failed.addAll(write(chunk));
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(e);
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            failed.addAll(write(chunk));
        }
        return failed;
    }

    /** Number of write requests sent so far: for the cost metric. */
    @Override
    public int writesSent() {
        return writes;
    }

    private List<Integer> write(List<QuarantineEntry> chunk) {
        long now = clock.millis();
        Map<String, Integer> indexByKey = new HashMap<>();
        List<WriteRequest> requests = new ArrayList<>();
        for (QuarantineEntry e : chunk) {
            if (indexByKey.putIfAbsent(key(e.record()), e.recordIndex()) == null) {
                requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(e, now)).build()).build());
            }
        }
        try {
            for (int round = 0; round < MAX_ROUNDS && !requests.isEmpty(); round++) {
                if (round > 0) {
                    sleepBeforeRetry(round);
                }
                writes++;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, requests)));
                List<WriteRequest> left = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                requests.clear();
                requests.addAll(left);
            }
        } catch (SdkException e) {
            return List.copyOf(indexByKey.values());
        }
        List<Integer> failed = new ArrayList<>();
        for (WriteRequest r : requests) {
            failed.add(indexByKey.get(r.putRequest().item().get("k").s()));
        }
        return failed;
    }

    private static void sleepBeforeRetry(int round) {
        try {
            Thread.sleep(25L << round);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, AttributeValue> item(QuarantineEntry e, long nowMillis) {
        StreamRecord r = e.record();
        byte[] data = r.data();
        byte[] kept = data.length <= MAX_PAYLOAD_BYTES ? data : Arrays.copyOf(data, MAX_PAYLOAD_BYTES);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("k", AttributeValue.fromS(key(r)));
        item.put("r", AttributeValue.fromS(e.reason().name()));
        item.put("d", AttributeValue.fromS(e.detail()));
        item.put("p", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(kept)));
        item.put("n", AttributeValue.fromN(Integer.toString(data.length)));
        item.put("sh", AttributeValue.fromS(r.shardId()));
        item.put("sq", AttributeValue.fromS(r.sequenceNumber()));
        item.put("at", AttributeValue.fromN(Long.toString(r.arrival().toEpochMilli())));
        item.put("q", AttributeValue.fromN(Long.toString(nowMillis)));
        item.put("t", AttributeValue.fromN(Long.toString(nowMillis / 1000 + retentionSeconds)));
        return item;
    }

    /** Creates the table (on-demand) with this store's key schema; for tests and the local runtime. */
    public static void createTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("k").attributeType("S").build())
                .keySchema(KeySchemaElement.builder().attributeName("k").keyType("HASH").build()));
    }
}
