package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.testkit.Engines;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.KinesisStreamSource;
import dev.slaledger.testkit.UsesEngines;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Issue 17 item 3 (Kinesis): D1 records put on a real (emulated) stream with PutRecords, read back
 * by the testkit's event source mapping poller (GetShardIterator, GetRecords) and handed to the
 * function as Lambda would: per batch ({@link IngestHandler}) and in tumbling windows
 * ({@link WindowedIngestHandler}), on the engines' Kinesis and DynamoDB (moto serves both).
 */
@UsesEngines
class KinesisStreamIT {

    private static String stream(KinesisClient kinesis, TrafficGenerator traffic) {
        String name = "requests-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(name).shardCount(2));
        for (int i = 0; i < 50 && kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE; i++) {
            Thread.onSpinWait();
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (List<KinesisEvent.KinesisEventRecord> shard : traffic.shards) {
            for (KinesisEvent.KinesisEventRecord r : shard) {
                ByteBuffer data = r.getKinesis().getData().duplicate();
                entries.add(PutRecordsRequestEntry.builder().partitionKey(r.getKinesis().getPartitionKey())
                        .data(SdkBytes.fromByteBuffer(data)).build());
            }
        }
        for (int from = 0; from < entries.size(); from += 500) {
            List<PutRecordsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 500));
            PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(name).records(chunk));
            assertThat(put.failedRecordCount()).isZero();
        }
        return name;
    }

    @Test
    @DisplayName("Issue 17.3 / S2.5 records put on the stream reach the aggregates through the mapping, per batch: every record once")
    void perBatchFromTheStream() {
        TrafficGenerator traffic = new TrafficGenerator(21, 1, 600, 12, Events.CLOCK.instant());
        try (Harness h = new Harness(Events.CLOCK); KinesisClient kinesis = Engines.get().kinesis().build()) {
            String name = stream(kinesis, traffic);
            KinesisEsm.Settings settings = new KinesisEsm.Settings(100, Duration.ofSeconds(5), 1, true, true, -1,
                    Duration.ZERO);
            KinesisEsm.Stats stats = new KinesisEsm(settings, new KinesisStreamSource(kinesis, name),
                    KinesisEsm.perBatch(e -> h.handler.handleRequest(e, null)), KinesisEsm.Chaos.NONE).drain();
            assertThat(stats.recordsDelivered).isEqualTo(traffic.total);
            assertThat(h.aggregates()).isEqualTo(traffic.expected);
            assertThat(h.quarantine()).hasSize(traffic.bad);
        }
    }

    @Test
    @DisplayName("Issue 18 / S2.5 records put on the stream, tumbling windows: one conditional write per key of each shard's window, every record once")
    void windowedFromTheStream() {
        TrafficGenerator traffic = new TrafficGenerator(22, 1, 600, 12, Events.CLOCK.instant());
        try (Harness h = new Harness(Events.CLOCK); KinesisClient kinesis = Engines.get().kinesis().build()) {
            String name = stream(kinesis, traffic);
            WindowedIngestHandler handler = h.windowed(Events.CLOCK, WindowedIngest.DEFAULT_BUDGET_BYTES);
            KinesisEsm.Settings settings = new KinesisEsm.Settings(100, Duration.ofSeconds(5), 1, true, true, -1,
                    Duration.ofSeconds(900));
            KinesisEsm.Stats stats = new KinesisEsm(settings, new KinesisStreamSource(kinesis, name),
                    KinesisEsm.windowed(e -> handler.handleRequest(e, null)), KinesisEsm.Chaos.NONE).drain();
            assertThat(stats.recordsDelivered).isEqualTo(traffic.total);
            assertThat(h.aggregates()).isEqualTo(traffic.expected);
            assertThat(h.quarantine()).hasSize(traffic.bad);
            // the records were put within seconds, so each shard's window holds them all, and the
            // partition key (the account) puts each key on one shard: one write per key, however many batches
            assertThat(stats.invocations - stats.finalInvocations).isGreaterThan(2);
            assertThat(h.counter.count("UpdateItem", h.config.aggregatesTable())).isEqualTo(traffic.expected.size());
        }
    }
}
