package dev.slaledger.ingest;

import static dev.slaledger.ingest.Events.T1200;
import static dev.slaledger.ingest.Events.T1205;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.testkit.UsesEngines;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * Issue 21: CloudWatch Logs subscription payloads of API Gateway access logs through the handler,
 * on the engines' DynamoDB: counts, quarantine items, the per-log-event balance, exactly once.
 */
@UsesEngines
class AccessLogIngestIT {
    @RegisterExtension
    final Harnesses harnesses = new Harnesses();

    private Harness harness() {
        return harnesses.open();
    }

    private static KinesisEvent all() {
        return Events.joined(Events.load("access-log-control-message.json"), Events.load("access-log-records.json"),
                Events.load("access-log-unreadable.json"));
    }

    private static List<StreamRecord> streamRecords(KinesisEvent e) {
        return e.getRecords().stream().map(WindowedIngestHandler::toStreamRecord).toList();
    }

    @Test
    @DisplayName("S2.3 S2.5 access-log events are counted: API Gateway's 502/504/500 are errors, 429 and 4xx valid")
    void eventsAreCounted() {
        Harness h = harness();
        assertThat(h.deliver(Events.load("access-log-records.json")).functionErrors).isZero();
        assertThat(h.aggregates()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acme@" + T1200, new IntervalCounts(6, 3, 0, 0),
                "globex@" + T1205, new IntervalCounts(2, 1, 0, 0)));
    }

    @Test
    @DisplayName("D1 records in = aggregated + quarantined, per log event; control messages skipped and counted")
    void balancePerLogEvent() {
        Harness h = harness();
        BatchOutcome o = h.service().ingest(streamRecords(all()));
        // 1 control message, 8 + 2 log events, 3 unreadable payloads
        assertThat(o.controlMessages()).isEqualTo(1);
        assertThat(o.recordsIn()).isEqualTo(13);
        assertThat(o.aggregated()).isEqualTo(8);
        assertThat(o.quarantined()).isEqualTo(5);
        assertThat(o.failed()).isZero();
        assertThat(MetricLine.of(o, Events.CLOCK.instant())).contains("\"ControlMessages\":1");
    }

    @Test
    @DisplayName("D1 an unmappable log event is quarantined with log group, stream, event id, reason and its line")
    void quarantinedEventsKeepTheirOrigin() {
        Harness h = harness();
        h.deliver(all());
        Map<String, Map<String, AttributeValue>> q = h.quarantine();
        assertThat(q).hasSize(5);
        String rest = "shardId-000000000000/" + AccessLogPayloads.SEQ_REST + "/";
        List<Map<String, AttributeValue>> events = q.entrySet().stream().filter(e -> e.getKey().startsWith(rest))
                .map(Map.Entry::getValue).toList();
        assertThat(events).hasSize(2);
        assertThat(events).extracting(i -> i.get("r").s())
                .containsExactlyInAnyOrder("MISSING_ACCOUNT_ID", "NOT_JSON");
        for (Map<String, AttributeValue> item : events) {
            assertThat(item.get("lg").s()).isEqualTo(AccessLogPayloads.REST_GROUP);
            assertThat(item.get("ls").s()).isEqualTo("a1b2c3d4e5f60718293a4b5c6d7e8f90");
            assertThat(item.get("k").s()).isEqualTo(rest + item.get("ev").s());
            assertThat(item.get("sq").s()).isEqualTo(AccessLogPayloads.SEQ_REST);
            assertThat(new String(item.get("p").b().asByteArray(), StandardCharsets.UTF_8)).doesNotStartWith("\u001f");
        }
        assertThat(events).anySatisfy(i -> assertThat(new String(i.get("p").b().asByteArray(), StandardCharsets.UTF_8))
                .startsWith("203.0.113.9 - - ["));
        // an unreadable payload is one item, keyed by its stream position, with the gzip bytes as they came
        assertThat(q.values()).filteredOn(i -> i.get("r").s().equals("UNREADABLE_LOG_PAYLOAD")).hasSize(3)
                .allSatisfy(i -> assertThat(i).doesNotContainKeys("lg", "ls", "ev"));
    }

    @Test
    @DisplayName("Issue 21 delivered again whole or in parts in later windows, a payload's log events count once and quarantine once")
    void redeliveryAndBisection() {
        Harness h = harness();
        KinesisEvent event = all();
        h.deliver(event);
        Map<String, IntervalCounts> once = h.aggregates();
        h.deliver(event);
        h.deliver(Events.slice(event, 0, 2));
        h.deliver(Events.slice(event, 2, event.getRecords().size()));
        assertThat(h.aggregates()).isEqualTo(once);
        assertThat(h.quarantine()).hasSize(5);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FaultInjector.Mode.class)
    @DisplayName("Issue 21 one stream record of 300 log events on 60 keys, the function breaking at each k-th write of its window's final invocation, retried by the mapping: counts equal one clean delivery")
    void crashInsideOneRecordsEvents(FaultInjector.Mode mode) {
        List<AccessLogPayloads.LogEvent> events = new ArrayList<>();
        for (int j = 0; j < 300; j++) {
            Instant at = Events.CLOCK.instant().minusSeconds(60L * (j % 3) + 300L * (j % 2)).minusMillis(j);
            events.add(new AccessLogPayloads.LogEvent(AccessLogPayloads.eventId(at.toEpochMilli(), j), at.toEpochMilli(),
                    AccessLogPayloads.line("acc-" + (j % 20), at, j % 7 == 0 ? 504 : 200)));
        }
        byte[] payload = AccessLogPayloads.gzip(AccessLogPayloads.dataMessage(AccessLogPayloads.REST_GROUP, "s", events));
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(AccessLogPayloads.kinesisRecord("shardId-000000000001",
                AccessLogPayloads.SEQ_REST, payload, Events.CLOCK.instant())));
        Map<String, IntervalCounts> clean;
        try (Harness c = new Harness(Events.CLOCK)) {
            c.deliver(event);
            clean = c.aggregates();
        }
        assertThat(clean.values().stream().mapToLong(IntervalCounts::valid).sum()).isEqualTo(300);
        int keys = clean.size();
        for (int k : new int[] {1, keys / 2, keys}) {
            Harness h = harness();
            KinesisEsm.Stats stats = h.deliverWithFault(event, Harness.firstFinalInvoke(), k, mode);
            assertThat(stats.functionErrors).as("k=" + k).isEqualTo(1);
            assertThat(h.aggregates()).as("k=" + k).isEqualTo(clean);
        }
    }
}
