package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static ReplayCli replayAccounts(Path traffic, Path dir, String now, String... accounts) {
        List<String> options = new ArrayList<>();
        for (String a : accounts) {
            options.add("--account");
            options.add(a);
        }
        return run(traffic, dir, "2026-10", now, options.toArray(String[]::new));
    }

    private static ReplayCli run(Path traffic, Path dir, String month, String now, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "--terms", ReplayCli.example("terms.json"), "--accounts", ReplayCli.example("accounts.json"),
                "--traffic", traffic.toString(), "--month", month, "--now", now,
                "--out", dir.resolve("statements.json").toString(), "--work-dir", dir.resolve("work").toString()));
        args.addAll(List.of(options));
        return ReplayCli.run(args);
    }

    @Test
    @DisplayName("S2/D1: --account keeps the chosen accounts; traffic of accounts not in D2 and a --now before the "
            + "month has ended are warnings with counts")
    void accountsAndWarnings(@TempDir Path dir) throws Exception {
        String ghost = "{\"accountId\":\"ghost\",\"intervalStart\":\"2026-10-02T10:00:00Z\",\"valid\":10,\"errors\":10}";
        Path traffic = dir.resolve("traffic.jsonl");
        Files.writeString(traffic, Files.readString(ReplayCli.ROOT.resolve("examples/traffic.jsonl")) + "\n" + ghost + "\n"
                + ghost.replace("10:00", "10:05") + "\n" + ghost.replace("ghost", "phantom") + "\n");
        ReplayCli r = replayAccounts(traffic, dir, "2026-10-25T00:00:00Z", "acme", "globex");
        assertThat(r.exit()).as(r.console()).isZero();
        assertThat(r.result().statements()).extracting(s -> s.accountId()).containsExactly("acme", "globex");
        assertThat(r.result().traffic().unknownAccounts()).containsEntry("ghost", 2L).containsEntry("phantom", 1L);
        assertThat(r.result().traffic().skipped()).as("the other D2 accounts' lines").isPositive();
        assertThat(r.result().warnings()).hasSize(3);
        assertThat(r.console())
                .contains("warning: --now 2026-10-25T00:00:00Z is before 2026-10 has ended")
                .as("the records after --now are quarantined (FUTURE_TIMESTAMP): more than 1 %")
                .containsPattern("warning: [0-9]+ of [0-9]+ records \\([0-9.]+ %\\) were quarantined, more than 1 %: "
                        + "\\{[^}]*FUTURE_TIMESTAMP=[0-9]+")
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
        ReplayCli r = replayAccounts(traffic, dir, "2026-11-10T08:00:00Z", "umbrella");
        assertThat(r.exit()).as(r.console()).isZero();
        assertThat(r.result().statements()).extracting(s -> s.availability().toPlainString()).containsExactly("100.0000");
        assertThat(r.result().warnings()).singleElement().asString().contains("has no records");
        assertThat(r.console()).contains("warning: " + traffic + " has no records");
        assertThat(JSON.readTree(dir.resolve("statements.json").toFile()).get(0).path("traffic").asText())
                .as("S3.1: 100 % from no traffic, and the JSON says so").isEqualTo("none");
    }

    @Test
    @DisplayName("S9.5: a month the traffic does not cover (October's file, --month 2026-09) says so; --strict exits 3")
    void monthWithoutTraffic(@TempDir Path dir) throws Exception {
        Path october = ReplayCli.ROOT.resolve("examples/traffic.jsonl");
        ReplayCli r = run(october, dir, "2026-09", "2026-11-10T08:00:00Z", "--engine", "memory");
        assertThat(r.exit()).as(r.console()).isZero();
        assertThat(r.result().coverage().read().inMonth()).isZero();
        assertThat(r.result().coverage().read().outsideMonth()).isEqualTo(1062);
        assertThat(r.result().warnings()).singleElement().asString()
                .startsWith("no record of " + october + " is in 2026-09 (UTC): its 1,062 readable records are from "
                        + "2026-10-01 to 2026-10-31")
                .contains("100 % (S3.1)");
        assertThat(r.console()).contains("coverage of 2026-09 (UTC): 1,067 lines read (1 blank), 1,066 records: 0 in the "
                + "month, 1,062 outside it, 4 the ingest parser cannot read");
        JsonNode statements = JSON.readTree(dir.resolve("statements.json").toFile());
        statements.forEach(s -> assertThat(s.path("traffic").asText()).as(s.toString()).isEqualTo("none"));

        ReplayCli strict = run(october, dir, "2026-09", "2026-11-10T08:00:00Z", "--engine", "memory", "--strict");
        assertThat(strict.exit()).as("--strict: a warning exits 3").isEqualTo(ReplayCommand.WARNED);
        assertThat(strict.console()).contains("--strict: exit 3 (1 warning)");
        assertThat(dir.resolve("statements.json")).as("the files are written either way").isNotEmptyFile();
    }

    @Test
    @DisplayName("D1: a gzipped traffic file is read by its magic bytes; every line quarantined is a warning, --strict 3")
    void gzipAllQuarantined(@TempDir Path dir) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"accountId\":\"acme\",\"timestamp\":\"2026-10-0").append(1 + i % 9)
                    .append("T10:00:00Z\"}\n"); // no status: MISSING_FIELD
        }
        Path gz = dir.resolve("traffic.log"); // no .gz suffix: the bytes decide
        try (var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            z.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        ReplayCli r = run(gz, dir, "2026-10", "2026-11-10T08:00:00Z", "--engine", "memory", "--account", "acme",
                "--strict");
        assertThat(r.exit()).as(r.console()).isEqualTo(ReplayCommand.WARNED);
        assertThat(r.result().traffic().gzip()).isTrue();
        assertThat(r.result().quarantined()).hasSize(40);
        assertThat(r.result().warnings()).anySatisfy(w -> assertThat(w).startsWith("40 of 40 records (100.0 %) were "
                + "quarantined, more than 1 %"));
        assertThat(r.result().warnings()).anySatisfy(w -> assertThat(w).startsWith("no record of " + gz + " is in 2026-10"));
        assertThat(r.console()).contains("40 lines read (0 blank, gzip)").contains("quarantined: 40 of 40 records");
    }

    @Test
    @DisplayName("D1: the examples' traffic gzipped gives the same statements as the plain file (memory engine)")
    void gzipSameAsPlain(@TempDir Path dir) throws Exception {
        Path plain = ReplayCli.ROOT.resolve("examples/traffic.jsonl");
        Path gz = dir.resolve("traffic.jsonl.gz");
        try (var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, z);
        }
        Path a = Files.createDirectories(dir.resolve("plain"));
        Path b = Files.createDirectories(dir.resolve("gz"));
        ReplayCli ra = run(plain, a, "2026-10", "2026-11-10T08:00:00Z", "--engine", "memory");
        ReplayCli rb = run(gz, b, "2026-10", "2026-11-10T08:00:00Z", "--engine", "memory");
        assertThat(ra.exit()).as(ra.console()).isZero();
        assertThat(rb.exit()).as(rb.console()).isZero();
        assertThat(ra.result().warnings()).as("the examples support the month").isEmpty();
        assertThat(Files.readString(b.resolve("statements.json"))).isEqualTo(Files.readString(a.resolve("statements.json")));
        assertThat(rb.result().quarantined()).extracting(LocalRuntime.Quarantined::label)
                .isEqualTo(ra.result().quarantined().stream().map(LocalRuntime.Quarantined::label).toList());
    }
}
