package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.emulators.KinesisEsm;
import dev.slaledger.emulators.KinesisStreamSource;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.nio.ByteBuffer;
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
 * Issue 17 item 3, issue 26 item 3 (Kinesis): D1 records put on a real (emulated) stream with PutRecords,
 * read back by the event source mapping poller (GetShardIterator, GetRecords) with the settings the CDK
 * app deploys, and handed to the deployed handler's whole graph ({@link IngestWiring#handler()}: the
 * windowed use case, its reconciliation of ended shards looking the stream's shards up on the same
 * Kinesis), on the engines' Kinesis and DynamoDB (moto serves both).
 */
@UsesEngines
class KinesisStreamIT {

    static String stream(KinesisClient kinesis, TrafficGenerator traffic) {
        return stream(kinesis, traffic, 2);
    }

    static String stream(KinesisClient kinesis, TrafficGenerator traffic, int shards) {
        String name = "requests-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        for (int i = 0; i < 50 && kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE; i++) {
            Thread.onSpinWait();
        }
        put(kinesis, name, traffic);
        return name;
    }

    /** Puts the traffic's records on the stream, in order. */
    static void put(KinesisClient kinesis, String name, TrafficGenerator traffic) {
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
    }

    static String arn(KinesisClient kinesis, String name) {
        return kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
    }

    /**
     * The traffic put on a new stream of the engines' Kinesis, read back by a mapping of {@code settings}
     * and handed to the deployed handler's whole graph on the harness's tables and that Kinesis.
     */
    private static KinesisEsm.Stats fromStream(Harness h, TrafficGenerator traffic, KinesisEsm.Settings settings) {
        try (KinesisClient kinesis = Engines.get().kinesis().build()) {
            String name = stream(kinesis, traffic);
            WindowedIngestHandler handler = new IngestWiring(h.config, h.dynamo, kinesis, Events.CLOCK).handler();
            return new KinesisEsm(settings, new KinesisStreamSource(kinesis, name),
                    KinesisEsm.windowed(e -> handler.handleRequest(e, null)), KinesisEsm.Chaos.NONE,
                    arn(kinesis, name)).drain();
        }
    }

    /** Every record of the traffic delivered, each counted or quarantined once. */
    private static void assertEveryRecordOnce(TrafficGenerator traffic, KinesisEsm.Stats stats, Harness h) {
        assertThat(stats.recordsDelivered).isEqualTo(traffic.total);
        assertThat(h.aggregates()).isEqualTo(traffic.expected);
        assertThat(h.quarantine()).hasSize(traffic.bad);
    }

    @Test
    @DisplayName("Issue 17.3 / 26.3 / S2.5 records put on the stream, the deployed mapping and handler: every record once, one conditional write per key of each shard's window")
    void deployedMappingFromTheStream() {
        TrafficGenerator traffic = new TrafficGenerator(22, 1, 600, 12, Events.CLOCK.instant());
        KinesisEsm.Settings deployed = KinesisEsm.Settings.deployed();
        try (Harness h = new Harness(Events.CLOCK)) {
            KinesisEsm.Stats stats = fromStream(h, traffic, deployed.withBatch(100, deployed.batchingWindow()));
            assertEveryRecordOnce(traffic, stats, h);
            // the records were put within seconds, so each shard's window holds them all, and the
            // partition key (the account) puts each key on one shard: one write per key, however many batches
            assertThat(stats.invocations - stats.finalInvocations).isGreaterThan(2);
            assertThat(h.counter.count("UpdateItem", h.config.aggregatesTable())).isEqualTo(traffic.expected.size());
        }
    }

    @Test
    @DisplayName("Issue 26.3 the deployed batch size (2,000) and batching window: the same aggregates, fewer invocations")
    void deployedBatchSize() {
        TrafficGenerator traffic = new TrafficGenerator(23, 1, 400, 8, Events.CLOCK.instant());
        try (Harness h = new Harness(Events.CLOCK)) {
            assertEveryRecordOnce(traffic, fromStream(h, traffic, KinesisEsm.Settings.deployed()), h);
        }
    }
}
