package dev.slaledger.benchmarks.harness.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 32 item 2: every deployable package, as shrunk by the build (tooling/packaging/lambda.pro), runs on its own.
 * The unit and integration tests of the function modules run on their classes and full class path; this runs the
 * shipped jars: the cold-start harness, once, on moto, in a fresh JVM per package (what Lambda does: the handler's
 * no-argument constructor, one real event from {@code events/} through the runtime's own deserialiser, then the
 * SnapStart priming steps). A class the shrinking removed but a handler, the SDK or Jackson reaches by reflection
 * fails here with the function's output.
 */
class ColdStartPackagesIT {
    private static final List<String> FUNCTIONS = List.of("ingest", "accounts", "month-end fan-out",
            "statement worker", "outbox sweep", "maintenance windows", "claims", "publish terms", "notifier",
            "notice worker", "SES events");
    private static final List<String> WITHOUT_DATABIND = List.of("ingest", "month-end fan-out", "statement worker",
            "outbox sweep", "notifier");

    @Test
    void everyShippedPackageHandlesItsEventAndPrimes() throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("events")) || !Files.isDirectory(root.resolve("functions"))) {
            root = root.getParent();
        }
        Path module = root.resolve("tooling/benchmarks/harness");
        String classPath = module.resolve("target/classes") + File.pathSeparator
                + Files.readString(module.resolve("target/classpath.txt")).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = module.resolve("target/coldstart-packages.log");
        Process p = new ProcessBuilder(java.toString(), "-cp", classPath, ColdStartHarness.class.getName(), "1")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("the harness finished:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("the harness failed:\n%s", out).isZero();
        for (String function : FUNCTIONS) {
            assertThat(out).as("%s primed on its package", function).contains("  " + function + ": PRIMING true");
        }
        // issue 32 item 2: these read and write their JSON with jackson-core alone, so their cold start (init and
        // first invocation) loads no databind, about 100 ms of CPU less (docs/benchmarks.md)
        for (String function : WITHOUT_DATABIND) {
            assertThat(out).as("%s's cold start without databind", function)
                    .contains("  " + function + ": DATABIND not loaded");
        }
        // and the check sees databind where it is loaded (a function still on databind)
        assertThat(out).contains("  claims: DATABIND loaded");
    }
}
