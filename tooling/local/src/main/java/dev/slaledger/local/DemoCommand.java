package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: a month of an API provider's life on a laptop, through the real handlers, on a
 * simulated clock that walks from the first billing event to the notices of a terms change.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, version = SlaLocal.VERSION,
        description = "Generate a realistic month of traffic for N accounts and run the whole pipeline through the "
                + "real handlers: ingest (a Kinesis stream read by the mapping poller), month-end (SQS fan-out), "
                + "claims, a terms change and its notices; print the statement table.")
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--accounts", defaultValue = "8", paramLabel = "N",
            description = "accounts to simulate (default ${DEFAULT-VALUE}: one per profile; more repeat the profiles)")
    int accounts;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "the simulated month (default: the month before the current one)")
    YearMonth month;

    @Option(names = "--seed", defaultValue = "42", description = "random seed of the traffic (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out-dir", defaultValue = "target/sla-demo", paramLabel = "DIR",
            description = "where statements.json, report.html and the mail go (default ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "where the HTML report goes (default: report.html in --out-dir)")
    Path report;

    @Option(names = "--no-ses-emulator", description = "write notices as .eml files even when the SES emulator is there")
    boolean noSesEmulator;

    @Option(names = "--verbose", description = "print the handlers' log lines, and the stack trace of a failure")
    boolean verbose;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "memory",
            description = "where the state lives: memory (default: the tables, the stream, the bus and the queues in "
                    + "this process, through the same handlers and wirings; about ten seconds) or emulators (moto, "
                    + "ElasticMQ: the AWS wire path, one round trip per item; about a minute and a half)")
    LocalRuntime.Engine engine;

    private final PrintStream console;
    private final Clock wallClock;

    DemoCommand(PrintStream console) {
        this(console, Clock.systemUTC());
    }

    DemoCommand(PrintStream console, Clock wallClock) {
        this.console = console;
        this.wallClock = wallClock;
    }

    record Result(List<Statement> statements, Map<String, JsonNode> claims, int noticesSent, Path report) {
    }

    Result result;

    /** One demo run's engines, clock, month and simulated accounts. */
    private record Run(LocalRuntime runtime, SettableClock clock, YearMonth m, DemoTraffic demo) {
    }

    @Override
    public Integer call() throws Exception {
        if (accounts < 1) {
            throw new UsageException("--accounts must be at least 1, was " + accounts);
        }
        long started = System.nanoTime();
        YearMonth m = month != null ? month : YearMonth.now(wallClock).minusMonths(1);
        Arguments.writableDirectory(outDir, "--out-dir " + outDir + ":");
        Path reportFile = report != null ? report : outDir.resolve("report.html");
        Arguments.writableFile(reportFile, "--report");
        DemoTraffic demo = new DemoTraffic(m, accounts, seed);
        // S8.1: the original terms tell every compensable account what it may claim (notify)
        TermsVersion original = DefaultTerms.version().withEligibility(new Eligibility(true, false));
        SettableClock clock = new SettableClock(m.atDay(1).minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC));

        Path log = HandlerLog.current().writeTo(outDir.resolve(HandlerLog.FILE_NAME), verbose);
        console.println("SLA Ledger demo: " + accounts + " accounts, " + m + ", on a simulated clock "
                + "(the handlers see the simulated time; nothing here reads the real clock but the default month)");
        console.println("The handlers' log lines go to " + ReplayCommand.relative(log)
                + (verbose ? " and here" : " (--verbose: here too)"));
        console.println("1. Starting the local engines (--engine " + engine.name().toLowerCase(java.util.Locale.ROOT)
                + "):");
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Settings(outDir, SlaLocal.repoRoot(), original,
                !noSesEmulator, verbose, engine), clock, console)) {
            Run run = new Run(runtime, clock, m, demo);
            applyBilling(run, autoClaim(run, original));
            ingestMonth(run);
            List<Statement> statements = monthEnd(run);
            Map<String, JsonNode> claims = new LinkedHashMap<>();
            Instant claimTime = claims(run, statements, claims);
            int sent = termsChange(run, original, claimTime);
            writeOutputs(run, statements, claims, reportFile, claimTime);
            console.printf("Done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
            result = new Result(statements, claims, sent, reportFile);
        }
        return 0;
    }

    /**
     * S8.3 for one account: a version with autoClaim, published while only that account is a customer,
     * governs its month (notified 30 days ahead, S6.3) and no other account's. The account, if any.
     */
    private Optional<String> autoClaim(Run run, TermsVersion original) {
        DemoTraffic demo = run.demo();
        SettableClock clock = run.clock();
        Optional<String> autoClaimed = demo.profiles().size() > 1
                ? Optional.of(demo.profiles().get(1).accountId()) : Optional.empty();
        Instant billingAt = clock.instant();
        if (autoClaimed.isPresent()) {
            clock.set(run.m().atDay(1).minusDays(35).atTime(9, 0).toInstant(ZoneOffset.UTC));
            TermsVersion auto = demo.autoClaimTerms(original);
            for (JsonNode account : demo.accounts()) {
                if (account.path("accountId").asText().equals(autoClaimed.get())) {
                    for (String event : BillingEvents.of(account, "demo", clock.instant())) {
                        run.runtime().applyBillingEvent(event);
                    }
                }
            }
            APIGatewayV2HTTPResponse r = run.runtime().publishTerms(dev.slaledger.core.terms.TermsParser.toJson(auto));
            console.println("   S8: the original terms notify every compensable account (eligibility.notify); "
                    + "version " + auto.version() + " (autoClaim, effective " + auto.effectiveFrom() + ") is "
                    + "published at " + clock.instant() + " (" + r.getStatusCode() + ") while only "
                    + autoClaimed.get() + " is a customer: notified 30 days ahead, it is the one account it "
                    + "governs in " + run.m() + " (S6.3)");
            clock.set(billingAt);
        }
        return autoClaimed;
    }

    /** Every other account's billing events through the accounts handler. */
    private void applyBilling(Run run, Optional<String> autoClaimed) {
        console.println("2. Billing events -> accounts handler (clock " + run.clock().instant() + ")");
        int events = 0;
        for (JsonNode account : run.demo().accounts()) {
            if (autoClaimed.isPresent() && account.path("accountId").asText().equals(autoClaimed.get())) {
                continue; // applied above
            }
            for (String event : BillingEvents.of(account, "demo", run.clock().instant())) {
                run.runtime().applyBillingEvent(event);
                events++;
            }
        }
        for (DemoTraffic.Profile p : run.demo().profiles()) {
            console.println("   " + p.accountId() + ": " + p.description());
        }
        console.println("   " + events + " billing events applied");
    }

    /** The month's traffic, a day at a time, and the maintenance windows announced on each day. */
    private void ingestMonth(Run run) {
        console.println("3. Traffic -> Kinesis stream " + (engine == LocalRuntime.Engine.MEMORY ? "in this process"
                : "on moto (PutRecords)") + " -> mapping poller -> ingest handler in"
                + " Kinesis events, one day at a time (clock at the end of each day). Background traffic is"
                + " one pre-aggregated 5-minute interval per hour per account (the"
                + " edge-collector shape of D1), not all 288 a day, to keep the demo under a minute; incidents are"
                + " every interval they span, plus raw request records and a few malformed ones");
        LocalRuntime.IngestSummary total = new LocalRuntime.IngestSummary(0, 0, 0, 0, 0);
        try (Progress bar = new Progress(console, "ingest (Kinesis)", run.demo().totalRecords(), "records")) {
            for (int day = 1; day <= run.m().lengthOfMonth(); day++) {
                for (DemoTraffic.Window w : run.demo().windowsAnnouncedOn(day)) {
                    run.clock().set(w.announcedAt());
                    APIGatewayV2HTTPResponse r = run.runtime().putMaintenanceWindow(w.json());
                    if (r.getStatusCode() != 200) {
                        throw new IllegalStateException("maintenance window refused: " + r.getBody());
                    }
                    bar.note("   maintenance window " + w.id() + " recorded via PUT /admin/maintenance-windows "
                            + "(announced " + w.announcedAt() + ", " + w.description() + ")");
                }
                run.clock().set(run.m().atDay(day).plusDays(1).atStartOfDay().plusMinutes(1).toInstant(ZoneOffset.UTC));
                List<byte[]> records = run.demo().recordsOfDay(day);
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < records.size(); i++) {
                    labels.add("day " + day + " record " + (i + 1));
                }
                total = total.plus(run.runtime().ingest(records, labels, bar::advance));
            }
        }
        console.printf("   %,d records in %d Kinesis events: %,d aggregated, %,d quarantined (%s)%n",
                total.recordsIn(), total.batches(), total.aggregated(), total.quarantined(),
                run.runtime().quarantined().stream().map(LocalRuntime.Quarantined::reason).distinct().toList());
    }

    /** The month-end through the scheduler's invocation and the worker; the statements it computed. */
    private List<Statement> monthEnd(Run run) {
        run.clock().set(run.m().plusMonths(1).atDay(1).atTime(0, 30).toInstant(ZoneOffset.UTC));
        console.println("4. Month-end (clock " + run.clock().instant() + "): scheduler event -> month-end handler -> "
                + (engine == LocalRuntime.Engine.MEMORY ? "work queue (in this process)" : "ElasticMQ")
                + " -> statement worker");
        Map<String, Object> monthEnd;
        try (Progress bar = new Progress(console, "month-end (SQS)", (accounts + 19) / 20, "messages")) {
            monthEnd = run.runtime().runMonthEnd(run.m(), bar::advance);
        }
        console.println("   " + monthEnd.get("accounts") + " accounts, " + monthEnd.get("workMessagesHandled")
                + " work messages");
        List<Statement> statements = new ArrayList<>();
        for (DemoTraffic.Profile p : run.demo().profiles()) {
            run.runtime().statement(p.accountId(), run.m()).ifPresent(statements::add);
        }
        return statements;
    }

    /** An early claim, the notifier's daily run at the window's opening, then every account claims. The claim time. */
    private Instant claims(Run run, List<Statement> statements, Map<String, JsonNode> claims) {
        YearMonth m = run.m();
        DemoTraffic demo = run.demo();
        ClaimsClient client = new ClaimsClient(run.runtime().claimsEndpoint());
        String eager = demo.profiles().get(0).accountId();
        run.clock().set(m.plusMonths(1).atDay(2).atTime(10, 0).toInstant(ZoneOffset.UTC));
        ClaimsClient.Answer early = client.claim(eager, m);
        console.println("5. Claims over HTTP (" + run.runtime().claimsEndpoint() + "/claims, account in the local-only "
                + ClaimsHttpServer.ACCOUNT_HEADER + " header)");
        console.println("   " + run.clock().instant() + " " + eager + " claims early: " + early.status() + " "
                + StatementTable.claim(early.body()));
        OffsetDateTime opens = statements.isEmpty() ? m.plusMonths(1).atDay(10).atStartOfDay().atOffset(ZoneOffset.UTC)
                : statements.get(0).claimOpensAt();
        Instant claimTime = opens.toInstant().plusSeconds(9 * 3600);
        run.clock().set(claimTime);
        Map<String, Object> daily = run.runtime().runNotifier();
        console.println("   " + claimTime + " the notifier's daily run (09:00, the window's opening day; none "
                + "before it): " + eligibilitySent(daily));
        for (DemoTraffic.Profile p : demo.profiles()) {
            ClaimsClient.Answer a = client.claim(p.accountId(), m);
            claims.put(p.accountId(), a.body());
        }
        ClaimsClient.Answer again = client.claim(demo.profiles().get(Math.min(2, accounts - 1)).accountId(), m);
        console.println("   " + claimTime + " (the window opened " + opens + "): every account claims; a repeated "
                + "claim answers " + again.status() + " with the claim that stands (S4.4)");
        return claimTime;
    }

    /** PUT /admin/terms of the next version; the notifier runs on the TermsPublished trigger. The notices sent. */
    private int termsChange(Run run, TermsVersion original, Instant claimTime) throws IOException {
        LocalRuntime runtime = run.runtime();
        console.println("6. A terms change: PUT /admin/terms (clock " + run.clock().instant() + "), the notifier runs on "
                + "the TermsPublished trigger");
        TermsVersion next = run.demo().nextTerms(original, LocalDate.ofInstant(claimTime, ZoneOffset.UTC));
        int changeRuns = runtime.notifierRuns().size();
        APIGatewayV2HTTPResponse published = runtime.publishTerms(dev.slaledger.core.terms.TermsParser.toJson(next));
        console.println("   " + published.getStatusCode() + ": version " + next.version() + " effective "
                + next.effectiveFrom() + " (commitment " + next.commitment() + "%, claims close "
                + next.claim().closesMonthsAfterPeriodEnd() + " months after the period)");
        int sent = 0;
        List<Map<String, Object>> runs = runtime.notifierRuns();
        for (Map<String, Object> r : runs.subList(changeRuns, runs.size())) {
            console.println("   notifier: " + outcomes(r.get("counts")));
            Object counts = r.get("counts");
            if (counts instanceof Map<?, ?> c && c.get("SENT") instanceof Integer n) {
                sent += n;
            }
        }
        noticesWhere(runtime);
        return sent;
    }

    /** statements.json, the report, and the statement table on the console. */
    private void writeOutputs(Run run, List<Statement> statements, Map<String, JsonNode> claims, Path reportFile,
            Instant claimTime) throws IOException {
        LocalRuntime runtime = run.runtime();
        ArrayNode array = JSON.createArrayNode();
        for (Statement s : statements) {
            array.add(ReplayRun.statementJson(s, runtime.traffic(s).size() == 0, claims.get(s.accountId())));
        }
        Files.writeString(outDir.resolve("statements.json"), JSON.writeValueAsString(array) + "\n",
                StandardCharsets.UTF_8);
        Reports.write(reportFile, "SLA Ledger demo: " + run.m(), accounts + " simulated accounts, seed " + seed
                + ", computed by the month-end worker " + (engine == LocalRuntime.Engine.MEMORY
                        ? "(tables in memory)" : "on moto (DynamoDB)"), runtime, statements, claims);

        console.println();
        console.println("Statements of " + run.m() + " (claims at " + claimTime + "):");
        StatementTable.print(console, statements, claims);
        console.println();
        console.println("Events the functions would have put on EventBridge (recorded in-process): "
                + runtime.events().count("StatementCompensable") + " StatementCompensable, "
                + runtime.events().count("VoucherIssued") + " VoucherIssued");
        console.println("Written: " + outDir.resolve("statements.json") + ", " + reportFile);
    }

    /** Which eligibility notices a daily run sent (S8.2 eligible, S8.3 credited), by account and key. */
    @SuppressWarnings("unchecked")
    private static String eligibilitySent(Map<String, Object> run) {
        Object e = run.get("eligibility");
        if (!(e instanceof Map<?, ?> m) || !(m.get("SENT") instanceof List<?> list)) {
            return "no eligibility notice";
        }
        List<String> out = new ArrayList<>();
        for (Map<String, String> n : (List<Map<String, String>>) list) {
            String key = n.get("version");
            out.add(n.get("accountId") + (key.endsWith("#CREDITED") ? " credited (autoClaim filed its claim)"
                    : " told it may claim " + key.substring(key.lastIndexOf('#') + 1)));
        }
        return String.join("; ", out);
    }

    /**
     * The notifier's counts in words, the non-zero ones: {@code 7 sent, 1 skipped (no email)}; all
     * zero: {@code nothing to send}.
     */
    static String outcomes(Object counts) {
        if (!(counts instanceof Map<?, ?> map)) {
            return String.valueOf(counts);
        }
        List<String> parts = new ArrayList<>();
        map.forEach((k, v) -> {
            if (v instanceof Number n && n.longValue() != 0) {
                parts.add(n + " " + String.valueOf(k).toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        });
        return parts.isEmpty() ? "nothing to send" : String.join(", ", parts);
    }

    private void noticesWhere(LocalRuntime runtime) throws java.io.IOException {
        if (runtime.sesEmulator().isPresent()) {
            List<JsonNode> emails = runtime.sesEmulator().get().emails();
            ArrayNode store = JSON.createArrayNode();
            emails.forEach(store::add);
            Files.writeString(outDir.resolve("ses-store.json"), JSON.writeValueAsString(store), StandardCharsets.UTF_8);
            console.println("   " + emails.size() + " emails received by the SES emulator (saved to "
                    + outDir.resolve("ses-store.json") + ")" + (emails.size() > 3 ? "; the first 3:" : ":"));
            emails.stream().limit(3).forEach(e -> console.println("     to " + e.path("destination").path("to").path(0)
                    .asText() + ": " + e.path("subject").asText()));
        } else if (runtime.outbox().isPresent()) {
            Path dir = runtime.outbox().get().directory();
            try (var files = Files.list(dir)) {
                List<Path> eml = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
                console.println("   " + eml.size() + " notices written as .eml files to " + dir
                        + " (file outbox: no SES emulator, nothing was sent)");
            }
        }
    }
}
