package dev.slaledger.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay}: the pipeline on exported files, to recompute a month and answer a dispute.
 *
 * <ol>
 * <li>D5 terms: the first version is the original terms (in force before any publication); each
 *     later one is published through {@code PUT /admin/terms} with the clock at 00:00 (terms' zone)
 *     of the latest date S6.1 allows ({@code effectiveFrom - noticeDays}), and the notifier it
 *     triggers sends every account with a current or future term its notice that same day, so the
 *     version governs each of them from its {@code effectiveFrom} (S6.3). Notices go to a file outbox.</li>
 * <li>D2 accounts: as billing events through the accounts handler.</li>
 * <li>D4 windows: through the maintenance-window handler.</li>
 * <li>D1 traffic: each non-blank line one Kinesis record through the ingest handler, clock at
 *     {@code --now}; bad lines are quarantined by the handler and listed in the summary.</li>
 * <li>The month-end for {@code --month} (fan-out to SQS, worker), clock at {@code --now}.</li>
 * <li>With {@code --claim}: {@code POST /claims} for every account at {@code --now}, over HTTP.</li>
 * </ol>
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Recompute a month from exported files through the real handlers on embedded engines "
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

    @Option(names = "--maintenance", paramLabel = "M.json", description = "D4 maintenance windows (JSON array)")
    Path maintenanceFile;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "the service period's month")
    String month;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "the clock of the run (ingest, month-end, claims), ISO-8601; default: the current time")
    String now;

    @Option(names = "--claim", description = "also submit every account's claim at --now and write its outcome "
            + "beside the statement (field \"claim\")")
    boolean claim;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the statements go")
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
            List<LocalRuntime.Quarantined> quarantined, int blankLines, List<String> withoutServicePeriod) {
    }

    Result result;

    @Override
    public Integer call() throws Exception {
        YearMonth period;
        Instant clockAt;
        try {
            period = YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw new InputException("--month must be YYYY-MM, was " + month);
        }
        try {
            clockAt = now == null ? Instant.now() : Instant.parse(now);
        } catch (DateTimeParseException e) {
            throw new InputException("--now must be an ISO-8601 instant such as 2026-11-10T08:00:00Z, was " + now);
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
        int blank = readTraffic(trafficFile, records, labels);

        Path work = workDir != null ? workDir : Files.createTempDirectory("sla-replay-");
        console.println("SLA Ledger replay of " + period + " at " + clockAt + " (every handler runs on a clock set to it)");
        console.println("Starting the embedded engines (work directory " + work + "):");
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

            LocalRuntime.IngestSummary ingest;
            try (Progress bar = new Progress(console, "ingest (Kinesis)", records.size(), "records")) {
                ingest = runtime.ingest(records, labels, bar::advance);
            }
            List<LocalRuntime.Quarantined> quarantined = runtime.quarantined();

            Map<String, Object> monthEnd;
            try (Progress bar = new Progress(console, "month-end (SQS)", (accountIds.size() + 19) / 20, "messages")) {
                monthEnd = runtime.runMonthEnd(period, bar::advance);
            }
            List<Statement> statements = new ArrayList<>();
            List<String> noPeriod = new ArrayList<>();
            for (String id : accountIds) {
                runtime.statement(id, period).ifPresentOrElse(statements::add, () -> noPeriod.add(id));
            }

            Map<String, JsonNode> claims = new LinkedHashMap<>();
            if (claim) {
                ClaimsClient client = new ClaimsClient(runtime.claimsEndpoint());
                for (String id : accountIds) {
                    claims.put(id, client.claim(id, period).body());
                }
            }

            ArrayNode array = JSON.createArrayNode();
            for (Statement s : statements) {
                ObjectNode n = StatementJson.toTree(s);
                if (claim) {
                    n.set("claim", claims.get(s.accountId()));
                }
                array.add(n);
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, JSON.writeValueAsString(array) + "\n", StandardCharsets.UTF_8);
            if (report != null) {
                Reports.write(report, "SLA Ledger replay: " + period, "Recomputed at " + clockAt + " from "
                        + trafficFile.getFileName() + " (" + ingest.aggregated() + " records aggregated, "
                        + ingest.quarantined() + " quarantined)", runtime, statements, claims);
            }

            console.println();
            StatementTable.print(console, statements, claims);
            console.println();
            console.println("Summary");
            console.printf("  traffic: %,d lines read, %,d records aggregated, %,d quarantined, %,d not stored, "
                    + "%,d blank lines skipped%n", records.size(), ingest.aggregated(), ingest.quarantined(),
                    ingest.failed(), blank);
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
            console.printf("  month-end %s: %s accounts with a service period, %s work messages%n", monthEnd.get("month"),
                    monthEnd.get("accounts"), monthEnd.get("workMessagesHandled"));
            if (!noPeriod.isEmpty()) {
                console.println("  no service period in " + period + " (no statement): " + String.join(", ", noPeriod)
                        + (claim ? "; their claims: " + noPeriod.stream().map(id -> id + " "
                                + StatementTable.claim(claims.get(id))).toList() : ""));
            }
            if (claim) {
                Map<String, Integer> outcomes = new TreeMap<>();
                claims.values().forEach(c -> outcomes.merge("ACCEPTED".equals(c.path("status").asText()) ? "ACCEPTED"
                        : c.path("reason").asText(c.path("title").asText("?")), 1, Integer::sum));
                console.println("  claims at " + clockAt + ": " + outcomes);
            }
            console.println("  events (in-process recorder, not sent): " + runtime.events().count("StatementCompensable")
                    + " StatementCompensable, " + runtime.events().count("VoucherIssued") + " VoucherIssued");
            console.println("  statements written to " + out + (report != null ? "; report written to " + report : ""));
            result = new Result(statements, claims, ingest, quarantined, blank, noPeriod);
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
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        int blank = 0;
        int line = 0;
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i == all.length && start == all.length) {
                    break;
                }
                line++;
                int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
                byte[] rec = java.util.Arrays.copyOfRange(all, start, end);
                if (new String(rec, StandardCharsets.UTF_8).isBlank()) {
                    blank++;
                } else {
                    records.add(rec);
                    labels.add("line " + line);
                }
                start = i + 1;
            }
        }
        return blank;
    }

}
