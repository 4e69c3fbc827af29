package dev.slaledger.adapter.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Unconditional puts with BatchWriteItem: {@value #BATCH} items a request (DynamoDB's limit), the
 * items a response leaves unprocessed (throttling, a partition over its throughput) sent again after
 * an exponential backoff ({@value #FIRST_BACKOFF_MILLIS} ms, doubled each round up to
 * {@value #MAX_BACKOFF_MILLIS} ms), at most {@value #MAX_ROUNDS} rounds a chunk; then it gives up
 * with an {@link IllegalStateException} that says how many items are left. Not atomic: what was
 * written before a failure stays.
 */
final class BatchPuts {
    static final int BATCH = 25;
    static final int MAX_ROUNDS = 10;
    static final long FIRST_BACKOFF_MILLIS = 50;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    /** How the writer waits between rounds (a test passes one that records the waits). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = Thread::sleep;

    private final DynamoDbClient dynamo;
    private final Sleeper sleeper;

    BatchPuts(DynamoDbClient dynamo, Sleeper sleeper) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Puts every item (keys must be distinct within a chunk of 25); the BatchWriteItem requests sent. */
    int putAll(String table, List<Map<String, AttributeValue>> items) {
        int requests = 0;
        for (int from = 0; from < items.size(); from += BATCH) {
            List<WriteRequest> pending = new ArrayList<>();
            for (Map<String, AttributeValue> item : items.subList(from, Math.min(items.size(), from + BATCH))) {
                pending.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            long backoff = FIRST_BACKOFF_MILLIS;
            for (int round = 1; !pending.isEmpty(); round++) {
                if (round > MAX_ROUNDS) {
                    throw new IllegalStateException("BatchWriteItem on " + table + " still left " + pending.size()
                            + " of " + Math.min(BATCH, items.size() - from) + " items unprocessed after " + MAX_ROUNDS
                            + " rounds (" + from + " of " + items.size() + " items were written before this chunk)");
                }
                if (round > 1) {
                    sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
                List<WriteRequest> request = pending;
                requests++;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, request)));
                pending = response.hasUnprocessedItems()
                        ? new ArrayList<>(response.unprocessedItems().getOrDefault(table, List.of())) : List.of();
            }
        }
        return requests;
    }

    private void sleep(long millis) {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry unprocessed items", e);
        }
    }
}
