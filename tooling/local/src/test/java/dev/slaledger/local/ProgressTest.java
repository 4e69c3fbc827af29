package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    @DisplayName("issue 19 item 2: a long phase shows its rate and the time left; a file phase megabytes and records")
    void rateAndEta() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (Progress p = new Progress(out, "month-end (SQS)", 400, "messages", false)) {
            p.advance(100);
            String line = p.line(0.25, System.nanoTime() + 1_000_000_000L);
            assertThat(line).contains("100/400 messages").contains("messages/s").contains("ETA ");
        }
        try (Progress p = new Progress(out, "ingest (Kinesis)", 200_000_000, Progress.BYTES, false)) {
            p.at(50_000_000, 700_000);
            assertThat(p.line(0.25, System.nanoTime())).contains("50.0/200.0 MB").contains("MB/s")
                    .contains("700,000 records").contains("records/s").contains("ETA ");
        }
        assertThat(buffer.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("month-end")).toList())
                .as("non-terminal (a log): a line at 0 %, one per quarter reached, and where it stopped at close")
                .hasSize(3).anySatisfy(l -> assertThat(l).contains(" 25%"));
        assertThat(Progress.duration(42.04)).isEqualTo("42.0 s");
        assertThat(Progress.duration(245)).isEqualTo("4 min 05 s");
        assertThat(Progress.duration(3720)).isEqualTo("1 h 02 min");
    }

    @Test
    @DisplayName("issue 28 item 5: a bar whose total was an estimate ends at its true total, at 100 %")
    void endsAtTrueTotal() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (Progress p = new Progress(out, "month-end (SQS)", 400, "messages", false)) {
            p.advance(130);
        }
        try (Progress p = new Progress(out, "statements", 10, "reads", false)) {
            // nothing happened
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("month-end")).reduce((a, b) -> b).orElseThrow())
                .contains("100%").contains("130/130 messages");
        assertThat(lines.get(lines.size() - 1)).contains("100%").contains("0/0 reads");
    }
}
