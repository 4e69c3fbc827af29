package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The event files in events/ingest/, decoded and validated without any store. */
class KinesisEventFilesTest {
    private final RequestRecordParser parser = new RequestRecordParser(Duration.ofDays(190));
    private final Instant now = Events.CLOCK.instant();

    private RequestRecordParser.Result parse(StreamRecord r) {
        return parser.parse(r.data(), 0, r.data().length, now);
    }

    @Test
    @DisplayName("D1 request shape from a real Kinesis event: position and payload survive base64 and the event model")
    void requestRecordsDecode() {
        List<StreamRecord> records = Events.records("request-records.json");
        assertThat(records).hasSize(7);
        StreamRecord first = records.get(0);
        assertThat(first.shardId()).isEqualTo("shardId-000000000000");
        assertThat(first.sequenceNumber()).hasSize(56);
        assertThat(first.arrival()).isEqualTo(Instant.parse("2026-10-03T12:05:00.123Z"));
        assertThat(records).allSatisfy(r -> assertThat(parse(r)).isInstanceOf(RequestRecordParser.Accepted.class));
        assertThat(parse(records.get(1))).isEqualTo(new RequestRecordParser.Accepted("acme",
                Instant.parse("2026-10-03T12:00:00Z").getEpochSecond(), new IntervalCounts(1, 1, 0, 0)));
        // an offset timestamp lands in the UTC interval (S2.1); unknown fields are ignored (D1)
        assertThat(parse(records.get(6))).isEqualTo(new RequestRecordParser.Accepted("globex",
                Instant.parse("2026-10-03T12:05:00Z").getEpochSecond(), new IntervalCounts(1, 0, 0, 0)));
    }

    @Test
    @DisplayName("D1 pre-aggregated shape from a real Kinesis event")
    void aggregatedRecordsDecode() {
        List<StreamRecord> records = Events.records("aggregated-records.json");
        assertThat(parse(records.get(0))).isEqualTo(new RequestRecordParser.Accepted("acme",
                Instant.parse("2026-10-03T12:00:00Z").getEpochSecond(), new IntervalCounts(1200, 3, 0, 1)));
        assertThat(parse(records.get(1))).isEqualTo(new RequestRecordParser.Accepted("globex",
                Instant.parse("2026-10-03T12:00:00Z").getEpochSecond(), new IntervalCounts(50, 0, 0, 0)));
    }

    @Test
    @DisplayName("D1 each bad record in the quarantine event gets its own reason")
    void quarantineRecordsAreRejectedWithTheirReason() {
        List<QuarantineReason> reasons = Events.records("quarantine-records.json").stream()
                .map(this::parse)
                .map(r -> ((RequestRecordParser.Rejected) r).reason())
                .toList();
        assertThat(reasons).containsExactly(QuarantineReason.NOT_JSON, QuarantineReason.MISSING_ACCOUNT_ID,
                QuarantineReason.UNPARSEABLE_TIMESTAMP, QuarantineReason.FUTURE_TIMESTAMP,
                QuarantineReason.NEGATIVE_COUNT, QuarantineReason.NON_INTEGER_COUNT,
                QuarantineReason.ERRORS_EXCEED_VALID, QuarantineReason.UNKNOWN_EXCLUSION, QuarantineReason.BAD_STATUS,
                QuarantineReason.NOT_INTERVAL_START, QuarantineReason.MIXED_SHAPE, QuarantineReason.BAD_REACHED,
                QuarantineReason.NOT_JSON, QuarantineReason.TOO_OLD);
    }

    @Test
    @DisplayName("Issue 26.3 the windowed event files: the first invocation of window-records.json returns exactly the state window-final.json carries, whose final invocation writes the aggregates of request-records.json")
    void windowEventFiles() {
        com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent first =
                com.amazonaws.services.lambda.runtime.tests.EventLoader.loadEvent("../../events/ingest/window-records.json",
                        com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent.class);
        com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent last =
                com.amazonaws.services.lambda.runtime.tests.EventLoader.loadEvent("../../events/ingest/window-final.json",
                        com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent.class);
        InMemoryStores stores = new InMemoryStores();
        IngestService service = new IngestService(new RequestRecordParser(), stores.aggregateStore,
                stores.quarantineStore, stores.staleness, Events.CLOCK,
                () -> dev.slaledger.core.traffic.Retention.fromTerms(
                        List.of(dev.slaledger.core.terms.DefaultTerms.version()), Duration.ofDays(92)));
        WindowedIngestHandler handler = new WindowedIngestHandler(
                new WindowedIngest(service, WindowedIngest.DEFAULT_BUDGET_BYTES), Events.CLOCK);

        assertThat(handler.handleRequest(first, null).getState()).isEqualTo(last.getState());
        assertThat(stores.writes).isZero();
        assertThat(handler.handleRequest(last, null).getState()).isEmpty();
        assertThat(stores.aggregates()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "acme@1791028800", new IntervalCounts(4, 1, 1, 1, 1, 0, 0), // S9.6: flagged maintenance
                "acme@1791029100", new IntervalCounts(0, 0, 0, 1, 0, 0, 1), // flagged content-ban
                "globex@1791029100", new IntervalCounts(1, 0, 0, 0)));
    }
}
