package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.SequenceNumbers;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.KinesisStreamSource;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Issue 26 item 6, on moto's Kinesis and DynamoDB: a batch the deployed mapping gives up on (its
 * records older than MaximumRecordAge after retries an hour apart) reaches the on-failure destination as
 * shard and sequence range; the window goes on, and later records of the same keys move their marks past
 * the abandoned ones. {@link ReingestCommand} then re-ingests the range from the stream: every abandoned
 * record counted once (none below a mark skipped), the rest not twice, and a second run adds nothing.
 */
@UsesEngines
class ReingestIT {

    @Test
    @DisplayName("Issue 26.6 / S2.5 records the mapping gave up on are re-ingested exactly once by the operator command, below their keys' high-water marks; again: nothing added")
    void abandonedRangeIsReingestedOnce() {
        TrafficGenerator traffic = new TrafficGenerator(31, 1, 300, 6, Events.CLOCK.instant());
        TrafficGenerator first = new TrafficGenerator(31, 1, 300, 6, Events.CLOCK.instant());
        first.shards.set(0, first.shards.get(0).subList(0, 140));
        TrafficGenerator later = new TrafficGenerator(31, 1, 300, 6, Events.CLOCK.instant());
        later.shards.set(0, later.shards.get(0).subList(140, 300));
        try (Harness h = new Harness(Events.CLOCK); KinesisClient kinesis = Engines.get().kinesis().build()) {
            String name = KinesisStreamIT.stream(kinesis, first, 1);
            String arn = KinesisStreamIT.arn(kinesis, name);
            IngestWiring wiring = new IngestWiring(h.config, h.dynamo, kinesis, Events.CLOCK);
            WindowedIngestHandler handler = wiring.handler();
            KinesisStreamSource source = new KinesisStreamSource(kinesis, name);
            String shard = source.shards().get(0);
            List<KinesisEsm.SourceRecord> put = source.read(shard, null, 10_000);
            // the function cannot take records 100..139 of the shard: an outage that outlives the mapping's
            // patience (retries an hour apart, the records 6 days old in the end)
            Set<String> poisoned = new HashSet<>();
            for (KinesisEsm.SourceRecord r : put.subList(100, 140)) {
                poisoned.add(r.sequenceNumber());
            }
            KinesisEsm.Function windowed = KinesisEsm.windowed(e -> handler.handleRequest(e, null));
            KinesisEsm.Function function = inv -> {
                for (KinesisEsm.SourceRecord r : inv.records()) {
                    if (poisoned.contains(r.sequenceNumber())) {
                        throw new IllegalStateException("the aggregates table is unreachable for these records");
                    }
                }
                return windowed.invoke(inv);
            };
            KinesisEsm.Chaos hourApart = new KinesisEsm.Chaos() {
                @Override
                public Duration retryDelay(int attempt) {
                    return Duration.ofHours(1);
                }
            };
            KinesisEsm.Settings deployed = KinesisEsm.Settings.deployed();
            KinesisEsm.Stats stats = new KinesisEsm(deployed.withBatch(64, deployed.batchingWindow()), source, function,
                    hourApart, arn).drain();
            assertThat(stats.discardedRecords).isEqualTo(40);
            assertThat(stats.onFailure).isNotEmpty();
            assertThat(stats.onFailure).allSatisfy(m -> assertThat(m).contains("\"condition\":\"RecordAgeExceeded\"",
                    "\"streamArn\":\"" + arn + "\"", "\"shardId\":\"" + shard + "\""));

            // the stream goes on: later records of the same keys are applied, their marks pass the abandoned ones
            KinesisStreamIT.put(kinesis, name, later);
            String checkpoint = put.get(put.size() - 1).sequenceNumber();
            KinesisEsm.RecordSource after = new KinesisEsm.RecordSource() {
                @Override
                public List<String> shards() {
                    return source.shards();
                }

                @Override
                public List<KinesisEsm.SourceRecord> read(String shardId, String afterSequence, int max) {
                    return source.read(shardId, afterSequence == null ? checkpoint : afterSequence, max);
                }
            };
            assertThat(new KinesisEsm(deployed.withBatch(64, deployed.batchingWindow()), after, windowed,
                    KinesisEsm.Chaos.NONE, arn).drain().discardedRecords).isZero();
            assertThat(h.aggregates()).isNotEqualTo(traffic.expected);
            String lastPoisoned = put.get(139).sequenceNumber();
            long marksPast = h.aggregates().keySet().stream().filter(k -> {
                String mark = mark(h, k, shard);
                return mark != null && SequenceNumbers.compare(mark, lastPoisoned) > 0;
            }).count();
            assertThat(marksPast).as("keys whose mark passed the abandoned records").isPositive();

            List<ReingestCommand.Range> ranges = new ArrayList<>();
            for (String message : stats.onFailure) {
                ranges.add(ReingestCommand.fromMessage(message));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ReingestCommand.run(wiring, ranges, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
            assertThat(h.aggregates()).isEqualTo(traffic.expected);
            assertThat(h.quarantine()).hasSize(traffic.bad);
            for (String accountMonth : traffic.lateAccountMonths) {
                String[] parts = accountMonth.split(" ");
                assertThat(h.staleMarks.staleMark(parts[0], java.time.YearMonth.parse(parts[1]))).isPresent();
            }

            // run again (an operator who is not sure it ran): nothing added
            out.reset();
            assertThat(ReingestCommand.run(wiring, ranges, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(" 0 added now");
            assertThat(h.aggregates()).isEqualTo(traffic.expected);
        }
    }

    @Test
    @DisplayName("Issue 26.6 a range the stream no longer holds (or not a record of the shard) is refused with a clear line, exit 1; a message that is not an on-failure message is a usage error")
    void rangeNotInTheStream() {
        TrafficGenerator traffic = new TrafficGenerator(32, 1, 20, 3, Events.CLOCK.instant());
        try (Harness h = new Harness(Events.CLOCK); KinesisClient kinesis = Engines.get().kinesis().build()) {
            String name = KinesisStreamIT.stream(kinesis, traffic);
            String arn = KinesisStreamIT.arn(kinesis, name);
            IngestWiring wiring = new IngestWiring(h.config, h.dynamo, kinesis, Events.CLOCK);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = ReingestCommand.run(wiring, List.of(new ReingestCommand.Range(arn, "shardId-000000000000",
                    "999999", "1000000")), new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("no longer holds the range's first record");
            assertThat(h.aggregates()).isEmpty();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReingestCommand.fromMessage("{\"Records\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KinesisBatchInfo");
    }

    private static String mark(Harness h, String key, String shard) {
        String account = key.substring(0, key.indexOf('@'));
        long interval = Long.parseLong(key.substring(key.indexOf('@') + 1));
        Map<String, AttributeValue> item = h.dynamo.getItem(b -> b.tableName(h.config.aggregatesTable()).key(Map.of(
                "a", AttributeValue.fromS(account), "i", AttributeValue.fromN(Long.toString(interval))))).item();
        String attr = "h" + shard.substring("shardId-".length()).replaceFirst("^0+(?=.)", "");
        AttributeValue v = item.get(attr);
        return v == null ? null : SequenceNumbers.decode(v.b().asByteArray());
    }
}
