package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.slaledger.testkit.UsesEngines;
import java.time.YearMonth;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3.3 / 3.7: thousands of records on several shards, delivered by a simulated Kinesis
 * event source mapping that redelivers, bisects and retries from reported failures, while
 * the function crashes after k of n writes (before or after the write lands) or sees writes
 * fail. At the end the aggregates must equal one clean delivery: no double count, no loss.
 */
@UsesEngines
class FaultInjectionIT {

    /** What Lambda's Kinesis event source mapping does with one shard, reduced to its delivery rules. */
    private static final class ShardMapping {
        final List<KinesisEvent.KinesisEventRecord> records;
        int checkpoint;
        /** Sub-batches still to deliver, after a bisection: [from, to). */
        final Deque<int[]> pending = new ArrayDeque<>();

        ShardMapping(List<KinesisEvent.KinesisEventRecord> records) {
            this.records = records;
        }

        boolean done() {
            return checkpoint >= records.size() && pending.isEmpty();
        }

        KinesisEvent event(int from, int to) {
            KinesisEvent e = new KinesisEvent();
            e.setRecords(new ArrayList<>(records.subList(from, to)));
            return e;
        }

        int indexOf(String seq, int from, int to) {
            for (int i = from; i < to; i++) {
                if (records.get(i).getKinesis().getSequenceNumber().equals(seq)) {
                    return i;
                }
            }
            throw new AssertionError("batch item failure " + seq + " is not in the delivered batch");
        }
    }

    private record Stats(int invocations, int crashes, int partialFailures, int bisections, int redeliveries) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("Issue 3.3 random redelivery, bisection and crashes after k of n writes: aggregates equal one clean delivery")
    void randomSchedules(long seed) {
        run(seed, new TrafficGenerator(seed, 3, 1500, 40, Events.CLOCK.instant()), 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5})
    @DisplayName("Issue 21 stream records carrying hundreds of access-log events, next to D1 records: redelivery, "
            + "bisection and crashes after k of n writes count each log event once")
    void accessLogPayloads(long seed) {
        // fewer accounts than the D1 runs: moto's ~160 conditional writes/s bound the run, not the events
        TrafficGenerator traffic = new TrafficGenerator(seed, 3, 250, 10, Events.CLOCK.instant(), 25);
        assertThat(traffic.logEvents).isGreaterThan(5_000);
        assertThat(traffic.controlMessages).isPositive();
        run(seed, traffic, 30);
    }

    /** Delivers every shard of {@code traffic} in batches of at most {@code maxBatch} stream records, faults at random. */
    private void run(long seed, TrafficGenerator traffic, int maxBatch) {
        Random rnd = new Random(seed * 7919);
        int invocations = 0;
        int crashes = 0;
        int partialFailures = 0;
        int bisections = 0;
        int redeliveries = 0;
        try (Harness h = new Harness(Events.CLOCK)) {
            List<ShardMapping> shards = traffic.shards.stream().map(ShardMapping::new).toList();
            while (shards.stream().anyMatch(s -> !s.done())) {
                List<ShardMapping> open = shards.stream().filter(s -> !s.done()).toList();
                ShardMapping m = open.get(rnd.nextInt(open.size()));
                if (m.pending.isEmpty()) {
                    m.pending.add(new int[] {m.checkpoint, Math.min(m.records.size(), m.checkpoint + 1 + rnd.nextInt(maxBatch))});
                }
                int[] batch = m.pending.peek();
                int size = batch[1] - batch[0];
                if (rnd.nextInt(100) < 40) {
                    FaultInjector.Mode mode = FaultInjector.Mode.values()[rnd.nextInt(3)];
                    h.faults.arm(1 + rnd.nextInt(Math.max(1, Math.min(size, 60))), mode);
                }
                invocations++;
                try {
                    StreamsEventResponse response = h.deliver(m.event(batch[0], batch[1]));
                    if (response.getBatchItemFailures().isEmpty()) {
                        m.pending.poll();
                        m.checkpoint = Math.max(m.checkpoint, batch[1]);
                    } else {
                        partialFailures++;
                        assertThat(response.getBatchItemFailures()).hasSize(1);
                        m.checkpoint = m.indexOf(response.getBatchItemFailures().get(0).getItemIdentifier(),
                                batch[0], batch[1]);
                        m.pending.clear();
                    }
                } catch (FaultInjector.SimulatedCrash crash) {
                    crashes++;
                    if (size > 1 && rnd.nextBoolean()) { // BisectBatchOnFunctionError
                        bisections++;
                        m.pending.poll();
                        int mid = batch[0] + size / 2;
                        m.pending.push(new int[] {mid, batch[1]});
                        m.pending.push(new int[] {batch[0], mid});
                    }
                } finally {
                    h.faults.disarm();
                }
                if (m.checkpoint > 0 && rnd.nextInt(100) < 8) { // at-least-once: an applied batch comes again
                    redeliveries++;
                    int to = 1 + rnd.nextInt(m.checkpoint);
                    int from = Math.max(0, to - 1 - rnd.nextInt(maxBatch));
                    invocations++;
                    assertThat(h.deliver(m.event(from, to)).getBatchItemFailures()).isEmpty();
                }
            }

            Stats stats = new Stats(invocations, crashes, partialFailures, bisections, redeliveries);
            System.out.println("seed " + seed + ": " + traffic.total + " records, " + stats);
            assertThat(crashes).isPositive();
            assertThat(partialFailures).isPositive();
            assertThat(h.aggregates()).isEqualTo(traffic.expected);
            assertThat(h.quarantine()).hasSize(traffic.bad);
            for (String accountMonth : traffic.lateAccountMonths) {
                String[] parts = accountMonth.split(" ");
                assertThat(h.staleMarks.staleMark(parts[0], YearMonth.parse(parts[1]))).as(accountMonth).isPresent();
            }
        }
    }
}
