package dev.slaledger.local;

import dev.slaledger.emulators.MotoServer;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code sla-local}: the local runtime's command line (picocli). */
@Command(name = "sla-local", mixinStandardHelpOptions = true, version = "sla-local 0.1.0",
        description = "Runs SLA Ledger's real handlers on local emulators: moto (DynamoDB), ElasticMQ (SQS), "
                + "the SES v2 emulator or a file outbox, and the claims API on a loopback HTTP port.",
        subcommands = {CommandLine.HelpCommand.class})
public final class SlaLocal {
    private SlaLocal() {
    }

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        System.exit(code);
    }

    /** Runs a command line; returns the exit code (0 ok, 1 bad input or failure, 2 usage). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new SlaLocal());
        cli.addSubcommand("demo", new DemoCommand(out));
        cli.addSubcommand("replay", new ReplayCommand(out));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputException || e instanceof MotoServer.Unavailable) {
                err.println("sla-local: " + e.getMessage());
            } else {
                err.println("sla-local: failed: " + e);
                e.printStackTrace(err);
            }
            return 1;
        });
        return cli;
    }

    /**
     * The repository root (for {@code node_modules}): {@code SLA_LOCAL_REPO_ROOT}, else the directory
     * above {@code local/target/sla-local.jar}, else the working directory.
     */
    static Path repoRoot() {
        String env = System.getenv("SLA_LOCAL_REPO_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(SlaLocal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve("package.json")) && Files.exists(p.resolve("local/pom.xml"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
