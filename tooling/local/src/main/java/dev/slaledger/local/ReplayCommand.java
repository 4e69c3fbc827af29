package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.terms.TermsException;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final BillingEventParser BILLING = new BillingEventParser();

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

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "where the statements go (each account-month's latest revision)")
    Path out;

    @Option(names = "--report", paramLabel = "FILE.html", description = "also write the HTML report")
    Path report;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where notices (.eml) and logs go; default: a new temporary directory")
    Path workDir;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "emulators",
            description = "where the aggregates and the quarantine live: emulators (default: on moto like every "
                    + "table, the real path, one round trip per aggregate: for small inputs) or memory (in this "
                    + "process, through the same handlers and services: for replays at provider scale)")
    LocalRuntime.Engine engine;

    @Option(names = "--verbose", description = "print the handlers' log lines, and the stack trace of a failure")
    boolean verbose;

    private final PrintStream console;

    ReplayCommand(PrintStream console) {
        this.console = console;
    }

    /** What the run produced, for the caller (tests) as well as the file. */
    record Result(List<Statement> statements, Map<String, JsonNode> claims, LocalRuntime.IngestSummary ingest,
            List<LocalRuntime.Quarantined> quarantined, TrafficFile.Stats traffic, List<String> withoutServicePeriod,
            List<Decisions.Decision> decisions, List<String> warnings) {
        long blankLines() {
            return traffic.blank();
        }
    }

    Result result;

    @Override
    public Integer call() throws Exception {
        // usage (exit 2), before anything is read or started: --month and --now were converted by picocli
        YearMonth period = month;
        Instant nowGiven = now;
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
        if (!onlyAccounts.isEmpty() && eventsFile != null) {
            throw new UsageException("--account cannot be combined with --events (a timeline's events name accounts)");
        }

        // inputs (exit 1, one line naming the file and the line:column or the D2/D5 path), before any engine
        List<TermsVersion> versions = readTerms(termsFile);
        JsonNode accountsRead = readJson(accountsFile, "accounts");
        if (!accountsRead.isArray()) {
            throw new InputException(accountsFile + ": D2 accounts must be a JSON array");
        }
        JsonNode windows = maintenanceFile == null ? JSON.createArrayNode() : readJson(maintenanceFile, "maintenance");
        if (!windows.isArray()) {
            throw new InputException(maintenanceFile + ": D4 maintenance windows must be a JSON array");
        }
        Instant clockAt0 = nowGiven == null ? Instant.now() : nowGiven;
        Set<String> known = new LinkedHashSet<>();
        List<JsonNode> accounts = new ArrayList<>();
        List<List<BillingEvents.Event>> accountEvents = new ArrayList<>();
        for (int i = 0; i < accountsRead.size(); i++) {
            String where = accountsFile + " entry " + (i + 1);
            List<BillingEvents.Event> events = BillingEvents.withPaths(accountsRead.get(i), where, clockAt0);
            String id = accountsRead.get(i).get("accountId").asText();
            for (BillingEvents.Event e : events) {
                try {
                    BILLING.parse(e.json());
                } catch (InvalidBillingEventException x) {
                    throw new InputException(where + " (" + id + "): " + e.pathOf(x.field()) + ": " + x.reason());
                }
            }
            known.add(id);
            if (onlyAccounts.isEmpty() || onlyAccounts.contains(id)) {
                accounts.add(accountsRead.get(i));
                accountEvents.add(events);
            }
        }
        for (String id : onlyAccounts) {
            if (!known.contains(id)) {
                throw new InputException(accountsFile + ": --account " + id + " is not in the file (accounts: "
                        + String.join(", ", known.stream().limit(10).toList()) + (known.size() > 10 ? ", ..." : "")
                        + ")");
            }
        }
        TrafficFile traffic = new TrafficFile(trafficFile, Set.copyOf(onlyAccounts), known, clockAt0, trafficFormat);
        traffic.size(); // a missing traffic file is an input error before the engines start

        // D6: the whole timeline is read and checked before any engine starts
        List<Timeline.Event> timeline = eventsFile == null ? null : Timeline.read(eventsFile, versions.get(0));
        Timeline.Plan plan = null;
        List<byte[]> records = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        TrafficFile.Stats timelineTraffic = null;
        List<Optional<Instant>> arrivals = List.of();
        ZoneId zone = Timeline.zoneAtMonthEnd(versions, period);
        Instant clockAt;
        if (timeline != null) {
            // a timeline replays each record at its own arrival instant: its traffic is held in memory
            timelineTraffic = traffic.stream(LocalRuntime.KINESIS_BATCH, b -> {
                records.addAll(b.records());
                for (int i = 0; i < b.size(); i++) {
                    labels.add(b.label(i));
                }
            }, n -> { });
            arrivals = records.stream().map(trafficFormat::arrival).toList();
            plan = Timeline.plan(period, zone, timeline, arrivals, Optional.ofNullable(nowGiven));
            clockAt = plan.start();
        } else {
            clockAt = clockAt0;
        }

        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("sla-replay-") : workDir;
        // interrupted (Ctrl-C, kill): the temporary directory goes too
        Thread cleanup = new Thread(() -> deleteTree(work), "sla-replay-cleanup");
        if (temporary) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        try {
            return run(period, nowGiven, versions, accounts, accountEvents, known, windows, traffic, timeline, plan,
                    records, labels, timelineTraffic, arrivals, zone, clockAt, work, temporary);
        } finally {
            if (temporary) {
                deleteTree(work);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    private Integer run(YearMonth period, Instant nowGiven, List<TermsVersion> versions, List<JsonNode> accounts,
            List<List<BillingEvents.Event>> accountEvents, Set<String> known, JsonNode windows, TrafficFile traffic,
            List<Timeline.Event> timeline, Timeline.Plan plan, List<byte[]> records, List<String> labels,
            TrafficFile.Stats timelineTraffic, List<Optional<Instant>> arrivals, ZoneId zone, Instant clockAt,
            Path work, boolean temporary) throws Exception {
        if (timeline == null) {
            console.println("SLA Ledger replay of " + period + " at " + clockAt
                    + " (every handler runs on a clock set to it)");
        } else {
            console.println("SLA Ledger replay of " + period + " along the timeline " + eventsFile + " ("
                    + timeline.size() + " events), from " + plan.start() + " to " + plan.end()
                    + " (every handler runs on a clock the timeline moves)");
        }
        List<String> warnings = new ArrayList<>();
        Instant monthEnds = period.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        Instant endOfRun = timeline == null ? clockAt : plan.end();
        if (endOfRun.isBefore(monthEnds)) {
            warnings.add("--now " + endOfRun + " is before " + period + " has ended (" + monthEnds + ", " + zone
                    + "): the statements count only the traffic up to then, and every interval after it as "
                    + "available");
        }
        if (!onlyAccounts.isEmpty()) {
            console.println("Only the accounts " + String.join(", ", onlyAccounts) + " (--account)");
        }
        warnings.forEach(w -> console.println("warning: " + w));
        console.println("Starting the local engines (work directory " + work
                + (temporary ? ", temporary: deleted at the end; --work-dir keeps it" : "") + "):");
        SettableClock clock = new SettableClock(clockAt);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Settings(work, SlaLocal.repoRoot(),
                versions.get(0), false, verbose, engine), clock, console)) {
            // D2 accounts through the accounts handler
            List<String> accountIds = new ArrayList<>();
            int billingEvents = 0;
            try (Progress bar = new Progress(console, "accounts (EventBridge)",
                    accountEvents.stream().mapToLong(List::size).sum(), "events")) {
                for (int i = 0; i < accounts.size(); i++) {
                    String id = accounts.get(i).get("accountId").asText();
                    for (BillingEvents.Event event : accountEvents.get(i)) {
                        try {
                            runtime.applyBillingEvent(event.json());
                        } catch (InvalidBillingEventException e) {
                            throw new InputException(accountsFile + " (" + id + "): " + event.pathOf(e.field())
                                    + ": the accounts handler refused it: " + e.reason());
                        }
                        billingEvents++;
                        bar.advance(1);
                    }
                    accountIds.add(id);
                }
            }
            console.printf("Accounts: %d accounts as %d billing events through the accounts handler%n",
                    accountIds.size(), billingEvents);

            // D5: later versions published with the clock at the latest date S6.1 allows
            TermsVersion current = versions.get(0);
            console.println("Terms: original " + current.version() + " (effective " + current.effectiveFrom() + ", "
                    + current.timeZone() + ")");
            for (int i = 1; i < versions.size(); i++) {
                TermsVersion v = versions.get(i);
                // S6.1's latest date less S9.4's spare day; earlier when S9.4 says the notices need more days
                LocalDate publishOn = v.effectiveFrom().minusDays(Math.max(v.noticeDays(), current.noticeDays()) + 1);
                clock.set(publishOn.atStartOfDay(v.timeZone()).toInstant());
                APIGatewayV2HTTPResponse r = runtime.publishTerms(TermsParser.toJson(v));
                for (int retry = 0; retry < 3 && r.getStatusCode() == 422
                        && r.getBody().contains("notices-not-feasible"); retry++) {
                    LocalDate earliest;
                    try {
                        earliest = LocalDate.parse(JSON.readTree(r.getBody()).path("earliestEffectiveFrom")
                                .asText(v.effectiveFrom().plusDays(1).toString()));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        break;
                    }
                    publishOn = publishOn.minusDays(Math.max(1, earliest.toEpochDay() - v.effectiveFrom().toEpochDay()));
                    clock.set(publishOn.atStartOfDay(v.timeZone()).toInstant());
                    r = runtime.publishTerms(TermsParser.toJson(v));
                }
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
            TrafficFile.Stats read;
            if (timeline == null) {
                LocalRuntime.IngestSummary[] sum = {new LocalRuntime.IngestSummary(0, 0, 0, 0, 0)};
                TrafficFile.Stats[] stats = {null};
                try (Progress bar = new Progress(console, "ingest (Kinesis)", traffic.size(), Progress.BYTES)) {
                    long[] fed = {0};
                    runtime.bulkIngest(() -> stats[0] = traffic.stream(LocalRuntime.KINESIS_BATCH, b -> {
                        sum[0] = sum[0].plus(runtime.ingestBatch(b.records(), b::label));
                        fed[0] += b.size();
                    }, position -> bar.at(position, fed[0])));
                }
                read = stats[0];
                ingest = sum[0];
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
                read = timelineTraffic;
                run = new TimelineRun(runtime, console, decisions, period, plan, timeline, records, labels, arrivals);
                claims.putAll(run.run(claim ? everyAccount : List.of()));
                ingest = run.ingest();
                monthEnd = run.monthEnd().orElse(null);
            }
            List<LocalRuntime.Quarantined> quarantined = runtime.quarantined();

            List<Statement> statements = new ArrayList<>();
            List<String> noPeriod = new ArrayList<>();
            try (Progress bar = new Progress(console, "statements (Ledger)", (long) months.size() * everyAccount.size(),
                    "reads")) {
                for (YearMonth m : months) {
                    for (String id : everyAccount) {
                        runtime.statement(id, m).ifPresentOrElse(statements::add, () -> {
                            if (m.equals(period)) {
                                noPeriod.add(id);
                            }
                        });
                        bar.advance(1);
                    }
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
                Reports.write(report, "SLA Ledger replay: " + period, subtitle, runtime, statements, claims,
                        new HtmlReport.Omitted(noPeriod, quarantined.stream().limit(1000).map(q -> q.label() + ": "
                                + q.reason() + (q.detail().isEmpty() ? "" : " (" + q.detail() + ")")).toList(),
                                quarantined.size()));
            }

            console.println();
            StatementTable.print(console, statements, claims);
            console.println();
            console.println("Summary");
            console.printf("  traffic: %,d lines read, %,d records aggregated, %,d quarantined, %,d not stored, "
                    + "%,d blank lines skipped%n", read.lines(), ingest.aggregated(), ingest.quarantined(),
                    ingest.failed(), read.blank());
            runtime.aggregateKeysInMemory().ifPresent(keys -> console.printf(
                    "    (--engine memory: %,d (account, interval) aggregates held in this process)%n", keys));
            if (read.skipped() > 0) {
                console.printf("    %,d lines of other accounts skipped (--account)%n", read.skipped());
            }
            if (read.records() == 0) {
                warnings.add(trafficFile + " has no records" + (read.skipped() > 0 ? " of the chosen accounts" : "")
                        + ": every account's availability is 100 % by definition (S2), which may not be what happened");
            }
            if (!read.unknownAccounts().isEmpty()) {
                Map<String, Long> unknown = read.unknownAccounts();
                warnings.add(String.format("%,d records of %,d accounts not in %s (%s), so no statement counts them: "
                        + "%s", read.unknownRecords(), unknown.size(), accountsFile,
                        onlyAccounts.isEmpty() ? "ingested, as production would" : "skipped by --account",
                        unknown.entrySet().stream()
                                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                                .map(e -> String.format("%s (%,d)", e.getKey(), e.getValue())).toList()
                        + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : "")));
            }
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
            if (!warnings.isEmpty()) {
                console.println();
                console.println(warnings.size() + (warnings.size() == 1 ? " warning:" : " warnings:"));
                warnings.forEach(w -> console.println("  warning: " + w));
            }
            result = new Result(statements, claims, ingest, quarantined, read, noPeriod, decisions.list(), warnings);
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
                // the D5 path of the field: [i].field when the file is an array of versions
                throw new InputException(file + ": " + (root.isArray() ? "[" + i + "]." : "") + e.getMessage()
                        + " (version " + (i + 1) + " of " + docs.size() + ", \"" + docs.get(i).path("version").asText("?")
                        + "\")");
            }
        }
        return versions;
    }

    private static JsonNode readJson(Path file, String what) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InputException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": the " + what + " file is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Deletes the temporary work directory (notices, engine files): a run leaves nothing behind. */
    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the directory is in the system's temporary directory
        }
    }
}
