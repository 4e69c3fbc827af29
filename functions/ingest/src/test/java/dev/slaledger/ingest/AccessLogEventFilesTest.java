package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.LogEventOrigin;
import dev.slaledger.core.traffic.QuarantineReason;
import dev.slaledger.core.traffic.StreamRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: the subscription-payload fixtures in events/ingest/, as Lambda delivers them, through
 * {@link StreamPayloads} (no store). {@code -Dsla.events.write=true} rewrites them from
 * {@link AccessLogPayloads} first.
 */
class AccessLogEventFilesTest {
    private static final Instant NOW = Events.CLOCK.instant();
    private final StreamPayloads payloads = new StreamPayloads(new RequestRecordParser(Duration.ofDays(190)),
            new AccessLogMapper(AccessLogMapper.AccountSource.CLAIM));

    @BeforeAll
    static void writeIfAsked() throws IOException {
        if (Boolean.getBoolean("sla.events.write")) {
            AccessLogPayloads.writeEventFiles(Path.of("../../events/ingest"));
        }
    }

    private StreamPayloads.Expanded expand(String file) {
        return payloads.expand(Events.records(file), NOW, Long.MIN_VALUE);
    }

    @Test
    @DisplayName("the files hold exactly the payloads the test helper builds (gzip inflated, base64 decoded)")
    void filesAreTheHelpersPayloads() throws IOException {
        List<StreamRecord> records = Events.records("access-log-records.json");
        assertThat(records).hasSize(2);
        assertThat(new String(CloudWatchLogsPayload.inflate(records.get(0).data()), StandardCharsets.UTF_8))
                .isEqualTo(AccessLogPayloads.restPayload());
        assertThat(new String(CloudWatchLogsPayload.inflate(records.get(1).data()), StandardCharsets.UTF_8))
                .isEqualTo(AccessLogPayloads.httpPayload());
        assertThat(records.get(0).sequenceNumber()).isEqualTo(AccessLogPayloads.SEQ_REST);
        List<StreamRecord> control = Events.records("access-log-control-message.json");
        assertThat(new String(CloudWatchLogsPayload.inflate(control.get(0).data()), StandardCharsets.UTF_8))
                .isEqualTo(AccessLogPayloads.controlMessage(Instant.parse("2026-10-03T11:59:00Z").toEpochMilli()));
    }

    @Test
    @DisplayName("S2.3/S2.5 each log event is one request record: API Gateway's 502/504 and 500 are errors, 429 and 4xx are not")
    void restAndHttpPayloadsCount() {
        StreamPayloads.Expanded x = expand("access-log-records.json");
        assertThat(x.size()).isEqualTo(8 + 2);
        assertThat(x.controlMessages()).isZero();
        long acme = Instant.parse("2026-10-03T12:00:00Z").getEpochSecond();
        long globex = Instant.parse("2026-10-03T12:05:00Z").getEpochSecond();
        IntervalCounts ok = new IntervalCounts(1, 0, 0, 0);
        IntervalCounts error = new IntervalCounts(1, 1, 0, 0);
        assertThat(List.of(x.result(0), x.result(1), x.result(2), x.result(3), x.result(4), x.result(5)))
                .containsExactly(new RequestRecordParser.Accepted("acme", acme, ok),
                        new RequestRecordParser.Accepted("acme", acme, error), // 502 integration failure
                        new RequestRecordParser.Accepted("acme", acme, error), // 504 integration timeout
                        new RequestRecordParser.Accepted("acme", acme, ok), // 429 throttled
                        new RequestRecordParser.Accepted("acme", acme, ok), // 404
                        new RequestRecordParser.Accepted("acme", acme, error)); // 500
        assertThat(((RequestRecordParser.Rejected) x.result(6)).reason()).isEqualTo(QuarantineReason.MISSING_ACCOUNT_ID);
        assertThat(((RequestRecordParser.Rejected) x.result(7)).reason()).isEqualTo(QuarantineReason.NOT_JSON);
        assertThat(x.result(8)).isEqualTo(new RequestRecordParser.Accepted("globex", globex, error));
        assertThat(x.result(9)).isEqualTo(new RequestRecordParser.Accepted("globex", globex, ok));
        // every request record keeps its stream record's position; a log event also its origin
        for (int i = 0; i < 8; i++) {
            assertThat(x.records().get(i).sequenceNumber()).isEqualTo(AccessLogPayloads.SEQ_REST);
            assertThat(x.delivered(i).sequenceNumber()).isEqualTo(AccessLogPayloads.SEQ_REST);
        }
        assertThat(x.records().get(8).sequenceNumber()).isEqualTo(AccessLogPayloads.SEQ_HTTP);
        LogEventOrigin origin = x.origin(7);
        assertThat(origin.logGroup()).isEqualTo(AccessLogPayloads.REST_GROUP);
        assertThat(origin.logStream()).isEqualTo("a1b2c3d4e5f60718293a4b5c6d7e8f90");
        assertThat(origin.eventId()).hasSize(56);
        // the quarantine gets the event's line as payload, not the whole gzip record
        assertThat(new String(x.records().get(7).data(), StandardCharsets.UTF_8)).startsWith("203.0.113.9 - - [");
    }

    @Test
    @DisplayName("a control message is skipped and counted: no request record")
    void controlMessageIsCounted() {
        StreamPayloads.Expanded x = expand("access-log-control-message.json");
        assertThat(x.size()).isZero();
        assertThat(x.controlMessages()).isEqualTo(1);
    }

    @Test
    @DisplayName("D1 a payload that cannot be read is one request record, quarantined UNREADABLE_LOG_PAYLOAD whole")
    void unreadablePayloads() {
        StreamPayloads.Expanded x = expand("access-log-unreadable.json");
        assertThat(x.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(((RequestRecordParser.Rejected) x.result(i)).reason())
                    .isEqualTo(QuarantineReason.UNREADABLE_LOG_PAYLOAD);
            assertThat(x.origin(i)).isNull();
            assertThat(x.records().get(i)).isSameAs(x.delivered(i));
        }
        assertThat(((RequestRecordParser.Rejected) x.result(0)).detail())
                .isEqualTo("subscription payload: not a complete gzip stream");
        assertThat(((RequestRecordParser.Rejected) x.result(1)).detail()).isEqualTo("subscription payload: logStream absent");
    }

    @Test
    @DisplayName("D1 records and subscription payloads share a batch: each read by its own shape, in order")
    void mixedBatch() {
        List<StreamRecord> mixed = new java.util.ArrayList<>(Events.records("request-records.json").subList(0, 2));
        mixed.addAll(Events.records("access-log-control-message.json"));
        mixed.addAll(Events.records("access-log-records.json").subList(1, 2));
        StreamPayloads.Expanded x = payloads.expand(mixed, NOW, Long.MIN_VALUE);
        assertThat(x.size()).isEqualTo(2 + 2);
        assertThat(x.controlMessages()).isEqualTo(1);
        assertThat(x.origin(0)).isNull();
        assertThat(x.origin(2).logGroup()).isEqualTo(AccessLogPayloads.HTTP_GROUP);
        assertThat(x.delivered(2)).isSameAs(mixed.get(3));
    }
}
