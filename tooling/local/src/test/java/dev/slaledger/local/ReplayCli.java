package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One {@code sla-local replay} run in the test's JVM, through the tool's own command line: its exit
 * code, what it printed (standard output and error together, as a terminal shows them) and the
 * command's result.
 */
record ReplayCli(int exit, String console, ReplayCommand.Result result) {
    /** The repository root (the module's tests run two folders below it). */
    static final Path ROOT = Path.of(System.getenv().getOrDefault("SLA_LOCAL_REPO_ROOT", "../.."));

    /** A file of {@code examples/}, as a command-line argument. */
    static String example(String name) {
        return ROOT.resolve("examples").resolve(name).toString();
    }

    /**
     * Runs {@code replay} with {@code args}, its statements ({@code statements.json}) and work folder
     * in {@code out}.
     */
    static ReplayCli runInto(Path out, String... args) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("--out", out.resolve("statements.json").toString(),
                "--work-dir", out.resolve("work").toString()));
        return run(line);
    }

    /**
     * Runs {@code replay} on the files {@code terms}, {@code accounts} and {@code traffic} of
     * {@code examples/}, with {@code args} besides, as {@link #runInto} does.
     */
    static ReplayCli runExamplesInto(Path out, String terms, String accounts, String traffic, String... args) {
        List<String> line = new ArrayList<>(List.of("--terms", example(terms), "--accounts", example(accounts),
                "--traffic", example(traffic)));
        line.addAll(List.of(args));
        return runInto(out, line.toArray(String[]::new));
    }

    /**
     * Runs {@code replay --events} on the sample timeline of {@code examples/} (its accounts, traffic and
     * events; October 2026) under the terms file {@code terms}, its decisions in {@code out/decisions.json}.
     */
    static ReplayCli runTimelineInto(Path out, String terms) {
        return runExamplesInto(out, terms, "timeline-accounts.json", "timeline-traffic.jsonl",
                "--events", example("timeline.jsonl"),
                "--month", "2026-10",
                "--decisions", out.resolve("decisions.json").toString());
    }

    /** The statements of {@link #statements}, by account (a run of one month: one statement each). */
    Map<String, JsonNode> statementsByAccount(Path out) {
        Map<String, JsonNode> byAccount = new HashMap<>();
        statements(out).forEach(s -> byAccount.put(s.get("accountId").asText(), s));
        return byAccount;
    }

    /** The statements a run of {@link #runInto} wrote in {@code out}, in file order; none when it failed. */
    List<JsonNode> statements(Path out) {
        List<JsonNode> statements = new ArrayList<>();
        if (exit == 0) {
            try {
                new ObjectMapper().readTree(out.resolve("statements.json").toFile()).forEach(statements::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return statements;
    }

    /** Runs {@code replay} with {@code args}. */
    static ReplayCli run(String... args) {
        return run(List.of(args));
    }

    /** Runs {@code replay} with {@code args}. */
    static ReplayCli run(List<String> args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        CommandLine cli = SlaLocal.commandLine(out, out);
        List<String> line = new ArrayList<>(args.size() + 1);
        line.add("replay");
        line.addAll(args);
        int exit = cli.execute(line.toArray(String[]::new));
        return new ReplayCli(exit, buffer.toString(StandardCharsets.UTF_8),
                ((ReplayCommand) cli.getSubcommands().get("replay").getCommand()).result);
    }
}
