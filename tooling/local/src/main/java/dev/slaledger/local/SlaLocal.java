package dev.slaledger.local;

import dev.slaledger.emulators.MotoServer;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code sla-local}: the local runtime's command line (picocli). */
@Command(name = "sla-local", mixinStandardHelpOptions = true, version = SlaLocal.VERSION,
        description = "Runs SLA Ledger's real handlers on local emulators: moto (DynamoDB), ElasticMQ (SQS), "
                + "the SES v2 emulator or a file outbox, and the claims API on a loopback HTTP port.",
        subcommands = {CommandLine.HelpCommand.class})
public final class SlaLocal {
    /** What {@code -V} prints, on the tool and on each command. */
    static final String VERSION = "sla-local 0.1.0";

    private SlaLocal() {
    }

    public static void main(String[] args) {
        // the handlers' log lines (JSON) go to a log file, never among what a person reads (issue 28.5)
        PrintStream console = System.out;
        HandlerLog.install(console);
        int code = run(console, System.err, args);
        HandlerLog.current().close();
        System.exit(code);
    }

    /**
     * Runs a command line; returns the exit code: 0 ok, 1 bad input (one line naming the file and
     * the line:column or the D2/D5 path) or a failure, 2 a usage error (one line). A stack trace
     * only with {@code --verbose}.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = commandLine(out, err);
        try {
            return cli.execute(args);
        } finally {
            HandlerLog.current().flush(); // the log file complete when the command returns
        }
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new SlaLocal());
        cli.addSubcommand("demo", new DemoCommand(out));
        cli.addSubcommand("replay", new ReplayCommand(out));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(java.time.YearMonth.class, new Arguments.MonthConverter());
        cli.registerConverter(java.time.Instant.class, new Arguments.InstantConverter());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, args) -> {
            String name = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = verbose(parseResult);
            if (e instanceof UsageException) {
                err.println("sla-local: " + e.getMessage());
                return 2;
            }
            if (e instanceof InputException || e instanceof MotoServer.Unavailable) {
                err.println("sla-local: " + e.getMessage());
            } else {
                // the message, not the exception's class: a person reads this line
                String what = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                        : "an internal error (" + e.getClass().getSimpleName() + ")";
                err.println("sla-local: failed: " + what + (verbose ? "" : " (run with --verbose for the stack trace)"));
            }
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        });
        return cli;
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The repository root (for {@code node_modules}): {@code SLA_LOCAL_REPO_ROOT}, else the directory
     * above {@code tooling/local/target/sla-local.jar}, else the working directory.
     */
    static Path repoRoot() {
        String env = System.getenv("SLA_LOCAL_REPO_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(SlaLocal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve("package.json")) && Files.exists(p.resolve("tooling/local/pom.xml"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
