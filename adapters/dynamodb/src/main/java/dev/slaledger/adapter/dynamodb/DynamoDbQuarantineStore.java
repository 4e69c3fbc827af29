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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Records that broke D1, kept with their reason, raw payload and stream position. One item per
 * record, keyed by shard and sequence number, so a redelivered record overwrites its own item
 * (idempotent) instead of adding another.
 *
 * <pre>
 * k   S  partition key: shardId/sequenceNumber, or shardId/sequenceNumber/eventId for one log event
 *        of a CloudWatch Logs subscription payload (issue 21: one stream record, many events)
 * r   S  reason (QuarantineReason)        d   S  detail: the field at fault, never a string value
 * p   B  raw payload (first 350,000 bytes) n   N  payload size in bytes (more than p holds: truncated)
 * sh  S  shardId                          sq  S  sequence number
 * at  N  approximate arrival, epoch ms    q   N  quarantined at, epoch ms
 * t   N  TTL, epoch seconds (derived from the terms, S7.4: see the constructor)
 * np  S  only on an item stored without its payload: why (see below)
 * lg  S  log group, ls S log stream, ev S log event id: only for a log event (p is then its message)
 * </pre>
 *
 * <p>A quarantine write the table refuses for good (S7.5: a ValidationException, an item over
 * DynamoDB's limits) must not be redelivered forever either. BatchWriteItem refuses a whole
 * request for one bad item, so the chunk is written again item by item; an item refused on its
 * own is stored without its payload ({@code p} absent, {@code n} still the payload's size,
 * {@code np} saying why), with its reason, detail and stream position, from which the record can
 * be read again while the stream holds it. That reduced item cannot exceed DynamoDB's limits: its
 * key is a shard id (at most 128 characters in Kinesis) and a sequence number (at most 129
 * digits), its other attributes are ours and short. Should it be refused all the same, the
 * record is reported failed (redelivered, and alarmed on). Transient failures are always
 * reported failed.
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
    private final LongUnaryOperator expiresAt;
    private int writes;

    /**
     * @param expiresAt the TTL (epoch seconds) of an item quarantined at a given instant (epoch
     *                  seconds): ingest keeps it at least as long as any aggregate it may write at
     *                  that instant (S7.4)
     */
    public DynamoDbQuarantineStore(DynamoDbClient dynamo, String table, Clock clock, LongUnaryOperator expiresAt) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
        this.clock = Objects.requireNonNull(clock);
        this.expiresAt = Objects.requireNonNull(expiresAt);
    }

    /** A store whose items expire a fixed {@code retention} after they were quarantined (tests, tools). */
    public DynamoDbQuarantineStore(DynamoDbClient dynamo, String table, Clock clock, Duration retention) {
        this(dynamo, table, clock, quarantinedAt -> quarantinedAt + retention.toSeconds());
    }

    public static String key(StreamRecord r) {
        return r.shardId() + "/" + r.sequenceNumber();
    }

    /** The item key of an entry: its stream position, and the log event id when it is one event of a record. */
    public static String key(QuarantineEntry e) {
        return e.origin() == null ? key(e.record()) : key(e.record()) + "/" + e.origin().eventId();
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
        List<QuarantineEntry> unique = new ArrayList<>();
        List<WriteRequest> requests = new ArrayList<>();
        for (QuarantineEntry e : chunk) {
            if (indexByKey.putIfAbsent(key(e), e.recordIndex()) == null) {
                unique.add(e);
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
            if (DynamoDbRefusals.isPermanent(e)) {
                // one item spoils the whole request: find it, store the others as they are
                Set<String> left = new HashSet<>();
                requests.forEach(r -> left.add(r.putRequest().item().get("k").s()));
                return oneByOne(unique.stream().filter(u -> left.contains(key(u))).toList(), now);
            }
            return List.copyOf(indexByKey.values());
        }
        List<Integer> failed = new ArrayList<>();
        for (WriteRequest r : requests) {
            failed.add(indexByKey.get(r.putRequest().item().get("k").s()));
        }
        return failed;
    }

    /**
     * Each entry by itself: as it is, or, if the table refuses that for good, without its payload.
     * Returns the record indexes that could not be stored (transient failures).
     */
    private List<Integer> oneByOne(List<QuarantineEntry> entries, long now) {
        List<Integer> failed = new ArrayList<>();
        for (QuarantineEntry e : entries) {
            try {
                writes++;
                dynamo.putItem(b -> b.tableName(table).item(item(e, now)));
            } catch (SdkException refused) {
                if (!DynamoDbRefusals.isPermanent(refused)) {
                    failed.add(e.recordIndex());
                    continue;
                }
                Map<String, AttributeValue> reduced = item(e, now);
                reduced.remove("p");
                reduced.put("np", AttributeValue.fromS("payload not stored: "
                        + DynamoDbRefusals.describe((DynamoDbException) refused)));
                try {
                    writes++;
                    dynamo.putItem(b -> b.tableName(table).item(reduced));
                } catch (SdkException again) {
                    failed.add(e.recordIndex());
                }
            }
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
        item.put("k", AttributeValue.fromS(key(e)));
        item.put("r", AttributeValue.fromS(e.reason().name()));
        item.put("d", AttributeValue.fromS(e.detail()));
        item.put("p", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(kept)));
        item.put("n", AttributeValue.fromN(Integer.toString(data.length)));
        item.put("sh", AttributeValue.fromS(r.shardId()));
        item.put("sq", AttributeValue.fromS(r.sequenceNumber()));
        item.put("at", AttributeValue.fromN(Long.toString(r.arrival().toEpochMilli())));
        item.put("q", AttributeValue.fromN(Long.toString(nowMillis)));
        item.put("t", AttributeValue.fromN(Long.toString(expiresAt.applyAsLong(nowMillis / 1000))));
        if (e.origin() != null) {
            item.put("lg", AttributeValue.fromS(e.origin().logGroup()));
            item.put("ls", AttributeValue.fromS(e.origin().logStream()));
            item.put("ev", AttributeValue.fromS(e.origin().eventId()));
        }
        return item;
    }

    /**
     * Creates the table (on-demand, TTL on its attribute) if it does not exist, from the one definition
     * the CDK app deploys ({@link TableDefinitions}); for tests and the local runtime.
     */
    public static void createTable(DynamoDbClient dynamo, String name) {
        TableDefinitions.table(TableDefinitions.QUARANTINE).create(dynamo, name);
    }
}
