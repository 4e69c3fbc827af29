package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ConflictingBillingEventException;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One {@code replay} run on read inputs ({@link ReplayInputs}), in the order docs/local.md gives:
 * D2 accounts through the accounts handler, D5 terms published, D4 windows recorded, D1 traffic through
 * the ingest handler (streamed, or along the D6 timeline with {@link TimelineRun}), the month-end, the
 * claims; then the files ({@code --out}, {@code --decisions}, {@code --report}) and the summary with
 * the coverage of the month and the warnings ({@link Coverage}).
 */
final class ReplayRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final BillingEventParser BILLING = new BillingEventParser();
    /** The statement table shows this many rows; the rest are in --out and the report. */
    static final int TABLE_ROWS = 50;

    private final ReplayCommand c;
    private final ReplayInputs in;
    private final WorkDirectory work;
    private final PrintStream console;
    private final SettableClock clock;
    private final Map<String, JsonNode> claims = new LinkedHashMap<>();
    /** {@code --forecast-at}: the forecast as of that instant (null without it). */
    private ForecastRun.Result forecast;
    /** Each statement's evidence, with {@code --evidence} or {@code --report} (empty otherwise). */
    private Map<String, Evidence.Listing> evidence = Map.of();

    ReplayRun(ReplayCommand command, ReplayInputs inputs, WorkDirectory work, PrintStream console) {
        this.c = command;
        this.in = inputs;
        this.work = work;
        this.console = console;
        this.clock = new SettableClock(inputs.start);
    }

    /** What the traffic phase did: the ingest's sums, the file's stats, the month-end, the timeline run. */
    private record Fed(LocalRuntime.IngestSummary ingest, TrafficFile.Stats read, Map<String, Object> monthEnd,
            TimelineRun timeline) {
    }

    /** The statements of the run's months, and the accounts of {@code --month} without one. */
    private record Found(List<Statement> statements, List<String> withoutPeriod, Set<String> withoutTraffic) {
    }

    ReplayCommand.Result run() throws IOException {
        if (c.forecastAt != null && c.forecastAt.isAfter(in.start)) {
            throw new UsageException("--forecast-at " + c.forecastAt + " is after the replay's clock " + in.start
                    + " (--now, default the current time)");
        }
        header();
        console.println("Starting the local engines (work directory " + work.path()
                + (work.temporary() ? ", temporary: deleted at the end; --work-dir keeps it" : "") + "):");
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Settings(work.path(), SlaLocal.repoRoot(),
                in.versions.get(0), false, c.verbose, c.engine), clock, console)) {
            List<String> accountIds = applyAccounts(runtime);
            publishTerms(runtime);
            recordWindows(runtime);
            Decisions decisions = new Decisions(runtime.claimsClient(), clock);
            List<String> everyAccount = new ArrayList<>(accountIds);
            List<YearMonth> months = months(everyAccount);
            Fed fed = in.timeline == null ? bulk(runtime, accountIds) : timeline(runtime, decisions, everyAccount);
            List<LocalRuntime.Quarantined> quarantined = runtime.quarantined();
            Found found = statements(runtime, months, everyAccount);
            if (c.claim && in.timeline == null) {
                for (String id : accountIds) {
                    claims.put(id, decisions.claim(id, c.month, null));
                }
            }
            writeFiles(runtime, found, decisions, fed, quarantined);
            Coverage coverage = new Coverage(c.trafficFile, c.accountsFile, c.month, in.zone, fed.read(), quarantined,
                    fed.ingest().recordsIn(), List.copyOf(found.withoutTraffic()),
                    (int) found.statements().stream().filter(s -> s.month().equals(c.month)).count(),
                    !c.onlyAccounts.isEmpty(), in.end());
            List<String> warnings = coverage.warnings();
            summary(runtime, found, fed, coverage, decisions, warnings);
            return new ReplayCommand.Result(found.statements(), claims, fed.ingest(), quarantined, fed.read(),
                    found.withoutPeriod(), decisions.list(), warnings, coverage, evidence, forecast);
        }
    }

    private void header() {
        if (in.timeline == null) {
            console.println("SLA Ledger replay of " + c.month + " at " + in.start
                    + " (every handler runs on a clock set to it)");
        } else {
            console.println("SLA Ledger replay of " + c.month + " along the timeline " + c.eventsFile + " ("
                    + in.timeline.size() + " events), from " + in.plan.start() + " to " + in.plan.end()
                    + " (every handler runs on a clock the timeline moves)");
        }
        if (!c.onlyAccounts.isEmpty()) {
            console.println("Only the accounts " + String.join(", ", c.onlyAccounts) + " (--account)");
        }
    }

    /**
     * D2: each account's billing events through the accounts handler (on the bus on the emulators
     * engine); without a timeline, the emulators engine loads them with batch writes instead
     * ({@link #importAccounts}).
     */
    private List<String> applyAccounts(LocalRuntime runtime) {
        List<ReplayInputs.Account> accounts = in.takeAccounts();
        if (in.timeline == null && runtime.importsAccounts()) {
            Optional<List<String>> imported = importAccounts(runtime, accounts);
            if (imported.isPresent()) {
                return imported.get();
            }
        }
        List<String> ids = new ArrayList<>();
        long events = accounts.stream().mapToLong(a -> a.events().size()).sum();
        try (Progress bar = new Progress(console, "accounts (EventBridge)", events, "events")) {
            for (ReplayInputs.Account account : accounts) {
                for (BillingEvents.Event event : account.events()) {
                    try {
                        runtime.applyBillingEvent(event.json());
                    } catch (InvalidBillingEventException e) {
                        throw new InputException(account.where() + ": " + event.pathOf(e.field())
                                + ": the accounts handler refused it: " + e.reason());
                    }
                    bar.advance(1);
                }
                ids.add(account.id());
            }
        }
        console.printf("Accounts: %,d accounts as %,d billing events through the accounts handler%n", ids.size(),
                events);
        return ids;
    }

    /**
     * D2 on the emulators engine without a timeline: the accounts table is empty (nothing has run yet),
     * so the events are loaded with batch writes of the accounts handler's item images, its stale
     * marks and the other rules' deliveries ({@link LocalRuntime#importAccounts}) instead of one bus
     * round trip, read and transaction each. Empty when the registry refuses an event (a billing
     * version reused with other content; nothing was written): the events then go through the
     * handler, which names the entry.
     */
    private Optional<List<String>> importAccounts(LocalRuntime runtime, List<ReplayInputs.Account> accounts) {
        List<String> ids = new ArrayList<>();
        List<BillingEvent> events = new ArrayList<>();
        List<String> envelopes = new ArrayList<>();
        for (ReplayInputs.Account account : accounts) {
            for (BillingEvents.Event event : account.events()) {
                try {
                    events.add(BILLING.parse(event.json()));
                } catch (InvalidBillingEventException e) {
                    throw new InputException(account.where() + ": " + event.pathOf(e.field())
                            + ": the accounts handler refused it: " + e.reason());
                }
                envelopes.add(event.json());
            }
            ids.add(account.id());
        }
        LocalRuntime.AccountsImport done;
        long started = System.nanoTime();
        try (Progress bar = new Progress(console, "accounts (BatchWrite)", events.size(), "events")) {
            try {
                done = runtime.importAccounts(events, envelopes, bar::advance);
            } catch (ConflictingBillingEventException e) {
                bar.note("  the accounts table refused an event (" + e.reason() + "); nothing was written:"
                        + " the events go through the accounts handler one by one");
                return Optional.empty();
            }
        }
        console.printf("Accounts: %,d accounts as %,d billing events, loaded with batch writes (the accounts"
                + " handler's item images) in %s: %,d items in %,d BatchWriteItem requests, %,d stale marks (S7.1),"
                + " %,d events on the notice queue (the NoticeBillingEvents rule's)%n", ids.size(), events.size(),
                Progress.duration((System.nanoTime() - started) / 1e9), done.items(), done.requests(), done.marks(),
                done.notices());
        return Optional.of(ids);
    }

    /** D5: each later version published with the clock at the latest date S6.1 and S9.4 allow (earlier when S9.4 needs more days). */
    private void publishTerms(LocalRuntime runtime) {
        TermsVersion current = in.versions.get(0);
        console.println("Terms: original " + current.version() + " (effective " + current.effectiveFrom() + ", "
                + current.timeZone() + ")");
        for (int i = 1; i < in.versions.size(); i++) {
            TermsVersion v = in.versions.get(i);
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
                throw new InputException(c.termsFile + " version " + (i + 1) + " (" + v.version()
                        + "): PUT /admin/terms answered " + r.getStatusCode() + ": " + r.getBody());
            }
            console.println("  published " + v.version() + " on " + publishOn + " (effective " + v.effectiveFrom()
                    + "); notices sent that day: " + sent(runtime));
            current = v;
        }
        clock.set(in.start);
    }

    private static String sent(LocalRuntime runtime) {
        List<Map<String, Object>> runs = runtime.notifierRuns();
        if (runs.isEmpty()) {
            return "0";
        }
        Object counts = runs.get(runs.size() - 1).get("counts");
        return counts instanceof Map<?, ?> m ? String.valueOf(m.get("SENT")) : "?";
    }

    /** D4: each window through the maintenance-window handler. */
    private void recordWindows(LocalRuntime runtime) {
        for (JsonInput.Entry w : in.windows) {
            APIGatewayV2HTTPResponse r = runtime.putMaintenanceWindow(w.node().toString());
            if (r.getStatusCode() != 200) {
                throw new InputException(w.where(c.maintenanceFile) + ": PUT /admin/maintenance-windows answered "
                        + r.getStatusCode() + ": " + r.getBody());
            }
        }
        console.printf("Maintenance windows: %d through the maintenance-window handler%n", in.windows.size());
    }

    /** --month, and with a timeline every month a Claim or MonthEnd names; every account the timeline names joins. */
    private List<YearMonth> months(List<String> everyAccount) {
        List<YearMonth> months = new ArrayList<>(List.of(c.month));
        if (in.timeline != null) {
            for (Timeline.Event e : in.timeline) {
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
        }
        return months;
    }

    /** D1 streamed through the ingest handler at --now, then the month-end. */
    private Fed bulk(LocalRuntime runtime, List<String> accountIds) {
        LocalRuntime.IngestSummary[] sum = {new LocalRuntime.IngestSummary(0, 0, 0, 0, 0)};
        TrafficFile.Stats[] stats = {null};
        try (Progress bar = new Progress(console, "ingest (Kinesis)", in.traffic.size(), Progress.BYTES)) {
            long[] fed = {0};
            runtime.bulkIngest(() -> stats[0] = in.traffic.streamAhead(LocalRuntime.KINESIS_BATCH, b -> {
                sum[0] = sum[0].plus(runtime.ingestBatch(b.records(), b::label));
                fed[0] += b.size();
            }, position -> bar.at(position, fed[0])));
        }
        if (c.forecastAt != null) { // S9.8: the job's code at that instant, on every record replayed
            forecast = ForecastRun.run(runtime, c.forecastAt);
            clock.set(in.start);
        }
        Map<String, Object> monthEnd;
        try (Progress bar = new Progress(console, "month-end (SQS)", (accountIds.size() + 19) / 20, "messages")) {
            monthEnd = runtime.runMonthEnd(c.month, bar::advance);
        }
        return new Fed(sum[0], stats[0], monthEnd, null);
    }

    /** Along the D6 timeline: traffic as it arrives, the month-end, the restatement runs and the events. */
    private Fed timeline(LocalRuntime runtime, Decisions decisions, List<String> everyAccount) {
        console.println("Timeline: month-end " + (in.plan.monthEndScheduled() ? "scheduled at " + in.plan.monthEnd()
                : "at " + in.plan.monthEnd() + " (" + c.eventsFile + " line " + in.plan.monthEndLine() + ")")
                + "; restatement runs daily at " + Timeline.RESTATEMENT_TIME + " " + in.zone + " ("
                + in.plan.restatements().size() + "); D1 records as they arrive");
        ReplayInputs.TimelineTraffic t = in.timelineTraffic;
        TimelineRun run = new TimelineRun(runtime, console, decisions, c.month, in.plan, in.timeline, t.records(),
                t.labels(), t.arrivals());
        claims.putAll(run.run(c.claim ? everyAccount : List.of()));
        return new Fed(run.ingest(), t.stats(), run.monthEnd().orElse(null), run);
    }

    /** Each account-month's latest revision; whether its service period had any traffic ("traffic": "none"). */
    private Found statements(LocalRuntime runtime, List<YearMonth> months, List<String> everyAccount) {
        List<Statement> statements = new ArrayList<>();
        List<String> noPeriod = new ArrayList<>();
        Set<String> noTraffic = new HashSet<>();
        try (Progress bar = new Progress(console, "statements (Ledger)", (long) months.size() * everyAccount.size(),
                "reads")) {
            for (YearMonth m : months) {
                for (String id : everyAccount) {
                    runtime.statement(id, m).ifPresentOrElse(s -> {
                        statements.add(s);
                        if (runtime.traffic(s).size() == 0) {
                            noTraffic.add(key(s));
                        }
                    }, () -> {
                        if (m.equals(c.month)) {
                            noPeriod.add(id);
                        }
                    });
                    bar.advance(1);
                }
            }
        }
        return new Found(statements, noPeriod, noTraffic);
    }

    static String key(Statement s) {
        return s.accountId() + "\u0000" + s.month();
    }

    private void writeFiles(LocalRuntime runtime, Found found, Decisions decisions, Fed fed,
            List<LocalRuntime.Quarantined> quarantined) throws IOException {
        // streamed a statement at a time (the text an ArrayNode of them would print, without holding
        // the whole tree and its string: 100 MB and more at 100,000 accounts)
        try (Writer w = Files.newBufferedWriter(c.out, StandardCharsets.UTF_8);
                JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (Statement s : found.statements()) {
                JSON.writeTree(g, statementJson(s, found.withoutTraffic().contains(key(s)),
                        c.claim && s.month().equals(c.month) ? claims.get(s.accountId()) : null));
            }
            g.writeEndArray();
            g.flush();
            w.write("\n");
        }
        if (c.decisionsFile != null) {
            decisions.write(c.decisionsFile);
        }
        if (c.evidenceDir != null || c.report != null) { // S9.6: the intervals route, as the customer reads it
            evidence = Evidence.of(runtime, found.statements());
        }
        if (c.evidenceDir != null) {
            Evidence.write(c.evidenceDir, evidence);
        }
        if (c.report != null) {
            String counts = " (" + fed.ingest().aggregated() + " records aggregated, " + fed.ingest().quarantined()
                    + " quarantined)";
            String subtitle = in.timeline == null
                    ? "Recomputed at " + in.start + " from " + c.trafficFile.getFileName() + counts
                    : "Replayed along " + c.eventsFile.getFileName() + " up to " + in.plan.end() + " with "
                            + c.trafficFile.getFileName() + counts;
            Reports.write(c.report, "SLA Ledger replay: " + c.month, subtitle, runtime, found.statements(), claims,
                    new HtmlReport.Omitted(found.withoutPeriod(), quarantined.stream().limit(1000).map(q -> q.label()
                            + ": " + q.reason() + (q.detail().isEmpty() ? "" : " (" + q.detail() + ")")).toList(),
                            quarantined.size()), evidence, forecast);
        }
    }

    /**
     * A D3 statement as {@code --out} holds it: with {@code "traffic": "none"} when its service period
     * had no aggregate (S3.1: 100 % from no traffic, said so), and the claim answer with {@code --claim}.
     */
    static ObjectNode statementJson(Statement s, boolean noTraffic, JsonNode claim) {
        ObjectNode n;
        try {
            n = (ObjectNode) JSON.readTree(StatementJson.toJson(s));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a statement's own JSON did not parse", e);
        }
        if (noTraffic) {
            n.put("traffic", "none");
        }
        if (claim != null) {
            n.set("claim", claim);
        }
        return n;
    }

    private void summary(LocalRuntime runtime, Found found, Fed fed, Coverage coverage, Decisions decisions,
            List<String> warnings) {
        console.println();
        StatementTable.print(console, found.statements(), claims, TABLE_ROWS);
        console.println();
        console.println("Summary");
        console.printf("  traffic: %,d records aggregated, %,d quarantined, %,d not stored%n", fed.ingest().aggregated(),
                fed.ingest().quarantined(), fed.ingest().failed());
        runtime.aggregateKeysInMemory().ifPresent(keys -> console.printf(
                "    (--engine memory: %,d (account, interval) aggregates held in this process)%n", keys));
        if (fed.timeline() != null && fed.timeline().trafficEvents() > 0) {
            console.printf("    (of which %,d late records from the timeline's Traffic events)%n",
                    fed.timeline().trafficEvents());
        }
        coverage.print(console);
        List<LocalRuntime.Quarantined> quarantined = coverage.quarantined();
        quarantined.stream().limit(20).forEach(q -> console.println("    " + q.label() + ": " + q.reason()
                + (q.detail().isEmpty() ? "" : " (" + q.detail() + ")")));
        if (quarantined.size() > 20) {
            console.println("    ... and " + (quarantined.size() - 20) + " more");
        }
        steps(fed, found, decisions);
        console.println("  events (in-process recorder, not sent): " + runtime.events().count("StatementCompensable")
                + " StatementCompensable, " + runtime.events().count("VoucherIssued") + " VoucherIssued");
        if (forecast != null) {
            ForecastRun.print(console, forecast);
        }
        if (c.evidenceDir != null) {
            long counted = evidence.values().stream().filter(Evidence.Listing::found).mapToLong(l -> l.counted().size()).sum();
            long excluded = evidence.values().stream().filter(Evidence.Listing::found).mapToLong(l -> l.excluded().size()).sum();
            long problems = evidence.values().stream().filter(l -> !l.found()).count();
            console.printf("  evidence (S9.6, GET /statements/{month}/intervals): %,d statements, %,d intervals that count, "
                    + "%,d excluded%s; written to %s%n", evidence.size(), counted, excluded,
                    problems == 0 ? "" : ", " + problems + " answered with a problem (in their files)", c.evidenceDir);
        }
        console.println("  statements written to " + c.out + (c.report != null ? "; report written to " + c.report : ""));
        if (!warnings.isEmpty()) {
            console.println();
            console.println(warnings.size() + (warnings.size() == 1 ? " warning:" : " warnings:"));
            warnings.forEach(w -> console.println("  warning: " + w));
        }
    }

    /** The month-end, the restatement runs, the accounts without a service period, the claims. */
    private void steps(Fed fed, Found found, Decisions decisions) {
        if (fed.monthEnd() != null) {
            console.printf("  month-end %s: %s accounts with a service period, %s work messages%n",
                    fed.monthEnd().get("month"), fed.monthEnd().get("accounts"), fed.monthEnd().get("workMessagesHandled"));
        } else {
            console.println("  month-end " + c.month + " not run: due at " + in.plan.monthEnd() + ", after the end "
                    + in.plan.end());
        }
        if (fed.timeline() != null) {
            console.println("  restatement runs: " + fed.timeline().restatementRuns() + " (daily at "
                    + Timeline.RESTATEMENT_TIME + " " + in.zone + "), " + fed.timeline().restatedAccountMonths()
                    + " stale account-months handed to the worker");
        }
        List<String> noPeriod = found.withoutPeriod();
        if (!noPeriod.isEmpty()) {
            console.println("  no service period in " + c.month + " (no statement): " + String.join(", ",
                    noPeriod.stream().limit(20).toList()) + (noPeriod.size() > 20 ? " and " + (noPeriod.size() - 20)
                            + " more" : "") + (c.claim && noPeriod.size() <= 20 ? "; their claims: " + noPeriod.stream()
                                    .map(id -> id + " " + StatementTable.claim(claims.get(id))).toList() : ""));
        }
        if (c.claim && in.timeline == null) {
            Map<String, Integer> outcomes = new TreeMap<>();
            claims.values().forEach(x -> outcomes.merge("ACCEPTED".equals(x.path("status").asText()) ? "ACCEPTED"
                    : x.path("reason").asText(x.path("title").asText("?")), 1, Integer::sum));
            console.println("  claims at " + in.start + ": " + outcomes);
        }
        if (in.timeline != null) {
            console.println("  claim decisions: " + decisions.list().size() + " " + decisions.outcomes()
                    + (c.decisionsFile != null ? "; written to " + c.decisionsFile : ""));
        } else if (c.decisionsFile != null) {
            console.println("  claim decisions: " + decisions.list().size() + "; written to " + c.decisionsFile);
        }
    }
}
