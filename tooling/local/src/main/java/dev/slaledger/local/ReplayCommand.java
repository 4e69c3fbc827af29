package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.statement.Statement;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay}: the pipeline on exported files, to recompute a month and answer a dispute.
 *
 * <ol>
 * <li>D2 accounts: as billing events through the accounts handler.</li>
 * <li>D5 terms: the first version is the original terms (in force before any publication); each
 *     later one is published through {@code PUT /admin/terms} with the clock at 00:00 (terms' zone)
 *     of the latest date S6.1 and S9.4 allow ({@code effectiveFrom - noticeDays - 1}: S9.4's spare
 *     day; earlier if its notices need more days at the quota), and the notifier it
 *     triggers sends every account with a current or future term its notice that same day, so the
 *     version governs each of them from its {@code effectiveFrom} (S6.3). Notices go to a file outbox.</li>
 * <li>D4 windows: through the maintenance-window handler.</li>
 * <li>D1 traffic: each non-blank line one Kinesis record through the ingest handler, clock at
 *     {@code --now}; bad lines are quarantined by the handler and listed in the summary.</li>
 * <li>The month-end for {@code --month} (fan-out to SQS, worker), clock at {@code --now}.</li>
 * <li>With {@code --claim}: {@code POST /claims} for every account at {@code --now}, over HTTP.</li>
 * </ol>
 *
 * <p>With {@code --events} (D6, {@link Timeline}) steps 1-3 run at the timeline's start, and the rest
 * follows the timeline ({@link TimelineRun}): the D1 records as they arrive, the month-end at its
 * scheduled instant (or the timeline's {@code MonthEnd}), the daily restatement runs, and every event
 * at its instant through the handler it reaches in AWS. {@code --decisions} writes every claim
 * decision with its instant.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, version = SlaLocal.VERSION,
        description = "Recompute a month from exported files through the real handlers on local engines "
                + "and write the D3 statements as a JSON array.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--terms", required = true, paramLabel = "T.json",
            description = "D5 terms: one version, or an array of versions (first = original terms)")
    Path termsFile;

    @Option(names = "--accounts", required = true, paramLabel = "A.json", description = "D2 accounts (JSON array)")
    Path accountsFile;

    @Option(names = "--traffic", required = true, paramLabel = "R.jsonl", description = "D1 request records, one per line")
    Path trafficFile;

    // issue 21: the hook that picks the line parser of --traffic (TrafficFormat)
    @Option(names = "--traffic-format", paramLabel = "FORMAT", defaultValue = "d1", converter = TrafficFormatConverter.class,
            description = "what a --traffic line is: d1 (a D1 request record, the default) or apigw-access-log (an API "
                    + "Gateway access-log line in the format of docs/ingest.md, ingested as a CloudWatch Logs "
                    + "subscription payload)")
    TrafficFormat trafficFormat = TrafficFormat.D1;

    static final class TrafficFormatConverter implements picocli.CommandLine.ITypeConverter<TrafficFormat> {
        @Override
        public TrafficFormat convert(String value) {
            return TrafficFormat.parse(value);
        }
    }

    @Option(names = "--maintenance", paramLabel = "M.json", description = "D4 maintenance windows (JSON array)")
    Path maintenanceFile;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "the service period's month")
    YearMonth month;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "the clock of the run (ingest, month-end, claims), ISO-8601; default: the current time. "
                    + "With --events: where the replay ends; default: the first restatement run after the last event")
    Instant now;

    @Option(names = "--account", paramLabel = "ID",
            description = "replay only this account (repeatable): the other accounts' entries and traffic lines "
                    + "are skipped (counted in the summary)")
    List<String> onlyAccounts = new ArrayList<>();

    @Option(names = "--claim", description = "also submit every account's claim at --now (with --events: at the "
            + "end) and write its outcome beside the statement (field \"claim\")")
    boolean claim;

    @Option(names = "--events", paramLabel = "T.jsonl",
            description = "D6 timeline: events at instants (billing events, maintenance windows, terms, claims, "
                    + "month-end, late traffic), replayed in time order with the traffic, the month-end and the daily "
                    + "restatement runs")
    Path eventsFile;

    @Option(names = "--decisions", paramLabel = "FILE.json",
            description = "also write every claim decision, in order, with its instant (JSON array)")
    Path decisionsFile;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "also write each statement's evidence (S9.6), as GET /statements/{month}/intervals lists "
                    + "it to the account (every page joined: the intervals that count with their exact rates, the "
                    + "excluded ones with their flag counts by kind and window id), one file <account>.<month>.json each")
    Path evidenceDir;

    @Option(names = "--forecast-at", paramLabel = "INSTANT",
            description = "also run the daily liability forecast (S9.8, provider only) with the clock at INSTANT "
                    + "(ISO-8601, not after --now; the month under way then is forecast, from the replayed "
                    + "aggregates), print it and put it in the report, as GET /admin/forecast answers it; not with --events "
                    + "(the timeline fires the forecast on its daily schedule)")
    Instant forecastAt;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "where the statements go (each account-month's latest revision)")
    Path out;

    @Option(names = "--report", paramLabel = "FILE.html", description = "also write the HTML report")
    Path report;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where notices (.eml) and logs go; default: a new temporary directory")
    Path workDir;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "emulators",
            description = "where the state lives: emulators (default: every table, the stream, the bus and the "
                    + "schedules on moto, the real path, one round trip per item: for small inputs) or memory (all of "
                    + "it in this process, no moto, through the same handlers and wirings: for replays at provider scale)")
    LocalRuntime.Engine engine;

    @Option(names = "--verbose", description = "print the handlers' log lines, and the stack trace of a failure")
    boolean verbose;

    @Option(names = "--strict", description = "exit 3 when the run printed a warning (the input cannot support "
            + "the month: no record in it, more than 1 % quarantined, traffic of unknown accounts, --now before the "
            + "month's end, an empty file); the files are written either way")
    boolean strict;

    /** Exit code of a run that printed a warning under {@code --strict}. */
    static final int WARNED = 3;

    private final PrintStream console;

    ReplayCommand(PrintStream console) {
        this.console = console;
    }

    /** What the run produced, for the caller (tests) as well as the file. */
    record Result(List<Statement> statements, Map<String, JsonNode> claims, LocalRuntime.IngestSummary ingest,
            List<LocalRuntime.Quarantined> quarantined, TrafficFile.Stats traffic, List<String> withoutServicePeriod,
            List<Decisions.Decision> decisions, List<String> warnings, Coverage coverage,
            Map<String, Evidence.Listing> evidence, ForecastRun.Result forecast) {
        long blankLines() {
            return traffic.blank();
        }
    }

    Result result;

    @Override
    public Integer call() throws Exception {
        checkUsage(); // exit 2, before anything is read or started
        ReplayInputs inputs = ReplayInputs.read(this); // exit 1, one line naming the file, before any engine
        Path log = HandlerLog.current().writeTo(out.toAbsolutePath().getParent().resolve(HandlerLog.FILE_NAME), verbose);
        console.println("The handlers' log lines go to " + relative(log) + (verbose ? " and here" : " (--verbose: here too)"));
        try (WorkDirectory work = WorkDirectory.of(workDir, "sla-replay-")) {
            result = new ReplayRun(this, inputs, work, console).run();
        }
        if (strict && !result.warnings().isEmpty()) {
            console.println("--strict: exit " + WARNED + " (" + result.warnings().size() + " warning"
                    + (result.warnings().size() == 1 ? "" : "s") + ")");
            return WARNED;
        }
        return 0;
    }

    /** Usage errors (exit 2): --month and --now were converted by picocli; the outputs must be writable. */
    private void checkUsage() {
        Arguments.writableFile(out, "--out");
        Arguments.writableFile(report, "--report");
        Arguments.writableFile(decisionsFile, "--decisions");
        if (workDir != null) {
            Arguments.writableDirectory(workDir, "--work-dir " + workDir + ":");
        }
        for (String id : onlyAccounts) {
            if (id.isBlank()) {
                throw new UsageException("--account needs an account id");
            }
        }
        if (evidenceDir != null) {
            Arguments.writableDirectory(evidenceDir, "--evidence " + evidenceDir + ":");
        }
        if (forecastAt != null && eventsFile != null) {
            throw new UsageException("--forecast-at cannot be combined with --events (the timeline fires the daily "
                    + "forecast on its schedule)");
        }
        if (forecastAt != null && now != null && forecastAt.isAfter(now)) {
            throw new UsageException("--forecast-at " + forecastAt + " is after --now " + now
                    + ": the replay's clock never gets there");
        }
        if (!onlyAccounts.isEmpty() && eventsFile != null) {
            throw new UsageException("--account cannot be combined with --events (a timeline's events name accounts)");
        }
    }

    /** A path as the user gave it when it is under the working directory. */
    static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
