package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.port.MailSender;
import dev.slaledger.core.port.memory.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("D2: an account becomes billing events the real parser accepts (contact, one purchase per term, fees)")
    void accountToBillingEvents() throws Exception {
        String d2 = "{\"accountId\":\"acme\",\"email\":\"a@acme.example\",\"locale\":\"zh-CN\","
                + "\"terms\":[{\"start\":\"2026-03-17\",\"end\":\"2026-06-16\"},{\"start\":\"2026-09-01\",\"end\":\"2026-12-31\"}],"
                + "\"fees\":{\"2026-03\":{\"amount\":\"1000.00\",\"voucherPaid\":\"100.00\",\"currency\":\"CNY\"},"
                + "\"2026-04\":{\"amount\":\"1000.00\",\"currency\":\"CNY\"}}}";
        List<BillingEvent> events = new ArrayList<>();
        for (String e : BillingEvents.of(JSON.readTree(d2), "test", Instant.parse("2026-03-16T00:00:00Z"))) {
            events.add(new BillingEventParser().parse(e));
        }
        assertThat(events).hasSize(5);
        assertThat(events.get(0)).isInstanceOf(ContactChanged.class);
        assertThat(events.stream().filter(e -> e instanceof SubscriptionPurchased).count()).isEqualTo(2);
        FeeAssessed april = (FeeAssessed) events.get(4);
        assertThat(april.fee().voucherPaid().toString()).as("a fee without voucherPaid was paid without vouchers")
                .isEqualTo("0.00 CNY");
    }

    @Test
    @DisplayName("D2: an entry without accountId is refused naming the entry")
    void accountWithoutId() {
        assertThatThrownBy(() -> BillingEvents.of(JSON.readTree("{\"email\":\"x@y.example\",\"terms\":[]}"),
                "accounts.json entry 3", Instant.EPOCH)).isInstanceOf(InputException.class)
                .hasMessageContaining("accounts.json entry 3").hasMessageContaining("accountId");
    }

    @Test
    @DisplayName("D1 JSONL: streamed a line at a time, one record per non-blank line, CRLF tolerated, line numbers kept")
    void trafficLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, "{\"a\":1}\r\n\n  \n{\"b\":2}\nnot json", StandardCharsets.UTF_8);
        List<byte[]> records = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> batchSizes = new ArrayList<>();
        TrafficFile.Stats stats = new TrafficFile(file, Set.of(), Set.of(), Instant.EPOCH).stream(2, b -> {
            batchSizes.add(b.size());
            records.addAll(b.records());
            for (int i = 0; i < b.size(); i++) {
                labels.add(b.label(i));
            }
        }, n -> { });
        assertThat(stats.blank()).isEqualTo(2);
        assertThat(stats.lines()).isEqualTo(5);
        assertThat(batchSizes).as("Kinesis-sized batches, the last one smaller").containsExactly(2, 1);
        assertThat(labels).containsExactly("line 1", "line 4", "line 5");
        assertThat(new String(records.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(new String(records.get(2), StandardCharsets.UTF_8)).isEqualTo("not json");
    }

    /** A D1 record of the account acme. */
    private static final String ACME = "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-01T00:00:00Z\",\"status\":200,"
            + "\"reached\":true,\"exclusion\":null}";

    @Test
    @DisplayName("D1 streaming: --account keeps only its lines (bad lines always go to quarantine), unknown accounts "
            + "are counted, a line longer than the read buffer is whole")
    void trafficAccounts(@TempDir Path dir) throws Exception {
        String a = ACME;
        String b = a.replace("acme", "globex");
        String ghost = a.replace("acme", "ghost");
        String longLine = a.replace("\"status\"", "\"pad\":\"" + "x".repeat(3 << 20) + "\",\"status\"");
        Path file = Files.writeString(dir.resolve("r.jsonl"),
                String.join("\n", a, b, ghost, ghost, "not json", longLine) + "\n", StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        TrafficFile.Stats stats = new TrafficFile(file, Set.of("acme", "ghost"), Set.of("acme", "globex"),
                Instant.parse("2026-11-10T08:00:00Z")).stream(500, batch -> {
                    for (int i = 0; i < batch.size(); i++) {
                        kept.add(batch.label(i) + " " + batch.records().get(i).length);
                    }
                }, n -> { });
        assertThat(kept).containsExactly("line 1 " + a.length(), "line 3 " + ghost.length(),
                "line 4 " + ghost.length(), "line 5 8", "line 6 " + longLine.length());
        assertThat(stats.skipped()).as("globex: not chosen").isEqualTo(1);
        assertThat(stats.unknownAccounts()).containsExactly(Map.entry("ghost", 2L));
        assertThat(stats.records()).isEqualTo(5);
    }

    @Test
    @DisplayName("D1 read ahead: the same batches, labels and counts as the plain stream, handed over in the calling "
            + "thread; a sink's error stops the reader and reaches the caller; a read error reaches the caller")
    void trafficReadAhead(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            text.append(i % 97 == 0 ? "not json" : i % 89 == 0 ? "" : ACME.replace("acme", "acct-" + (i % 13)))
                    .append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path file = Files.writeString(dir.resolve("r.jsonl"), text, StandardCharsets.UTF_8);
        TrafficFile traffic = new TrafficFile(file, Set.of("acct-1", "acct-2", "acct-3"), Set.of("acct-1", "acct-4"),
                Instant.parse("2026-11-10T08:00:00Z"));
        List<String> plain = new ArrayList<>();
        TrafficFile.Stats plainStats = traffic.stream(7, b -> plain.add(render(b)), n -> { });
        List<String> ahead = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<Long> positions = new ArrayList<>();
        TrafficFile.Stats aheadStats = traffic.streamAhead(7, b -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            ahead.add(render(b));
        }, positions::add);
        assertThat(ahead).isEqualTo(plain).hasSizeGreaterThan(100);
        assertThat(aheadStats).usingRecursiveComparison().isEqualTo(plainStats);
        assertThat(positions).last().isEqualTo(Files.size(file));

        int[] handed = {0};
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            assertThatThrownBy(() -> traffic.streamAhead(7, b -> {
                if (++handed[0] == 3) {
                    throw new IllegalStateException("the handler failed");
                }
            }, n -> { })).hasMessage("the handler failed");
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("traffic-reader")) {
                    t.join(5_000);
                    assertThat(t.isAlive()).as("the reader ends once the consumer is gone").isFalse();
                }
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(handed[0]).as("nothing handed over after the sink failed").isEqualTo(3);
        assertThat(uncaught).as("the reader ends quietly: nothing on the terminal").isEmpty();

        Path broken = Files.write(dir.resolve("broken.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        assertThatThrownBy(() -> new TrafficFile(broken, Set.of(), Set.of(), Instant.EPOCH).streamAhead(7, b -> { },
                n -> { })).isInstanceOf(RuntimeException.class).hasMessageContaining("broken.jsonl.gz");
    }

    private static String render(TrafficFile.Batch b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            s.append(b.label(i)).append('=').append(new String(b.records().get(i), StandardCharsets.UTF_8)).append(';');
        }
        return s.toString();
    }

    @Test
    @DisplayName("D5: one object or an array of versions; an invalid version is refused with its position")
    void terms(@TempDir Path dir) throws Exception {
        String v = new String(getClass().getResourceAsStream("/dev/slaledger/core/terms/default-terms.json")
                .readAllBytes(), StandardCharsets.UTF_8);
        Path one = Files.writeString(dir.resolve("one.json"), v);
        assertThat(ReplayInputs.readTerms(one)).hasSize(1);
        Path bad = Files.writeString(dir.resolve("bad.json"), "[" + v + ",{\"version\":\"x\"}]");
        assertThatThrownBy(() -> ReplayInputs.readTerms(bad)).isInstanceOf(InputException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    @DisplayName("the file outbox writes one RFC 5322 message per notice, non-ASCII subjects as encoded words")
    void fileOutbox(@TempDir Path dir) throws Exception {
        FileOutbox outbox = new FileOutbox(dir, "sla@provider.example", new SettableClock(Instant.parse("2026-11-02T09:00:00Z")));
        String id = outbox.send(new MailSender.Mail("ops@acme.example", "SLA 变更通知", "text", "<p>html</p>"),
                Map.of("sla-notice-attempt", "a1"));
        String eml = Files.readString(dir.resolve(id + ".eml"));
        assertThat(eml).contains("To: ops@acme.example\r\n").contains("From: sla@provider.example\r\n")
                .contains("Subject: =?UTF-8?B?").contains("multipart/alternative").contains("text/html")
                .contains("Date: Mon, 2 Nov 2026 09:00:00 GMT");
    }
}
