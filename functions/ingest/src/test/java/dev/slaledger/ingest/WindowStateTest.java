package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.memory.InMemoryAggregates;
import dev.slaledger.core.port.AggregateStore;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.traffic.Retention;
import dev.slaledger.core.traffic.StreamRecord;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 item 1, the fix as a property: how a window's state is cut into conditional writes depends on
 * its records alone. The same records, split into batches at random places (a retry, a bisected half, a
 * batch of another size) and carried from invocation to invocation through the encoded state, give the
 * very same writes (a bisected batch sends some again, which the marks skip): the same keys, the same
 * ranges, the same sums, in the same segments, in the same order. And the size the
 * cut is decided on bounds the encoded state from above, by at most 3 bytes per entry.
 */
class WindowStateTest {
    private static final String SHARD = "shardId-000000000007";
    private static final String[] ACCOUNTS = {"acme", "globex", "a\"quoted\\id", "ünïcödé", "日本の会社", "emoji-😀-co",
            "tab\tin-id-is-bad", "x".repeat(200), "initech", "hooli", "acct-0000000001", "acct-0000000002"};

    private static List<StreamRecord> records(Random rnd, int n) {
        List<StreamRecord> out = new ArrayList<>();
        // crosses a change of length (9,999,... to 10,000,...): the whole number is written then
        BigInteger seq = BigInteger.TEN.pow(20 + rnd.nextInt(30)).subtract(BigInteger.valueOf(rnd.nextInt(5_000)));
        Instant base = Instant.parse("2026-10-03T11:40:00Z");
        for (int i = 0; i < n; i++) {
            seq = seq.add(BigInteger.valueOf(1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 1_000_000)));
            String account = ACCOUNTS[rnd.nextInt(ACCOUNTS.length)] + (rnd.nextInt(4) == 0 ? "-" + rnd.nextInt(40) : "");
            Instant at = base.plusSeconds(rnd.nextInt(1_500));
            String json = rnd.nextInt(3) == 0
                    ? "{\"accountId\":\"" + account.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t")
                            + "\",\"intervalStart\":\"" + Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 300) * 300)
                            + "\",\"valid\":" + (1_000 + rnd.nextInt(1_000_000_000)) + ",\"errors\":" + rnd.nextInt(1000)
                            + excludedByKind(rnd) + "}"
                    : "{\"accountId\":\"" + account.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t")
                            + "\",\"timestamp\":\"" + at + "\",\"status\":" + (rnd.nextInt(5) == 0 ? 503 : 200)
                            + (rnd.nextInt(6) == 0 ? ",\"exclusion\":\"" + KINDS[rnd.nextInt(KINDS.length)] + "\"" : "") + "}";
            out.add(new StreamRecord(SHARD, seq.toString(), at, json.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static final String[] KINDS = {"maintenance", "customer-compromised", "content-ban"};

    /** S9.6: a pre-aggregated record's excluded errors, now and then with some of them by kind (x/m/c/b in the state). */
    private static String excludedByKind(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> ",\"excludedErrors\":" + rnd.nextInt(50);
            case 1 -> ",\"excludedErrors\":" + (30 + rnd.nextInt(20)) + ",\"excludedMaintenance\":" + rnd.nextInt(10)
                    + ",\"excludedCustomerCompromised\":" + rnd.nextInt(10) + ",\"excludedContentBan\":" + rnd.nextInt(10);
            default -> "";
        };
    }

    /** Every write the use case makes, in order: key, parts (shard, first..last, sums), written alone or not. */
    private static final class Recording implements AggregateStore {
        final InMemoryAggregates table = new InMemoryAggregates();
        final List<String> writes = new ArrayList<>();

        @Override
        public ApplyResult apply(KeyBatch batch) {
            StringBuilder b = new StringBuilder(batch.key().accountId()).append('@').append(batch.key().intervalStart());
            for (KeyBatch.Contribution c : batch.contributions()) {
                b.append(" [").append(c.firstSequenceNumber()).append("..").append(c.sequenceNumber()).append(' ')
                        .append(c.counts()).append(']');
            }
            writes.add(b.append(batch.writtenAlone() == null ? "" : " alone").toString());
            return table.apply(batch);
        }

        @Override
        public ApplyResult recover(KeyBatch batch, String shardId, String rangeId) {
            throw new UnsupportedOperationException();
        }
    }

    /** The window's records in random batches, each invocation on the state the previous one returned. */
    private static List<String> window(List<StreamRecord> records, int budget, Random cuts) {
        InMemoryStores stores = new InMemoryStores();
        Recording recording = new Recording();
        IngestService service = new IngestService(new RequestRecordParser(), recording, stores.quarantineStore,
                stores.staleness, Events.CLOCK,
                () -> Retention.fromTerms(List.of(DefaultTerms.version()), Duration.ofDays(92)));
        WindowedIngest windowed = new WindowedIngest(service, budget);
        Map<String, String> state = Map.of();
        int from = 0;
        while (from < records.size()) {
            int to = Math.min(records.size(), from + 1 + cuts.nextInt(12));
            state = deliver(windowed, records.subList(from, to), state);
            from = to;
        }
        windowed.handle(SHARD, List.of(), state, true);
        // a bisected batch's halves start from the same state and send its closed segments again: the
        // repeats are duplicates the marks skip; what a window writes is each distinct write, in order
        return List.copyOf(new java.util.LinkedHashSet<>(recording.writes));
    }

    /** One batch as the mapping delivers it: bisected when the function asks for it (a record to write alone). */
    private static Map<String, String> deliver(WindowedIngest windowed, List<StreamRecord> batch, Map<String, String> state) {
        WindowedIngest.Result r;
        try {
            r = windowed.handle(SHARD, batch, state, false);
        } catch (WindowedIngest.BatchTooLargeForState e) {
            assertThat(batch).hasSizeGreaterThan(1);
            Map<String, String> half = deliver(windowed, batch.subList(0, batch.size() / 2), state);
            return deliver(windowed, batch.subList(batch.size() / 2, batch.size()), half);
        }
        int encoded = WindowState.jsonBytes(r.state());
        assertThat(r.stateBytes()).as("the size the cut is decided on bounds the encoded state")
                .isGreaterThanOrEqualTo(encoded).isLessThanOrEqualTo(encoded + 3 * r.state().size());
        return r.state();
    }

    @Test
    @DisplayName("Issue 26.1 / S2.5 the writes of a window depend on its records alone: 150 random windows, each in 4 random batchings, give identical writes; the state's size bound holds")
    void cutDependsOnTheRecordsAlone() {
        int cutWindows = 0;
        for (long seed = 1; seed <= 150; seed++) {
            Random rnd = new Random(seed);
            List<StreamRecord> records = records(rnd, 20 + rnd.nextInt(120));
            int budget = 150 + rnd.nextInt(3_000);
            List<String> first = window(records, budget, new Random(seed * 31));
            for (int k = 1; k <= 3; k++) {
                assertThat(window(records, budget, new Random(seed * 31 + k))).as("seed %d, batching %d", seed, k)
                        .isEqualTo(first);
            }
            cutWindows += first.stream().map(w -> w.substring(0, w.indexOf(' '))).distinct().count() < first.size() ? 1 : 0;
        }
        assertThat(cutWindows).as("windows cut into several segments").isGreaterThan(40);
    }

    @Test
    @DisplayName("Issue 26.1 a key's last record is kept as the digits after those it shares with the segment's first: "
            + "the shared prefix found by halving equals the one counted a character at a time, and compress/expand "
            + "give back every sequence number")
    void commonPrefixAndCompression() {
        Random rnd = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            int len = 1 + rnd.nextInt(60);
            char[] a = new char[len];
            for (int i = 0; i < len; i++) {
                a[i] = (char) ('0' + rnd.nextInt(10));
            }
            char[] b = a.clone();
            int from = rnd.nextInt(len + 1); // len: the same digits
            for (int i = from; i < len; i++) {
                b[i] = (char) ('0' + rnd.nextInt(10));
            }
            String first = new String(a);
            String seq = new String(b);
            int p = 0;
            while (p < seq.length() - 1 && seq.charAt(p) == first.charAt(p)) {
                p++;
            }
            assertThat(WindowState.commonPrefix(first, seq)).as("%s %s", first, seq).isEqualTo(p);
            String packed = WindowState.compress(first, seq);
            assertThat(WindowState.expand(first, packed)).isEqualTo(seq);
            assertThat(WindowState.compressedLength(first, seq)).isEqualTo(packed.length());
        }
    }
}
