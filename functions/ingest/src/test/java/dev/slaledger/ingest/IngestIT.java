package dev.slaledger.ingest;

import static dev.slaledger.ingest.Events.T1200;
import static dev.slaledger.ingest.Events.T1205;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.testkit.UsesEngines;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The deployed handler ({@link WindowedIngestHandler}) under the deployed mapping (KinesisEsm with
 * kinesis-mapping.json: windows of 900 s, batches of 2,000, bisection, retries until the records expire)
 * on the real Kinesis events of events/ingest/, against the engines' DynamoDB.
 */
@UsesEngines
class IngestIT {
    @RegisterExtension
    final Harnesses harnesses = new Harnesses();

    private Harness harness() {
        return harnesses.open();
    }

    /** request-records then aggregated-records, one shard, sequence numbers increasing. */
    private static KinesisEvent mixedBatch() {
        return Events.joined(Events.load("request-records.json"), Events.load("aggregated-records.json"),
                Events.slice(Events.load("quarantine-records.json"), 0, 3));
    }

    private static Map<String, IntervalCounts> cleanDelivery(KinesisEvent event) {
        try (Harness clean = new Harness(Events.CLOCK)) {
            assertThat(clean.deliver(event).functionErrors).isZero();
            return clean.aggregates();
        }
    }

    @Test
    @DisplayName("S2.2 S2.3 S2.4 S2.5 S9.6 request records: 5xx and unreached are errors, 4xx valid, excluded counted apart (by kind) and still valid")
    void requestShape() {
        Harness h = harness();
        KinesisEsm.Stats stats = h.deliver(Events.load("request-records.json"));

        assertThat(stats.functionErrors).isZero();
        assertThat(stats.finalInvocations).isEqualTo(1);
        assertThat(h.aggregates()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acme@" + T1200, new IntervalCounts(4, 1, 1, 1, 1, 0, 0),     // the excluded error: maintenance
                "acme@" + T1205, new IntervalCounts(0, 0, 0, 1, 0, 0, 1),     // the excluded error: content ban
                "globex@" + T1205, new IntervalCounts(1, 0, 0, 0)));
        assertThat(h.stored.load("acme", Instant.ofEpochSecond(T1200), Instant.ofEpochSecond(T1205 + 300)).size())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("D1 pre-aggregated records add their counts to the interval")
    void aggregatedShape() {
        Harness h = harness();
        h.deliver(Events.load("aggregated-records.json"));
        assertThat(h.aggregates()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acme@" + T1200, new IntervalCounts(1200, 3, 7, 1),
                "globex@" + T1200, new IntervalCounts(50, 0, 0, 0)));
    }

    @Test
    @DisplayName("Issue 3.2 / issue 18: one write per distinct (account, interval) key of the window, not one per record")
    void oneWritePerKey() {
        Harness h = harness();
        KinesisEvent event = mixedBatch(); // 10 good records on 4 keys, 3 bad
        h.counter.reset();
        h.deliver(event);
        assertThat(h.aggregates()).hasSize(4);
        assertThat(h.counter.count("UpdateItem")).isEqualTo(4);
        assertThat(h.counter.count("BatchWriteItem")).isEqualTo(1); // the three quarantined records
        assertThat(h.counter.count("GetItem")).isZero();
    }

    @Test
    @DisplayName("D1 every kind of bad record is quarantined with reason, raw payload and stream position; the batch goes on")
    void quarantine() {
        Harness h = harness();
        KinesisEvent event = Events.load("quarantine-records.json");
        assertThat(h.deliver(event).functionErrors).isZero();

        assertThat(h.aggregates()).isEmpty();
        Map<String, Map<String, AttributeValue>> stored = h.quarantine();
        assertThat(stored).hasSize(event.getRecords().size());
        List<String> reasons = new ArrayList<>();
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            StreamRecord s = WindowedIngestHandler.toStreamRecord(r);
            Map<String, AttributeValue> item = stored.get(DynamoDbQuarantineStore.key(s));
            assertThat(item).as(s.sequenceNumber()).isNotNull();
            assertThat(item.get("p").b().asByteArray()).isEqualTo(s.data());
            assertThat(item.get("sh").s()).isEqualTo("shardId-000000000000");
            assertThat(item.get("sq").s()).isEqualTo(s.sequenceNumber());
            assertThat(Long.parseLong(item.get("at").n())).isEqualTo(s.arrival().toEpochMilli());
            assertThat(item.get("d").s()).isNotBlank();
            reasons.add(item.get("r").s());
        }
        assertThat(reasons).containsExactly("NOT_JSON", "MISSING_ACCOUNT_ID", "UNPARSEABLE_TIMESTAMP",
                "FUTURE_TIMESTAMP", "NEGATIVE_COUNT", "NON_INTEGER_COUNT", "ERRORS_EXCEED_VALID", "UNKNOWN_EXCLUSION",
                "BAD_STATUS", "NOT_INTERVAL_START", "MIXED_SHAPE", "BAD_REACHED", "NOT_JSON", "TOO_OLD");

        h.deliver(event); // redelivered: same items, none added
        assertThat(h.quarantine()).hasSize(event.getRecords().size());
    }

    @Test
    @DisplayName("Issue 3.4: records in = records aggregated + records quarantined, for a batch of good and bad")
    void conservation() {
        Harness h = harness();
        List<StreamRecord> records = new ArrayList<>();
        mixedBatch().getRecords().forEach(r -> records.add(WindowedIngestHandler.toStreamRecord(r)));

        BatchOutcome outcome = h.service().ingest(records);

        assertThat(outcome.recordsIn()).isEqualTo(13);
        assertThat(outcome.aggregated()).isEqualTo(10);
        assertThat(outcome.quarantined()).isEqualTo(3);
        assertThat(outcome.failed()).isZero();
        assertThat(h.quarantine()).hasSize(3);
        // the ten good records: five received requests (two of the seven did not reach the
        // server) and 1,250 pre-aggregated valid requests
        assertThat(h.aggregates().values().stream().mapToLong(IntervalCounts::valid).sum()).isEqualTo(5 + 1250);
    }

    @Test
    @DisplayName("Issue 3.3: a batch delivered again in a later window leaves the aggregates of one delivery, at one failing conditional write per key")
    void wholeBatchRedelivered() {
        KinesisEvent event = mixedBatch();
        Harness h = harness();
        h.deliver(event);
        h.counter.reset();
        h.deliver(event);

        assertThat(h.aggregates()).isEqualTo(cleanDelivery(event));
        // a redelivery costs one (failing) conditional write per key and no read: the stored
        // high-water marks come back with the failure (ReturnValuesOnConditionCheckFailure)
        assertThat(h.counter.count("UpdateItem")).isEqualTo(4);
        assertThat(h.counter.count("GetItem")).isZero();
    }

    @Test
    @DisplayName("Issue 3.3: a window applied, then parts of its batch delivered again in other windows, counts once")
    void bisectedHalves() {
        KinesisEvent event = mixedBatch();
        int n = event.getRecords().size();
        Harness h = harness();
        h.deliver(event);
        h.deliver(Events.slice(event, 0, n / 2));
        h.deliver(Events.slice(event, n / 2, n));
        h.deliver(Events.slice(event, 3, 9));
        assertThat(h.aggregates()).isEqualTo(cleanDelivery(event));
    }

    @Test
    @DisplayName("Issue 3.3 outside a window (a hand re-delivery): only the first half applied, then the whole batch: the second half is added, the first not again")
    void firstHalfThenWholeOutsideAWindow() {
        KinesisEvent event = mixedBatch();
        int n = event.getRecords().size();
        Harness h = harness();
        h.outsideAWindow(Events.slice(event, 0, n / 2));
        h.outsideAWindow(event);
        assertThat(h.aggregates()).isEqualTo(cleanDelivery(event));
        assertThat(h.invokeWithoutWindow(event)).as("no state outside a window").isEmpty();
        assertThat(h.aggregates()).isEqualTo(cleanDelivery(event));
    }

    @ParameterizedTest
    @EnumSource(FaultInjector.Mode.class)
    @DisplayName("Issue 3.3 / 26: the function dies (or a write fails) at the k-th write of the window (each k), the mapping retries the invocation: one delivery's aggregates")
    void faultAtKthWrite(FaultInjector.Mode mode) {
        KinesisEvent event = mixedBatch();
        Map<String, IntervalCounts> expected = cleanDelivery(event);
        for (int k = 1; k <= 5; k++) { // 1 quarantine batch write + 4 aggregate writes
            Harness h = harness();
            int target = k;
            int[] invocations = {0};
            KinesisEsm.Stats stats = h.deliverWithFault(event,
                    inv -> invocations[0]++ == 0 && target == 1 || inv.finalInvoke() && !inv.retry() && target > 1,
                    target == 1 ? 1 : target - 1, mode);
            assertThat(stats.functionErrors).as("%s at write %d", mode, k).isEqualTo(1);
            assertThat(h.aggregates()).as("%s at write %d", mode, k).isEqualTo(expected);
            assertThat(h.quarantine()).hasSize(3);
        }
    }

    @Test
    @DisplayName("Issue 3.5: records for a month that may have a statement mark the account-month stale, once per window")
    void lateData() {
        Harness h = harness();
        h.counter.reset();
        h.deliver(Events.load("late-records.json"));

        assertThat(h.staleMarks.staleMark("acme", YearMonth.of(2026, 9))).contains(1L);
        assertThat(h.staleMarks.staleMark("globex", YearMonth.of(2026, 9))).contains(1L);
        assertThat(h.staleMarks.staleMark("acme", YearMonth.of(2026, 10))).isEmpty();
        // 4 aggregate keys + 2 marks (acme's two September records share one)
        assertThat(h.counter.count("UpdateItem")).isEqualTo(6);

        // the month-end recomputes and clears the mark it read; late data arriving after sets a new one
        long mark = h.staleMarks.staleMark("acme", YearMonth.of(2026, 9)).orElseThrow();
        h.staleMarks.clearStale("acme", YearMonth.of(2026, 9), mark);
        assertThat(h.staleMarks.staleMark("acme", YearMonth.of(2026, 9))).isEmpty();
        h.deliver(Events.slice(Events.load("late-records.json"), 0, 1));
        assertThat(h.staleMarks.staleMark("acme", YearMonth.of(2026, 9))).contains(2L);
        // a clear with an old mark does not clear a newer one
        h.staleMarks.clearStale("acme", YearMonth.of(2026, 9), mark);
        assertThat(h.staleMarks.staleMark("acme", YearMonth.of(2026, 9))).contains(2L);
    }

    @Test
    @DisplayName("D1 a quarantined payload is kept byte for byte, also when it is not text")
    void binaryPayload() {
        Harness h = harness();
        KinesisEvent event = Events.slice(Events.load("quarantine-records.json"), 0, 1);
        byte[] garbage = {(byte) 0xff, 0, (byte) 0xc3, 0x28, '{'};
        event.getRecords().get(0).getKinesis().setData(java.nio.ByteBuffer.wrap(garbage));
        h.deliver(event);
        Map<String, AttributeValue> item = h.quarantine().values().iterator().next();
        assertThat(item.get("p").b().asByteArray()).isEqualTo(garbage);
        assertThat(item.get("r").s()).isEqualTo("NOT_JSON");
    }

    /** One event of {@code payloads} on shard 0, sequence numbers {@code first}, {@code first + 1}, ... */
    private static KinesisEvent event(long first, List<String> payloads) {
        KinesisEvent e = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        java.math.BigInteger base = new java.math.BigInteger("49590338271490256608559692538361571095921575989136588898");
        for (int i = 0; i < payloads.size(); i++) {
            records.add(TrafficGenerator.record("shardId-000000000000", base.add(java.math.BigInteger.valueOf(first + i))
                    .toString(), "pk", payloads.get(i)));
        }
        e.setRecords(records);
        return e;
    }

    private static List<String> billionValid(String account, int n) {
        return java.util.Collections.nCopies(n, "{\"accountId\":\"" + account
                + "\",\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":1000000000,\"errors\":0}");
    }

    @Test
    @DisplayName("S7.5 D1 two windows whose records are each under the per-record bound but whose sum exceeds the interval bound: the second window's folded sum of that key is quarantined COUNT_OUT_OF_RANGE as one pre-aggregated record, never retried; the rest counts")
    void overflowAcrossWindows() {
        Harness h = harness();
        KinesisEvent first = event(0, billionValid("acme", 600)); // 6 x 10^11
        List<String> second = new ArrayList<>(billionValid("acme", 500)); // + 5 x 10^11 > 10^12
        second.add("{\"accountId\":\"globex\",\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":7,\"errors\":1}");
        KinesisEvent secondEvent = event(1000, second);

        assertThat(h.deliver(first).functionErrors).isZero();
        assertThat(h.deliver(secondEvent).functionErrors).isZero();

        assertThat(h.aggregates()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acme@" + T1200, new IntervalCounts(600_000_000_000L, 0, 0, 0),
                "globex@" + T1200, new IntervalCounts(7, 1, 0, 0)));
        Map<String, Map<String, AttributeValue>> quarantined = h.quarantine();
        assertThat(quarantined).hasSize(1);
        Map<String, AttributeValue> item = quarantined.values().iterator().next();
        assertThat(item.get("r").s()).isEqualTo("COUNT_OUT_OF_RANGE");
        assertThat(item.get("d").s()).isEqualTo("valid: the interval would exceed 1000000000000 (per-interval maximum)");
        assertThat(new String(item.get("p").b().asByteArray(), StandardCharsets.UTF_8))
                .contains("\"accountId\":\"acme\"", "\"valid\":500000000000",
                        "\"foldedFrom\":\"" + WindowedIngestHandler.toStreamRecord(secondEvent.getRecords().get(0))
                                .sequenceNumber() + "\"");
        // the month-end reads the interval without trouble
        assertThat(h.stored.load("acme", Instant.ofEpochSecond(T1200), Instant.ofEpochSecond(T1205)).valid(0))
                .isEqualTo(600_000_000_000L);

        // delivered again: the same quarantine item, the same aggregates, still no failure
        assertThat(h.deliver(secondEvent).functionErrors).isZero();
        assertThat(h.quarantine()).hasSize(1);
        assertThat(h.aggregates().get("acme@" + T1200).valid()).isEqualTo(600_000_000_000L);
    }

    @Test
    @DisplayName("S7.5 outside a window the records over the interval bound are quarantined one by one, with their payloads")
    void overflowOutsideAWindow() {
        Harness h = harness();
        h.outsideAWindow(event(0, billionValid("acme", 600)));
        KinesisEvent second = event(1000, billionValid("acme", 500));
        h.outsideAWindow(second);
        Map<String, Map<String, AttributeValue>> quarantined = h.quarantine();
        assertThat(quarantined).hasSize(500);
        for (KinesisEvent.KinesisEventRecord r : second.getRecords()) {
            Map<String, AttributeValue> item = quarantined.get(DynamoDbQuarantineStore.key(
                    WindowedIngestHandler.toStreamRecord(r)));
            assertThat(item.get("r").s()).isEqualTo("COUNT_OUT_OF_RANGE");
            assertThat(item.get("p").b().asByteArray()).isEqualTo(WindowedIngestHandler.toStreamRecord(r).data());
        }
    }

    @Test
    @DisplayName("S7.5 a key the aggregates table refuses for good (ValidationException) is quarantined STORE_REFUSED with its folded sums; a transient failure of the same write is retried, not quarantined")
    void storeRefusedIsQuarantined() {
        Harness h = harness();
        h.faults.refuseWhen(r -> r instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u
                && u.tableName().equals(h.config.aggregatesTable()) && u.key().get("a").s().equals("globex"));
        KinesisEvent event = Events.load("request-records.json");

        assertThat(h.deliver(event).functionErrors).isZero();

        assertThat(h.aggregates()).containsOnlyKeys("acme@" + T1200, "acme@" + T1205);
        Map<String, Map<String, AttributeValue>> quarantined = h.quarantine();
        assertThat(quarantined).hasSize(1);
        Map<String, AttributeValue> item = quarantined.values().iterator().next();
        assertThat(item.get("r").s()).isEqualTo("STORE_REFUSED");
        assertThat(item.get("d").s()).isEqualTo("refused by the table: ValidationException (item too large)");
        assertThat(new String(item.get("p").b().asByteArray(), StandardCharsets.UTF_8)).contains("globex");

        // a transient failure of the same write fails the final invocation, which the mapping retries
        Harness t = harness();
        // the third write fails: 1: acme@12:00, 2: acme@12:05, 3: globex@12:05
        KinesisEsm.Stats stats = t.deliverWithFault(event, Harness.firstFinalInvoke(), 3, FaultInjector.Mode.FAIL);
        assertThat(stats.functionErrors).isEqualTo(1);
        assertThat(t.quarantine()).isEmpty();
        assertThat(t.aggregates()).isEqualTo(cleanDelivery(event));
    }

    /** Whether {@code r} writes a quarantine item whose payload holds {@code marker}. */
    private static boolean writesPayloadWith(software.amazon.awssdk.core.SdkRequest r, String marker) {
        java.util.stream.Stream<Map<String, AttributeValue>> items;
        if (r instanceof software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest b) {
            items = b.requestItems().values().stream().flatMap(List::stream).map(w -> w.putRequest().item());
        } else if (r instanceof software.amazon.awssdk.services.dynamodb.model.PutItemRequest p) {
            items = java.util.stream.Stream.of(p.item());
        } else {
            return false;
        }
        return items.anyMatch(i -> i.containsKey("p")
                && new String(i.get("p").b().asByteArray(), StandardCharsets.UTF_8).contains(marker));
    }

    @Test
    @DisplayName("S7.5 a quarantine item the table refuses for good is stored without its payload (reason, detail, position, size and why kept); the others of its BatchWriteItem as they are; nothing is redelivered forever")
    void quarantineWriteRefused() {
        Harness h = harness();
        h.faults.refuseWhen(r -> writesPayloadWith(r, "REFUSE-ME"));
        KinesisEvent event = event(0, List.of(
                "{\"accountId\":\"acme\",\"timestamp\":\"nope\",\"status\":200}",
                "{\"accountId\":\"acme\",\"timestamp\":\"nope\",\"status\":200,\"note\":\"REFUSE-ME\"}",
                "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:01:00Z\",\"status\":200}",
                "not json"));
        List<StreamRecord> records = event.getRecords().stream().map(WindowedIngestHandler::toStreamRecord).toList();
        h.counter.reset();

        assertThat(h.deliver(event).functionErrors).isZero();

        assertThat(h.faults.refused()).isEqualTo(2); // the BatchWriteItem, then the item's own PutItem
        assertThat(h.counter.count("BatchWriteItem")).isZero(); // refused before transmission
        assertThat(h.counter.count("PutItem")).isEqualTo(3); // two as they are, one without its payload
        Map<String, Map<String, AttributeValue>> stored = h.quarantine();
        assertThat(stored).hasSize(3);
        assertThat(stored.get(DynamoDbQuarantineStore.key(records.get(0))).get("p").b().asByteArray())
                .isEqualTo(records.get(0).data());
        assertThat(stored.get(DynamoDbQuarantineStore.key(records.get(3))).get("r").s()).isEqualTo("NOT_JSON");
        Map<String, AttributeValue> reduced = stored.get(DynamoDbQuarantineStore.key(records.get(1)));
        assertThat(reduced).doesNotContainKey("p");
        assertThat(reduced.get("r").s()).isEqualTo("UNPARSEABLE_TIMESTAMP");
        assertThat(reduced.get("d").s()).isEqualTo("timestamp");
        assertThat(reduced.get("np").s()).isEqualTo("payload not stored: refused by the table: ValidationException (item too large)");
        assertThat(Long.parseLong(reduced.get("n").n())).isEqualTo(records.get(1).data().length);
        assertThat(reduced.get("sq").s()).isEqualTo(records.get(1).sequenceNumber());
        assertThat(h.aggregates()).containsOnlyKeys("acme@" + T1200);

        // delivered again: the same three items, still no failure
        assertThat(h.deliver(event).functionErrors).isZero();
        assertThat(h.quarantine()).hasSize(3);
    }

    @Test
    @DisplayName("S7.5 a key whose aggregate write and then whose quarantine item are both refused: stored STORE_REFUSED without its payload, not redelivered")
    void storeRefusedAndQuarantineRefused() {
        Harness h = harness();
        h.faults.refuseWhen(r -> (r instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u
                && u.tableName().equals(h.config.aggregatesTable()) && u.key().get("a").s().equals("globex"))
                || writesPayloadWith(r, "globex"));

        assertThat(h.deliver(Events.load("request-records.json")).functionErrors).isZero();

        Map<String, AttributeValue> item = h.quarantine().values().iterator().next();
        assertThat(item.get("r").s()).isEqualTo("STORE_REFUSED");
        assertThat(item).doesNotContainKey("p").containsKey("np");
        assertThat(h.aggregates()).containsOnlyKeys("acme@" + T1200, "acme@" + T1205);
    }
}
