package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.terms.TermsException;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 *     of the latest date S6.1 allows ({@code effectiveFrom - noticeDays}), and the notifier it
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
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Recompute a month from exported files through the real handlers on local engines "
                + "and write the D3 statements as a JSON array.")
final class ReplayCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
    String month;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "the clock of the run (ingest, month-end, claims), ISO-8601; default: the current time. "
                    + "With --events: where the replay ends; default: the first restatement run after the last event")
    String now;

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

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "where the statements go (each account-month's latest revision)")
    Path out;

    @Option(names = "--report", paramLabel = "FILE.html", description = "also write the HTML report")
    Path report;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where notices (.eml) and logs go; default: a new temporary directory")
    Path workDir;

    @Option(names = "--verbose", description = "print the handlers' log lines")
    boolean verbose;

    private final PrintStream console;

    ReplayCommand(PrintStream console) {
        this.console = console;
    }

    /** What the run produced, for the caller (tests) as well as the file. */
    record Result(List<Statement> statements, Map<String, JsonNode> claims, LocalRuntime.IngestSummary ingest,
            List<LocalRuntime.Quarantined> quarantined, int blankLines, List<String> withoutServicePeriod,
            List<Decisions.Decision> decisions) {
    }

    Result result;

    @Override
    public Integer call() throws Exception {
        YearMonth period;
        Instant nowGiven = null;
        try {
            period = YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw new InputException("--month must be YYYY-MM, was " + month);
        }
        if (now != null) {
            try {
                nowGiven = Instant.parse(now);
            } catch (DateTimeParseException e) {
                throw new InputException("--now must be an ISO-8601 instant such as 2026-11-10T08:00:00Z, was " + now);
            }
        }
        List<TermsVersion> versions = readTerms(termsFile);
        JsonNode accounts = readJson(accountsFile, "accounts");
        if (!accounts.isArray()) {
            throw new InputException(accountsFile + ": D2 accounts must be a JSON array");
        }
        JsonNode windows = maintenanceFile == null ? JSON.createArrayNode() : readJson(maintenanceFile, "maintenance");
        if (!windows.isArray()) {
            throw new InputException(maintenanceFile + ": D4 maintenance windows must be a JSON array");
        }
        List<byte[]> records = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int blank = readTraffic(trafficFile, records, labels, trafficFormat);

        // D6: the whole timeline is read and checked before any engine starts
        List<Timeline.Event> timeline = eventsFile == null ? null : Timeline.read(eventsFile, versions.get(0));
        Timeline.Plan plan = null;
        List<Optional<Instant>> arrivals = List.of();
        ZoneId zone = null;
        Instant clockAt;
        if (timeline != null) {
            arrivals = records.stream().map(trafficFormat::arrival).toList();
            zone = Timeline.zoneAtMonthEnd(versions, period);
            plan = Timeline.plan(period, zone, timeline, arrivals, Optional.ofNullable(nowGiven));
            clockAt = plan.start();
        } else {
            clockAt = nowGiven == null ? Instant.now() : nowGiven;
        }

        Path work = workDir != null ? workDir : Files.createTempDirectory("sla-replay-");
        if (timeline == null) {
            console.println("SLA Ledger replay of " + period + " at " + clockAt
                    + " (every handler runs on a clock set to it)");
        } else {
            console.println("SLA Ledger replay of " + period + " along the timeline " + eventsFile + " ("
                    + timeline.size() + " events), from " + plan.start() + " to " + plan.end()
                    + " (every handler runs on a clock the timeline moves)");
        }
        console.println("Starting the local engines (work directory " + work + "):");
        SimClock clock = new SimClock(clockAt);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Settings(work, SlaLocal.repoRoot(),
                versions.get(0), false, verbose), clock, console)) {
            // D2 accounts through the accounts handler
            List<String> accountIds = new ArrayList<>();
            int billingEvents = 0;
            for (int i = 0; i < accounts.size(); i++) {
                String where = accountsFile + " entry " + (i + 1);
                for (String event : BillingEvents.of(accounts.get(i), where, clockAt)) {
                    try {
                        runtime.applyBillingEvent(event);
                    } catch (InvalidBillingEventException e) {
                        throw new InputException(where + ": the accounts handler refused it: " + e.getMessage());
                    }
                    billingEvents++;
                }
                accountIds.add(accounts.get(i).get("accountId").asText());
            }
            console.printf("Accounts: %d accounts as %d billing events through the accounts handler%n",
                    accountIds.size(), billingEvents);

            // D5: later versions published with the clock at the latest date S6.1 allows
            TermsVersion current = versions.get(0);
            console.println("Terms: original " + current.version() + " (effective " + current.effectiveFrom() + ", "
                    + current.timeZone() + ")");
            for (int i = 1; i < versions.size(); i++) {
                TermsVersion v = versions.get(i);
                LocalDate publishOn = v.effectiveFrom().minusDays(Math.max(v.noticeDays(), current.noticeDays()));
                clock.set(publishOn.atStartOfDay(v.timeZone()).toInstant());
                APIGatewayV2HTTPResponse r = runtime.publishTerms(TermsParser.toJson(v));
                if (r.getStatusCode() != 201) {
                    throw new InputException(termsFile + " version " + (i + 1) + " (" + v.version()
                            + "): PUT /admin/terms answered " + r.getStatusCode() + ": " + r.getBody());
                }
                console.println("  published " + v.version() + " on " + publishOn + " (effective " + v.effectiveFrom()
                        + "); notices sent that day: " + sent(runtime));
                current = v;
            }
            clock.set(clockAt);

            for (int i = 0; i < windows.size(); i++) {
                APIGatewayV2HTTPResponse r = runtime.putMaintenanceWindow(windows.get(i).toString());
                if (r.getStatusCode() != 200) {
                    throw new InputException(maintenanceFile + " entry " + (i + 1)
                            + ": PUT /admin/maintenance-windows answered " + r.getStatusCode() + ": " + r.getBody());
                }
            }
            console.printf("Maintenance windows: %d through the maintenance-window handler%n", windows.size());

            Decisions decisions = new Decisions(new ClaimsClient(runtime.claimsEndpoint()), clock);
            Map<String, JsonNode> claims = new LinkedHashMap<>();
            List<String> everyAccount = new ArrayList<>(accountIds);
            List<YearMonth> months = new ArrayList<>(List.of(period));
            LocalRuntime.IngestSummary ingest;
            Map<String, Object> monthEnd;
            TimelineRun run = null;
            if (timeline == null) {
                try (Progress bar = new Progress(console, "ingest (Kinesis)", records.size(), "records")) {
                    ingest = runtime.ingest(records, labels, bar::advance);
                }
                try (Progress bar = new Progress(console, "month-end (SQS)", (accountIds.size() + 19) / 20,
                        "messages")) {
                    monthEnd = runtime.runMonthEnd(period, bar::advance);
                }
            } else {
                for (Timeline.Event e : timeline) {
                    if ((e.kind() == Timeline.Kind.BILLING || e.kind() == Timeline.Kind.CLAIM)
                            && !everyAccount.contains(e.accountId())) {
                        everyAccount.add(e.accountId());
                    }
                    if ((e.kind() == Timeline.Kind.CLAIM || e.kind() == Timeline.Kind.MONTH_END)
                            && !months.contains(e.month())) {
                        months.add(e.month());
                    }
                }
                months.sort(null);
                console.println("Timeline: month-end " + (plan.monthEndScheduled() ? "scheduled at " + plan.monthEnd()
                        : "at " + plan.monthEnd() + " (" + eventsFile + " line " + plan.monthEndLine() + ")")
                        + "; restatement runs daily at " + Timeline.RESTATEMENT_TIME + " " + zone + " ("
                        + plan.restatements().size() + "); D1 records as they arrive");
                run = new TimelineRun(runtime, console, decisions, period, plan, timeline, records, labels, arrivals);
                claims.putAll(run.run(claim ? everyAccount : List.of()));
                ingest = run.ingest();
                monthEnd = run.monthEnd().orElse(null);
            }
            List<LocalRuntime.Quarantined> quarantined = runtime.quarantined();

            List<Statement> statements = new ArrayList<>();
            List<String> noPeriod = new ArrayList<>();
            for (YearMonth m : months) {
                for (String id : everyAccount) {
                    runtime.statement(id, m).ifPresentOrElse(statements::add, () -> {
                        if (m.equals(period)) {
                            noPeriod.add(id);
                        }
                    });
                }
            }

            if (claim && timeline == null) {
                for (String id : accountIds) {
                    claims.put(id, decisions.claim(id, period, null));
                }
            }

            ArrayNode array = JSON.createArrayNode();
            for (Statement s : statements) {
                ObjectNode n = StatementJson.toTree(s);
                if (claim && s.month().equals(period)) {
                    n.set("claim", claims.get(s.accountId()));
                }
                array.add(n);
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, JSON.writeValueAsString(array) + "\n", StandardCharsets.UTF_8);
            if (decisionsFile != null) {
                decisions.write(decisionsFile);
            }
            if (report != null) {
                String subtitle = timeline == null
                        ? "Recomputed at " + clockAt + " from " + trafficFile.getFileName() + " ("
                                + ingest.aggregated() + " records aggregated, " + ingest.quarantined() + " quarantined)"
                        : "Replayed along " + eventsFile.getFileName() + " up to " + plan.end() + " with "
                                + trafficFile.getFileName() + " (" + ingest.aggregated() + " records aggregated, "
                                + ingest.quarantined() + " quarantined)";
                Reports.write(report, "SLA Ledger replay: " + period, subtitle, runtime, statements, claims);
            }

            console.println();
            StatementTable.print(console, statements, claims);
            console.println();
            console.println("Summary");
            console.printf("  traffic: %,d lines read, %,d records aggregated, %,d quarantined, %,d not stored, "
                    + "%,d blank lines skipped%n", records.size(), ingest.aggregated(), ingest.quarantined(),
                    ingest.failed(), blank);
            if (run != null && run.trafficEvents() > 0) {
                console.printf("    (of which %,d late records from the timeline's Traffic events)%n",
                        run.trafficEvents());
            }
            Map<String, Integer> byReason = new TreeMap<>();
            quarantined.forEach(q -> byReason.merge(q.reason(), 1, Integer::sum));
            if (!byReason.isEmpty()) {
                console.println("  quarantined by reason: " + byReason);
                quarantined.stream().limit(20).forEach(q -> console.println("    " + q.label() + ": " + q.reason()
                        + (q.detail().isEmpty() ? "" : " (" + q.detail() + ")")));
                if (quarantined.size() > 20) {
                    console.println("    ... and " + (quarantined.size() - 20) + " more");
                }
            }
            if (monthEnd != null) {
                console.printf("  month-end %s: %s accounts with a service period, %s work messages%n",
                        monthEnd.get("month"), monthEnd.get("accounts"), monthEnd.get("workMessagesHandled"));
            } else {
                console.println("  month-end " + period + " not run: due at " + plan.monthEnd() + ", after the end "
                        + plan.end());
            }
            if (run != null) {
                console.println("  restatement runs: " + run.restatementRuns() + " (daily at "
                        + Timeline.RESTATEMENT_TIME + " " + zone + "), " + run.restatedAccountMonths()
                        + " stale account-months handed to the worker");
            }
            if (!noPeriod.isEmpty()) {
                console.println("  no service period in " + period + " (no statement): " + String.join(", ", noPeriod)
                        + (claim ? "; their claims: " + noPeriod.stream().map(id -> id + " "
                                + StatementTable.claim(claims.get(id))).toList() : ""));
            }
            if (claim && timeline == null) {
                Map<String, Integer> outcomes = new TreeMap<>();
                claims.values().forEach(c -> outcomes.merge("ACCEPTED".equals(c.path("status").asText()) ? "ACCEPTED"
                        : c.path("reason").asText(c.path("title").asText("?")), 1, Integer::sum));
                console.println("  claims at " + clockAt + ": " + outcomes);
            }
            if (timeline != null) {
                console.println("  claim decisions: " + decisions.list().size() + " " + decisions.outcomes()
                        + (decisionsFile != null ? "; written to " + decisionsFile : ""));
            } else if (decisionsFile != null) {
                console.println("  claim decisions: " + decisions.list().size() + "; written to " + decisionsFile);
            }
            console.println("  events (in-process recorder, not sent): " + runtime.events().count("StatementCompensable")
                    + " StatementCompensable, " + runtime.events().count("VoucherIssued") + " VoucherIssued");
            console.println("  statements written to " + out + (report != null ? "; report written to " + report : ""));
            result = new Result(statements, claims, ingest, quarantined, blank, noPeriod, decisions.list());
        }
        return 0;
    }

    private static String sent(LocalRuntime runtime) {
        List<Map<String, Object>> runs = runtime.notifierRuns();
        if (runs.isEmpty()) {
            return "0";
        }
        Object counts = runs.get(runs.size() - 1).get("counts");
        return counts instanceof Map<?, ?> m ? String.valueOf(m.get("SENT")) : "?";
    }

    static List<TermsVersion> readTerms(Path file) {
        JsonNode root = readJson(file, "terms");
        List<JsonNode> docs = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(docs::add);
        } else {
            docs.add(root);
        }
        if (docs.isEmpty()) {
            throw new InputException(file + ": no terms version");
        }
        List<TermsVersion> versions = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            try {
                versions.add(TermsParser.parse(docs.get(i).toString()));
            } catch (TermsException e) {
                throw new InputException(file + " version " + (i + 1) + ": " + e.getMessage());
            }
        }
        return versions;
    }

    private static JsonNode readJson(Path file, String what) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": the " + what + " file is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Each non-blank line as one record's bytes (a trailing CR removed); returns the number of blank lines. */
    static int readTraffic(Path file, List<byte[]> records, List<String> labels) {
        return readTraffic(file, records, labels, TrafficFormat.D1);
    }

    /** The same, each line made a stream record by {@code format} (issue 21). */
    static int readTraffic(Path file, List<byte[]> records, List<String> labels, TrafficFormat format) {
        int blank = 0;
        for (JsonLines.Line line : JsonLines.read(file)) {
            if (line.blank()) {
                blank++;
            } else {
                records.add(format.record(line.bytes(), line.number(), String.valueOf(file.getFileName())));
                labels.add("line " + line.number());
            }
        }
        return blank;
    }

}
