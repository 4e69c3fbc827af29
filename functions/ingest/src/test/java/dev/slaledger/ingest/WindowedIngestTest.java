package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.QuarantineEntry;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.core.traffic.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The windowed path's own rules, invocation by invocation (the schedules test the rest). */
class WindowedIngestTest {
    private static final String SHARD = "shardId-000000000004";

    private static StreamRecord record(long seq, String account, String timestamp) {
        String json = "{\"accountId\":\"" + account + "\",\"timestamp\":\"" + timestamp
                + "\",\"status\":503,\"reached\":true,\"exclusion\":null}";
        return new StreamRecord(SHARD, Long.toString(seq), Instant.parse(timestamp), json.getBytes(StandardCharsets.UTF_8));
    }

    private static IngestService service(InMemoryStores stores, AggregateStore aggregates) {
        return new IngestService(new RequestRecordParser(), aggregates, stores.quarantineStore, stores.staleness,
                Events.CLOCK, () -> Retention.fromTerms(List.of(DefaultTerms.version()), Duration.ofDays(92)));
    }

    @Test
    @DisplayName("Issue 18 / S2.5 batches fold into the carried state, nothing is written before the final invocation, then one write per key")
    void foldsThenWritesOncePerKey() {
        InMemoryStores stores = new InMemoryStores();
        WindowedIngest windowed = new WindowedIngest(service(stores, stores.aggregateStore), WindowedIngest.DEFAULT_BUDGET_BYTES);
        WindowedIngest.Result first = windowed.handle(SHARD, List.of(record(1, "acme", "2026-10-03T12:01:00Z"),
                record(2, "zeta", "2026-10-03T12:01:05Z")), Map.of(), false);
        WindowedIngest.Result second = windowed.handle(SHARD, List.of(record(3, "acme", "2026-10-03T12:02:00Z"),
                record(4, "acme", "2026-10-03T12:06:00Z")), first.state(), false);
        assertThat(stores.writes).isZero();
        assertThat(second.state()).containsEntry("f", "1").containsEntry("l", "4");
        // a redelivery of the second batch with the newer state: its records are already folded
        WindowedIngest.Result again = windowed.handle(SHARD, List.of(record(3, "acme", "2026-10-03T12:02:00Z"),
                record(4, "acme", "2026-10-03T12:06:00Z")), second.state(), false);
        assertThat(again.outcome().duplicates()).isEqualTo(2);
        assertThat(again.state()).isEqualTo(second.state());
        WindowedIngest.Result last = windowed.handle(SHARD, List.of(), again.state(), true);
        assertThat(last.state()).isEmpty();
        assertThat(last.outcome().aggregateWrites()).isEqualTo(3);
        assertThat(stores.aggregates()).containsOnlyKeys("acme@1791028800", "zeta@1791028800", "acme@1791029100");
        assertThat(stores.aggregates().get("acme@1791028800").valid()).isEqualTo(2);
        assertThat(stores.aggregates().get("acme@1791028800").errors()).isEqualTo(2);
        // the final invocation again (its answer lost): every key is already applied
        windowed.handle(SHARD, List.of(), again.state(), true);
        assertThat(stores.aggregates().get("acme@1791028800").valid()).isEqualTo(2);
    }

    @Test
    @DisplayName("S7.5 windowed: carried sums the table refuses for good are quarantined as one pre-aggregated record, the other keys are written")
    void refusedFoldedSumsAreQuarantined() {
        InMemoryStores stores = new InMemoryStores();
        List<KeyBatch> seen = new ArrayList<>();
        AggregateStore refusingZeta = new AggregateStore() {
            @Override
            public ApplyResult apply(KeyBatch batch) {
                seen.add(batch);
                if (batch.key().accountId().equals("zeta")) {
                    return new ApplyResult(0, 0, 1, new Refusal(QuarantineReason.STORE_REFUSED,
                            "refused by the table: ValidationException (item too large)", batch.contributions()));
                }
                return stores.aggregateStore.apply(batch);
            }

            @Override
            public ApplyResult recover(KeyBatch batch, String shardId, String rangeId) {
                return stores.aggregateStore.recover(batch, shardId, rangeId);
            }
        };
        WindowedIngest windowed = new WindowedIngest(service(stores, refusingZeta), WindowedIngest.DEFAULT_BUDGET_BYTES);
        WindowedIngest.Result first = windowed.handle(SHARD, List.of(record(1, "acme", "2026-10-03T12:01:00Z"),
                record(2, "zeta", "2026-10-03T12:01:05Z"), record(3, "zeta", "2026-10-03T12:01:06Z")), Map.of(), false);
        WindowedIngest.Result last = windowed.handle(SHARD, List.of(), first.state(), true);
        assertThat(stores.aggregates()).containsOnlyKeys("acme@1791028800");
        assertThat(stores.quarantined).hasSize(1);
        QuarantineEntry entry = stores.quarantined.values().iterator().next();
        assertThat(entry.reason()).isEqualTo(QuarantineReason.STORE_REFUSED);
        assertThat(entry.record().shardId()).isEqualTo(SHARD + "#zeta@1791028800");
        assertThat(new String(entry.record().data(), StandardCharsets.UTF_8)).isEqualTo("{\"accountId\":\"zeta\","
                + "\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":2,\"errors\":2,\"unreachedErrors\":0,"
                + "\"excludedErrors\":0,\"foldedFrom\":\"1\"}");
        assertThat(last.outcome().quarantined()).isEqualTo(1);
        assertThat(last.outcome().recordsIn()).isEqualTo(1);
    }

    @Test
    @DisplayName("Issue 18 / 26.1 the state budget cuts a window before the record that would pass it; a segment cut inside an invocation is carried closed and written by the next invocation, never by the one that cut it")
    void budgetCutsSegments() {
        InMemoryStores stores = new InMemoryStores();
        WindowedIngest windowed = new WindowedIngest(service(stores, stores.aggregateStore), 150);
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(record(10 + i, "acct-" + i, "2026-10-03T12:01:00Z"));
        }
        WindowedIngest.Result r = windowed.handle(SHARD, batch, Map.of(), false);
        assertThat(r.segmentsWritten()).isZero();
        assertThat(stores.writes).isZero();
        assertThat(r.state()).containsKey("c0f");
        WindowedIngest.Result next = windowed.handle(SHARD, List.of(record(20, "acct-9", "2026-10-03T12:02:00Z")),
                r.state(), false);
        assertThat(next.segmentsWritten()).isPositive();
        assertThat(stores.aggregates()).hasSizeLessThan(9).isNotEmpty();
        assertThat(next.state()).doesNotContainKey("c0f");
        windowed.handle(SHARD, List.of(), next.state(), true);
        assertThat(stores.aggregates()).hasSize(9);
    }
}
