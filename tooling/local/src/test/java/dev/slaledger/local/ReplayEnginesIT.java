package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 1: the in-process engine ({@code --engine memory}) and the emulators give
 * byte-identical statements, on the examples and on a generated month (raw D1 records with outages,
 * unreached requests and malformed lines).
 */
class ReplayEnginesIT {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("SLA_LOCAL_REPO_ROOT", "../.."));

    private static byte[] replay(Path dir, String engine, Path accounts, Path traffic, Path maintenance)
            throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Path result = dir.resolve(engine + ".json");
        int exit = SlaLocal.commandLine(out, out).execute("replay",
                "--terms", ROOT.resolve("examples/terms.json").toString(),
                "--accounts", accounts.toString(), "--traffic", traffic.toString(),
                "--maintenance", maintenance.toString(),
                "--month", "2026-10", "--now", "2026-11-10T08:00:00Z", "--engine", engine, "--claim",
                "--out", result.toString(), "--work-dir", dir.resolve("work-" + engine).toString(),
                "--evidence", dir.resolve("evidence-" + engine).toString());
        String console = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(console).isZero();
        if (engine.equals("memory")) {
            // issue 28 item 3: everything in this process, no moto process (the emulators engine names it)
            assertThat(console).contains("DynamoDB: none (--engine memory").doesNotContainIgnoringCase("moto");
        } else {
            assertThat(console).contains("DynamoDB: moto");
        }
        // --claim: the claims over the loopback port (emulators) and handed to the API in process
        // (memory) decide alike; only the claim ids (random UUIDs) differ
        return String.join("\n", Files.readAllLines(result).stream().filter(l -> !l.contains("\"claimId\""))
                .toList()).getBytes(StandardCharsets.UTF_8);
    }

    /** S9.6: the evidence files (--evidence) of both engines, byte for byte. */
    private static void sameEvidence(Path dir) throws Exception {
        Path emulators = dir.resolve("evidence-emulators");
        Path memory = dir.resolve("evidence-memory");
        List<String> names;
        try (var files = Files.list(emulators)) {
            names = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        try (var files = Files.list(memory)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).isEqualTo(names);
        }
        assertThat(names).isNotEmpty();
        for (String name : names) {
            assertThat(Files.readAllBytes(memory.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(emulators.resolve(name)));
        }
    }

    @Test
    @DisplayName("S3/D3: the examples give byte-identical statements on both engines")
    void examples(@TempDir Path dir) throws Exception {
        Path accounts = ROOT.resolve("examples/accounts.json");
        Path traffic = ROOT.resolve("examples/traffic.jsonl");
        Path windows = ROOT.resolve("examples/maintenance.json");
        byte[] emulators = replay(dir, "emulators", accounts, traffic, windows);
        byte[] memory = replay(dir, "memory", accounts, traffic, windows);
        assertThat(new String(memory, StandardCharsets.UTF_8)).contains("\"accountId\" : \"acme\"");
        assertThat(memory).isEqualTo(emulators);
        sameEvidence(dir);
    }

    @Test
    @DisplayName("S2/S3/D3: a generated month of raw records gives byte-identical statements on both engines")
    void generatedMonth(@TempDir Path dir) throws Exception {
        int accounts = 6;
        StringBuilder d2 = new StringBuilder("[");
        for (int k = 0; k < accounts; k++) {
            d2.append(k == 0 ? "" : ",").append("{\"accountId\":\"gen-").append(k).append("\",\"terms\":[{\"start\":")
                    .append("\"2026-01-01\",\"end\":\"2026-12-31\"}],\"fees\":{\"2026-10\":{\"amount\":\"")
                    .append(100 * (k + 1)).append(".00\",\"voucherPaid\":\"0\",\"currency\":\"EUR\"}}}");
        }
        Path accountsFile = Files.writeString(dir.resolve("accounts.json"), d2.append("]"));
        SplittableRandom random = new SplittableRandom(19);
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            int k = i % accounts;
            long t = start + (long) i * 31 * 86_400 / 3_000 + random.nextInt(60);
            boolean outage = t - start > k * 4 * 86_400L && t - start < k * 4 * 86_400L + 10 * 3_600L;
            int status = outage && random.nextInt(10) < 6 ? 503 : random.nextInt(100) == 0 ? 500 : 200;
            lines.append("{\"accountId\":\"gen-").append(k).append("\",\"timestamp\":\"")
                    .append(Instant.ofEpochSecond(t)).append("\",\"status\":").append(status)
                    .append(random.nextInt(200) == 0 ? ",\"reached\":false" : "").append("}\n");
            if (i % 997 == 0) {
                lines.append("{\"accountId\":\n");
            }
        }
        Path traffic = Files.writeString(dir.resolve("traffic.jsonl"), lines);
        Path windows = Files.writeString(dir.resolve("windows.json"), "[]");
        byte[] emulators = replay(dir, "emulators", accountsFile, traffic, windows);
        byte[] memory = replay(dir, "memory", accountsFile, traffic, windows);
        assertThat(new String(memory, StandardCharsets.UTF_8)).contains("gen-5");
        assertThat(memory).isEqualTo(emulators);
        sameEvidence(dir);
    }
}
