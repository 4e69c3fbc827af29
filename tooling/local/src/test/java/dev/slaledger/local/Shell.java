package dev.slaledger.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A command run as a user runs it: a child process, its exit code and what it printed (stdout then stderr). */
final class Shell {
    /** The checkout the tests run in (failsafe sets SLA_LOCAL_REPO_ROOT). */
    static final Path ROOT = SlaLocal.repoRoot();

    record Result(int exit, String out, String err, Duration took) {
        String all() {
            return out + err;
        }
    }

    private Shell() {
    }

    /** Runs {@code command} with {@code bash -c} in {@code dir}, the environment changed by {@code env} (null: removed). */
    static Result bash(Path dir, Map<String, String> env, Duration timeout, String command) {
        return run(dir, env, timeout, List.of("bash", "-c", command));
    }

    static Result run(Path dir, Map<String, String> env, Duration timeout, List<String> command) {
        try {
            Path out = Files.createTempFile("sla-shell-", ".out");
            Path err = Files.createTempFile("sla-shell-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                env.forEach((k, v) -> {
                    if (v == null) {
                        builder.environment().remove(k);
                    } else {
                        builder.environment().put(k, v);
                    }
                });
                long t0 = System.nanoTime();
                Process p = builder.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError(command + " did not end within " + timeout + ":\n"
                            + Files.readString(out) + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - t0));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * An environment like a fresh machine's whose default {@code java} is 17: {@code JAVA_HOME} unset,
     * a {@code java} and {@code javac} first on PATH that say they are 17 (and fail anything else), the
     * JVM running this test removed from PATH, and the JDKs ./mvnw may choose from in the folder
     * holding this test's JDK ({@code SLA_JDK_DIRS}).
     */
    static Map<String, String> java17Machine(Path scratch) {
        try {
            Path bin = Files.createDirectories(scratch.resolve("java17/bin"));
            for (String tool : List.of("java", "javac")) {
                Path stub = bin.resolve(tool);
                Files.writeString(stub, """
                        #!/bin/sh
                        # a JDK 17 as Debian 12's default: it only tells its version, and fails anything else
                        case "$*" in
                          *-XshowSettings*|*-version*) echo '    java.specification.version = 17' >&2; \
                        echo 'openjdk version "17.0.15" 2025-04-15' >&2; exit 0 ;;
                        esac
                        echo "java 17 cannot run this: $*" >&2
                        exit 1
                        """);
                Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path javaHome = Path.of(System.getProperty("java.home"));
            String path = Arrays.stream(System.getenv("PATH").split(":"))
                    .filter(p -> !p.startsWith(javaHome.toString()))
                    .collect(Collectors.joining(":"));
            Map<String, String> env = new HashMap<>();
            env.put("JAVA_HOME", null);
            env.put("PATH", bin + ":" + path);
            env.put("SLA_JDK_DIRS", javaHome.getParent().toString());
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(text.lines().toList());
    }
}
