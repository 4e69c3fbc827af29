package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Usage and input errors (issue 19 item 3): one line each, exit 2 for the command line and 1 for an
 * input file, no stack trace, all of them found before any engine starts (these runs take no engine:
 * a test that started moto would be an IT).
 */
class CommandLineTest {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("SLA_LOCAL_REPO_ROOT", "../.."));

    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SlaLocal.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] replay(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("replay",
                "--terms", ROOT.resolve("examples/terms.json").toString(),
                "--accounts", ROOT.resolve("examples/accounts.json").toString(),
                "--traffic", ROOT.resolve("examples/traffic.jsonl").toString(),
                "--month", "2026-10", "--now", "2026-11-10T08:00:00Z",
                "--out", dir.resolve("s.json").toString()));
        for (int i = 0; i < extra.length; i += 2) {
            int at = args.indexOf(extra[i]);
            if (at >= 0) {
                args.set(at + 1, extra[i + 1]);
            } else {
                args.add(extra[i]);
                args.add(extra[i + 1]);
            }
        }
        return args.toArray(String[]::new);
    }

    private static void oneLine(Run r, int exit, String... fragments) {
        assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(exit);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
        assertThat(r.out()).as("nothing started").doesNotContain("Starting the local engines");
    }

    @Test
    @DisplayName("a month that is not YYYY-MM or not a month is a usage error: one line, exit 2 (replay and demo)")
    void badMonth(@TempDir Path dir) {
        oneLine(run(replay(dir, "--month", "2026-13")), 2, "--month", "2026-13");
        oneLine(run(replay(dir, "--month", "26-10")), 2, "--month", "YYYY-MM");
        oneLine(run("demo", "--month", "2026-13"), 2, "--month");
        oneLine(run("demo", "--month", "26-10"), 2, "--month");
    }

    @Test
    @DisplayName("an instant that is not ISO-8601 is a usage error: exit 2")
    void badInstant(@TempDir Path dir) {
        oneLine(run(replay(dir, "--now", "yesterday")), 2, "--now", "ISO-8601");
    }

    @Test
    @DisplayName("an output path that cannot be written is a usage error found before the run, exit 2")
    void unwritableOutput(@TempDir Path dir) throws Exception {
        oneLine(run(replay(dir, "--out", "/proc/nope/x.json")), 2, "--out", "/proc/nope/x.json");
        oneLine(run(replay(dir, "--report", dir.toString())), 2, "--report", "is a directory");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        oneLine(run(replay(dir, "--work-dir", file.resolve("sub").toString())), 2, "--work-dir");
    }

    @Test
    @DisplayName("S9.8 --forecast-at after --now, or with --events, and S9.6 an unwritable --evidence: usage errors, exit 2")
    void forecastAndEvidenceUsage(@TempDir Path dir) throws Exception {
        oneLine(run(replay(dir, "--forecast-at", "2026-11-11T00:00:00Z")), 2, "--forecast-at", "after --now");
        oneLine(run(replay(dir, "--forecast-at", "2026-10-20T02:00:00Z", "--events",
                ROOT.resolve("examples/timeline.jsonl").toString())), 2, "--forecast-at", "--events");
        oneLine(run(replay(dir, "--forecast-at", "someday")), 2, "--forecast-at");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        oneLine(run(replay(dir, "--evidence", file.resolve("sub").toString())), 2, "--evidence");
    }

    @Test
    @DisplayName("an unknown option is one line and exit 2, naming the command's help")
    void unknownOption(@TempDir Path dir) {
        oneLine(run(replay(dir, "--bogus", "1")), 2, "--bogus", "sla-local replay --help");
    }

    @Test
    @DisplayName("-V prints the version, on the tool and on each command")
    void version() {
        for (String[] args : List.of(new String[] {"-V"}, new String[] {"replay", "-V"}, new String[] {"demo", "-V"})) {
            Run r = run(args);
            assertThat(r.exit()).isZero();
            assertThat(r.out().strip()).isEqualTo(SlaLocal.VERSION);
        }
    }

    @Test
    @DisplayName("a terms file that is not JSON names file:line:column, exit 1")
    void termsNotJson(@TempDir Path dir) throws Exception {
        Path terms = Files.writeString(dir.resolve("terms.json"), "{\n  \"version\": \"x\",\n  oops\n}");
        oneLine(run(replay(dir, "--terms", terms.toString())), 1, terms + ":3:");
    }

    @Test
    @DisplayName("D5: an invalid version names the file and the D5 path of the field, exit 1")
    void termsInvalid(@TempDir Path dir) throws Exception {
        String v = Files.readString(ROOT.resolve("examples/terms.json"));
        Path terms = Files.writeString(dir.resolve("terms.json"), v.replaceFirst("\"commitment\"\\s*:\\s*\"[^\"]*\"",
                "\"commitment\": \"abc\""));
        Run r = run(replay(dir, "--terms", terms.toString()));
        oneLine(r, 1, terms.toString(), "commitment");
    }

    @Test
    @DisplayName("D2: an invalid fee names the file, the line of the account's entry and the D2 path (fees.2026-10.currency), exit 1")
    void accountInvalid(@TempDir Path dir) throws Exception {
        String a = Files.readString(ROOT.resolve("examples/accounts.json"));
        Path accounts = Files.writeString(dir.resolve("accounts.json"), a.replaceFirst("\"EUR\"", "\"EURO\""));
        oneLine(run(replay(dir, "--accounts", accounts.toString())), 1, accounts + " line 2, entry 1 (acme)",
                "fees.2026-10.currency: currency EURO is not an ISO 4217 code");
    }

    @Test
    @DisplayName("--account naming no account of the file is an input error, exit 1")
    void unknownAccount(@TempDir Path dir) {
        oneLine(run(replay(dir, "--account", "nobody")), 1, "--account nobody");
    }

    @Test
    @DisplayName("a missing traffic file names the file, exit 1")
    void missingTraffic(@TempDir Path dir) {
        oneLine(run(replay(dir, "--traffic", dir.resolve("none.jsonl").toString())), 1, "none.jsonl");
    }
}
