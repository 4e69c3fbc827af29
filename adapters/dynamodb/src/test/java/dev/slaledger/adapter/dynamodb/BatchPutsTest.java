package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem chunks of 25, unprocessed items sent again after a backoff, bounded rounds. */
class BatchPutsTest {

    /** Answers each request by leaving its last {@code unprocessed[n]} items unprocessed (0 after the list). */
    private static final class Stub implements DynamoDbClient {
        final List<Integer> sizes = new ArrayList<>();
        final List<Map<String, AttributeValue>> written = new ArrayList<>();
        private final int[] unprocessed;

        Stub(int... unprocessed) {
            this.unprocessed = unprocessed;
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(Consumer<BatchWriteItemRequest.Builder> request) {
            BatchWriteItemRequest.Builder b = BatchWriteItemRequest.builder();
            request.accept(b);
            List<WriteRequest> items = b.build().requestItems().get("t");
            int n = sizes.size();
            sizes.add(items.size());
            int left = n < unprocessed.length ? Math.min(unprocessed[n], items.size()) : 0;
            items.subList(0, items.size() - left).forEach(w -> written.add(w.putRequest().item()));
            return BatchWriteItemResponse.builder()
                    .unprocessedItems(left == 0 ? Map.of() : Map.of("t", items.subList(items.size() - left, items.size())))
                    .build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static List<Map<String, AttributeValue>> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> Map.of("pk", AttributeValue.fromS("p" + i))).toList();
    }

    @Test
    @DisplayName("25 items a request; unprocessed items are sent again after 50, 100, 200 ms")
    void retriesUnprocessedWithBackoff() {
        Stub stub = new Stub(0, 7, 3, 1);
        List<Long> waits = new ArrayList<>();
        int requests = new BatchPuts(stub, waits::add).putAll("t", items(60));
        assertThat(stub.sizes).containsExactly(25, 25, 7, 3, 1, 10);
        assertThat(requests).isEqualTo(6);
        assertThat(waits).containsExactly(50L, 100L, 200L);
        assertThat(stub.written).containsExactlyInAnyOrderElementsOf(items(60));
    }

    @Test
    @DisplayName("items still unprocessed after the last round: a clear error, the waits capped")
    void givesUp() {
        int[] always = new int[BatchPuts.MAX_ROUNDS + 5];
        java.util.Arrays.fill(always, 25);
        always[0] = 0;
        Stub stub = new Stub(always);
        List<Long> waits = new ArrayList<>();
        assertThatThrownBy(() -> new BatchPuts(stub, waits::add).putAll("t", items(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BatchWriteItem on t still left 5 of 5 items unprocessed after 10 rounds (25 of 30 items"
                        + " were written before this chunk)");
        assertThat(stub.sizes).hasSize(1 + BatchPuts.MAX_ROUNDS);
        assertThat(waits).hasSize(BatchPuts.MAX_ROUNDS - 1).allMatch(w -> w <= BatchPuts.MAX_BACKOFF_MILLIS);
        assertThat(waits.get(waits.size() - 1)).isEqualTo(BatchPuts.MAX_BACKOFF_MILLIS);
    }
}
