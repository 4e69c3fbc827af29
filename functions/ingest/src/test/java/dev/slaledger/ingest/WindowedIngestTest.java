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
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    private static List<String> marksAt(String now, String zone, String... timestamps) {
        InMemoryStores stores = new InMemoryStores();
        TermsVersion d = DefaultTerms.version();
        TermsVersion terms = TermsVersion.validated(d.version(), d.effectiveFrom(), ZoneId.of(zone), d.commitment(),
                d.tiers(), d.capPercent(), d.claim(), d.noticeDays(), d.holidays(), d.eligibility());
        IngestService service = new IngestService(new RequestRecordParser(), stores.aggregateStore,
                stores.quarantineStore, stores.staleness, Clock.fixed(Instant.parse(now), ZoneOffset.UTC),
                () -> Retention.fromTerms(List.of(terms), Duration.ofDays(92)));
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < timestamps.length; i++) {
            batch.add(record(i + 1, "acct-" + i, timestamps[i]));
        }
        new WindowedIngest(service, WindowedIngest.DEFAULT_BUDGET_BYTES).handle(SHARD, batch, Map.of(), true);
        return List.copyOf(stores.staleMarks);
    }

    @Test
    @DisplayName("S7.1 / S1.4 traffic of a month's last hours marks nothing while the month has not ended in the terms' zone (no extra write at every month-end)")
    void lateDataFollowsTheTermsZone() {
        // UTC terms, 23:00 UTC on the last day: October has not ended in UTC, so it has no statement yet
        assertThat(marksAt("2026-10-31T23:00:00Z", "UTC", "2026-10-31T22:55:00Z")).isEmpty();
        // after midnight UTC the same traffic is late for October, and only for October
        assertThat(marksAt("2026-11-01T00:10:00Z", "UTC", "2026-10-31T23:55:00Z")).containsExactly("acct-0 2026-10");
        // November's first hours are November's only in UTC: October is not marked again after its month-end
        assertThat(marksAt("2026-11-01T06:00:00Z", "UTC", "2026-11-01T05:55:00Z")).isEmpty();
        // terms at UTC+14: October ends at 10:00 UTC on the 31st, and its traffic from then on is November's
        assertThat(marksAt("2026-10-31T10:30:00Z", "Pacific/Kiritimati", "2026-10-31T09:55:00Z", "2026-10-31T10:05:00Z"))
                .containsExactly("acct-0 2026-10");
    }
}
