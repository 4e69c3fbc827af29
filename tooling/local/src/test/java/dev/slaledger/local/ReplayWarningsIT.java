package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 2: what would otherwise be a silent wrong answer is a warning with counts, and
 * {@code --account} replays only the chosen accounts, through the real handlers on the local engines.
 */
class ReplayWarningsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("SLA_LOCAL_REPO_ROOT", "../.."));

    private record Run(int exit, String console, ReplayCommand.Result result) {
    }

    private static Run replay(Path traffic, Path dir, String now, String... accounts) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        var cli = SlaLocal.commandLine(out, out);
        List<String> args = new ArrayList<>(List.of("replay",
                "--terms", ROOT.resolve("examples/terms.json").toString(),
                "--accounts", ROOT.resolve("examples/accounts.json").toString(),
                "--traffic", traffic.toString(), "--month", "2026-10", "--now", now,
                "--out", dir.resolve("statements.json").toString(), "--work-dir", dir.resolve("work").toString()));
        for (String a : accounts) {
            args.add("--account");
            args.add(a);
        }
        int exit = cli.execute(args.toArray(String[]::new));
        return new Run(exit, buffer.toString(StandardCharsets.UTF_8),
                ((ReplayCommand) cli.getSubcommands().get("replay").getCommand()).result);
    }

    @Test
    @DisplayName("S2/D1: --account keeps the chosen accounts; traffic of accounts not in D2 and a --now before the "
            + "month has ended are warnings with counts")
    void accountsAndWarnings(@TempDir Path dir) throws Exception {
        String ghost = "{\"accountId\":\"ghost\",\"intervalStart\":\"2026-10-02T10:00:00Z\",\"valid\":10,\"errors\":10}";
        Path traffic = dir.resolve("traffic.jsonl");
        Files.writeString(traffic, Files.readString(ROOT.resolve("examples/traffic.jsonl")) + "\n" + ghost + "\n"
                + ghost.replace("10:00", "10:05") + "\n" + ghost.replace("ghost", "phantom") + "\n");
        Run r = replay(traffic, dir, "2026-10-25T00:00:00Z", "acme", "globex");
        assertThat(r.exit()).as(r.console()).isZero();
        assertThat(r.result().statements()).extracting(s -> s.accountId()).containsExactly("acme", "globex");
        assertThat(r.result().traffic().unknownAccounts()).containsEntry("ghost", 2L).containsEntry("phantom", 1L);
        assertThat(r.result().traffic().skipped()).as("the other D2 accounts' lines").isPositive();
        assertThat(r.result().warnings()).hasSize(2);
        assertThat(r.console())
                .contains("warning: --now 2026-10-25T00:00:00Z is before 2026-10 has ended")
                .contains("warning: 3 records of 2 accounts not in")
                .contains("ghost (2)").contains("phantom (1)")
                .contains("lines of other accounts skipped (--account)");
        JsonNode written = JSON.readTree(dir.resolve("statements.json").toFile());
        assertThat(written).hasSize(2);
    }

    @Test
    @DisplayName("S2: an empty traffic file gives 100 % by definition, and says so in a warning")
    void emptyTraffic(@TempDir Path dir) throws Exception {
        Path traffic = Files.writeString(dir.resolve("empty.jsonl"), "\n");
        Run r = replay(traffic, dir, "2026-11-10T08:00:00Z", "umbrella");
        assertThat(r.exit()).as(r.console()).isZero();
        assertThat(r.result().statements()).extracting(s -> s.availability().toPlainString()).containsExactly("100.0000");
        assertThat(r.result().warnings()).singleElement().asString().contains("has no records");
        assertThat(r.console()).contains("warning: " + traffic + " has no records");
    }
}
