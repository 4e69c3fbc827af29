package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} on the sample under {@code examples/}, through the real handlers on the embedded
 * engines, checked against statements worked out by hand (N = 288 x 31 = 8,928 for a full October):
 *
 * <ul>
 * <li>acme: 20 failed intervals, one interval of raw records with V=4 (200, 200, 404, 503) E=1 -> 1/4,
 *     one interval with only an unreached request -> 1; sum 21.25, A = 1 - 21.25/8928 = 99.7619 %;
 *     under terms 2026-10 (commitment 99.95) -> 10 % of 900.00 = 90.00 EUR</li>
 * <li>globex: 200 failed intervals, some under a window announced late (excludes nothing):
 *     A = 1 - 200/8928 = 97.7598 % -> 25 % of 500.00 = 125.00 USD</li>
 * <li>initech: 600 -> 93.2795 % -> 50 % of 2000.00 = 1000.00 CNY (cap 50 %)</li>
 * <li>hooli: term from Oct 17 (15 days, N = 4,320); 30 failed intervals before it do not count, 5 after:
 *     A = 1 - 5/4320 = 99.8842 % -> 10 % of a zero base (fee paid with vouchers) = 0.00 EUR</li>
 * <li>wayne: 48 failed intervals inside a window announced in time -> 100 %; umbrella: no traffic -> 100 %</li>
 * <li>stark: term starts in November -> no statement, claim NO_SERVICE_PERIOD</li>
 * </ul>
 */
class ReplayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OUT = Path.of("target", "replay-it");
    /** S9.8: the daily forecast's firing on October 20th (02:00 in the terms' zone, UTC). */
    private static final Instant FORECAST_AT = Instant.parse("2026-10-20T02:00:00Z");

    private static ReplayCli replayed;
    private static Map<String, JsonNode> byAccount;

    @BeforeAll
    static void replay() throws Exception {
        replayed = ReplayCli.runExamplesInto(OUT, "terms.json", "accounts.json", "traffic.jsonl",
                "--maintenance", ReplayCli.example("maintenance.json"),
                "--month", "2026-10", "--now", "2026-11-10T08:00:00Z", "--claim",
                "--report", OUT.resolve("report.html").toString(),
                "--evidence", OUT.resolve("evidence").toString(), "--forecast-at", FORECAST_AT.toString());
        byAccount = replayed.statementsByAccount(OUT);
    }

    private static void expect(String account, int days, String availability, String percent, String voucher,
            String currency, String claimStatus, String reason) {
        JsonNode s = byAccount.get(account);
        assertThat(s).as("statement of " + account).isNotNull();
        assertThat(s.get("days").asInt()).as(account + " days").isEqualTo(days);
        assertThat(s.get("availability").asText()).as(account + " availability").isEqualTo(availability);
        assertThat(s.get("compensationPercent").asText()).as(account + " tier").isEqualTo(percent);
        assertThat(s.get("voucherAmount").asText()).as(account + " voucher").isEqualTo(voucher);
        assertThat(s.get("currency").asText()).isEqualTo(currency);
        assertThat(s.get("termsVersion").asText()).as("S6.3: every account was notified on 2026-08-31 (30 days and the spare day of S9.4 ahead)")
                .isEqualTo("2026-10");
        assertThat(s.path("claim").path("status").asText()).as(account + " claim").isEqualTo(claimStatus);
        if (reason != null) {
            assertThat(s.path("claim").path("reason").asText()).isEqualTo(reason);
        }
    }

    @Test
    @DisplayName("D1-D5 replay: every statement's availability, tier and voucher as worked out by hand (S1-S4)")
    void statements() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(byAccount).containsOnlyKeys("acme", "globex", "initech", "hooli", "wayne", "umbrella");
        expect("acme", 31, "99.7619", "10", "90.00", "EUR", "ACCEPTED", null);
        expect("globex", 31, "97.7598", "25", "125.00", "USD", "ACCEPTED", null);
        expect("initech", 31, "93.2795", "50", "1000.00", "CNY", "ACCEPTED", null);
        expect("hooli", 15, "99.8842", "10", "0.00", "EUR", "ACCEPTED", null);
        expect("wayne", 31, "100.0000", "0", "0.00", "USD", "REFUSED", "SLA_MET");
        expect("umbrella", 31, "100.0000", "0", "0.00", "EUR", "REFUSED", "SLA_MET");
        assertThat(byAccount.get("acme").get("errorRateSum").asText()).isEqualTo("21.250000000000000000");
        assertThat(byAccount.get("acme").get("claimOpensAt").asText()).as("S5.1: 6th working day of November")
                .isEqualTo("2026-11-09T00:00Z");
        assertThat(byAccount.get("acme").get("claimClosesAt").asText())
                .as("terms 2026-10 close claims 3 months after the period").isEqualTo("2027-02-01T00:00Z");
    }

    @Test
    @DisplayName("D1: bad lines are quarantined exactly as in production and counted in the summary")
    void quarantine() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(replayed.result().ingest().recordsIn()).isEqualTo(1066);
        assertThat(replayed.result().ingest().aggregated()).isEqualTo(1062);
        assertThat(replayed.result().ingest().quarantined()).isEqualTo(4);
        assertThat(replayed.result().blankLines()).isEqualTo(1);
        assertThat(replayed.result().quarantined()).extracting(q -> q.label() + " " + q.reason()).containsExactly(
                "line 38 NOT_JSON", "line 39 UNKNOWN_EXCLUSION", "line 40 ERRORS_EXCEED_VALID",
                "line 41 FUTURE_TIMESTAMP");
        assertThat(replayed.console()).contains("1,062 records aggregated, 4 quarantined")
                .contains("line 38: NOT_JSON");
    }

    @Test
    @DisplayName("S5.3: an account without a service period gets no statement and its claim is NO_SERVICE_PERIOD")
    void noServicePeriod() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(replayed.result().withoutServicePeriod()).containsExactly("stark");
        assertThat(replayed.result().claims().get("stark").get("reason").asText()).isEqualTo("NO_SERVICE_PERIOD");
    }

    @Test
    @DisplayName("issue 9.4: the replay writes a self-contained HTML report naming every account")
    void report() throws Exception {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        String html = Files.readString(OUT.resolve("report.html"));
        assertThat(html).contains("<svg").contains("acme").contains("umbrella").contains("99.7619")
                .doesNotContain("<script src").doesNotContain("src=").doesNotContain("url(").doesNotContain("href=\"http");
        assertThat(html).as("issue 19 item 4: a sortable summary (inline script) and each hour's counts in a tooltip")
                .contains("<table class=\"sum sortable\">").contains("<th data-key=\"availability\" data-type=\"num\">")
                .contains("th.addEventListener('click',go)")
                .containsPattern("<title>2026-10-\\d\\d \\d\\d:00 UTC: [1-9]\\d* requests, \\d+ errors, mean 5-minute error rate \\d+\\.\\d{4} %");
        assertThat(OUT.resolve("accounts")).as("below 50 accounts the report stays one page").doesNotExist();
        assertThat(html).as("issue 19 item 4: the claim window in the terms' zone (S5.1)")
                .contains("Claim window: opens 2026-11-09T00:00, closes 2027-02-01T00:00 (UTC, the terms' zone)");
        assertThat(html).as("fee, voucher-paid, base and why a voucher is zero (S4)")
                .contains("Fee 1000.00 EUR, paid with vouchers 100.00 EUR, base 900.00 EUR; 10 % of the base: voucher "
                        + "90.00 EUR.")
                .contains("Zero because the base is zero: the fee was paid entirely with vouchers.")
                .contains("Zero because the commitment was met.");
        assertThat(html).as("D1/S5.3: what the statements do not show is listed")
                .contains("Accounts without a statement (no service period in the month, S5.3): stark")
                .contains("Quarantined lines: 4").contains("<li>line 38: NOT_JSON");
        assertThat(html).as("the error-rate sum to 6 decimals, the exact value in the title")
                .contains("<b>21.250000</b>").contains("title=\"exact: 21.250000000000000000 (as in the JSON)\"");
    }

    @Test
    @DisplayName("issue 19 item 4: a replay of 51 accounts writes an index and one page per account, linked relatively, "
            + "ids made safe as file names")
    void reportSplitsAboveFiftyAccounts(@TempDir Path dir) throws Exception {
        int accounts = HtmlReport.SPLIT_ACCOUNTS + 1;
        List<String> ids = new ArrayList<>();
        StringBuilder d2 = new StringBuilder("[");
        StringBuilder lines = new StringBuilder();
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        for (int k = 0; k < accounts; k++) {
            String id = k == 0 ? "Gen/EU.0" : "gen-" + k;
            ids.add(id);
            d2.append(k == 0 ? "" : ",").append("{\"accountId\":\"").append(id).append("\",\"terms\":[{\"start\":")
                    .append("\"2026-01-01\",\"end\":\"2026-12-31\"}],\"fees\":{\"2026-10\":{\"amount\":\"")
                    .append(100 + k).append(".00\",\"voucherPaid\":\"0\",\"currency\":\"EUR\"}}}");
            for (int h = 0; h < 4; h++) {
                lines.append("{\"accountId\":\"").append(id).append("\",\"timestamp\":\"")
                        .append(Instant.ofEpochSecond(start + k * 3_600L + h * 86_400L * 7)).append("\",\"status\":")
                        .append(h == 0 ? 503 : 200).append("}\n");
            }
        }
        Path accountsFile = Files.writeString(dir.resolve("accounts.json"), d2.append("]"));
        Path traffic = Files.writeString(dir.resolve("traffic.jsonl"), lines);
        Path windows = Files.writeString(dir.resolve("windows.json"), "[]");
        Path index = dir.resolve("out").resolve("report.html");
        ReplayCli run = ReplayCli.run(
                "--terms", ReplayCli.example("terms.json"),
                "--accounts", accountsFile.toString(), "--traffic", traffic.toString(),
                "--maintenance", windows.toString(), "--month", "2026-10", "--now", "2026-11-10T08:00:00Z",
                "--engine", "memory", "--out", dir.resolve("out").resolve("statements.json").toString(),
                "--report", index.toString(), "--work-dir", dir.resolve("work").toString());
        assertThat(run.exit()).as(run.console()).isZero();

        String html = Files.readString(index);
        assertThat(html).contains("<table class=\"sum sortable\">").doesNotContain("<svg");
        Matcher links = Pattern.compile("<tr><td><a href=\"([^\"]+)\">([^<]+)</a>").matcher(html);
        List<String> linked = new ArrayList<>();
        while (links.find()) {
            String href = links.group(1);
            assertThat(href).matches("accounts/[a-z0-9_-]+\\.html");
            Path page = index.resolveSibling(href);
            String account = links.group(2).replace("&amp;", "&");
            assertThat(Files.readString(page)).as(href).contains("<h2>" + HtmlReport.esc(account) + " <small>")
                    .contains("<a href=\"../report.html\">").contains("<title>2026-10-");
            linked.add(account);
        }
        assertThat(linked).containsExactlyInAnyOrderElementsOf(ids);
        try (var pages = Files.list(index.resolveSibling("accounts"))) {
            assertThat(pages).hasSize(accounts);
        }
    }

    /** The exact sum of the listed rates "n/d" (S3.2), as a fraction {numerator, denominator}. */
    private static java.math.BigInteger[] sum(JsonNode intervals) {
        java.math.BigInteger n = java.math.BigInteger.ZERO;
        java.math.BigInteger d = java.math.BigInteger.ONE;
        for (JsonNode iv : intervals) {
            String[] r = iv.get("rate").asText().split("/");
            java.math.BigInteger rn = new java.math.BigInteger(r[0]);
            java.math.BigInteger rd = new java.math.BigInteger(r[1]);
            n = n.multiply(rd).add(rn.multiply(d));
            d = d.multiply(rd);
        }
        return new java.math.BigInteger[] {n, d};
    }

    @Test
    @DisplayName("S9.6 --evidence DIR: each statement's evidence as the intervals route lists it; the listed rates sum "
            + "exactly to its errorRateSum; excluded intervals carry their flag counts by kind and window id")
    void evidence() throws Exception {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        try (var files = Files.list(OUT.resolve("evidence"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("acme.2026-10.json",
                    "globex.2026-10.json", "initech.2026-10.json", "hooli.2026-10.json", "wayne.2026-10.json",
                    "umbrella.2026-10.json");
        }
        for (String account : byAccount.keySet()) {
            JsonNode e = JSON.readTree(OUT.resolve("evidence").resolve(account + ".2026-10.json").toFile());
            assertThat(e.get("accountId").asText()).isEqualTo(account);
            assertThat(e.at("/statement/upToDate").asBoolean()).isTrue();
            java.math.BigInteger[] listed = sum(e.get("intervals"));
            java.math.BigDecimal errorRateSum = new java.math.BigDecimal(byAccount.get(account).get("errorRateSum").asText());
            assertThat(new java.math.BigDecimal(listed[0]).divide(new java.math.BigDecimal(listed[1]), 18,
                    java.math.RoundingMode.HALF_UP)).as(account).isEqualTo(errorRateSum);
            assertThat(e.has("cursor")).as("the pages are joined").isFalse();
        }
        JsonNode acme = JSON.readTree(OUT.resolve("evidence/acme.2026-10.json").toFile());
        assertThat(acme.get("intervals")).hasSize(22); // 20 failed intervals, 1/4 and the unreached one
        assertThat(acme.get("intervals").findValuesAsText("rate")).contains("1/4");
        JsonNode wayne = JSON.readTree(OUT.resolve("evidence/wayne.2026-10.json").toFile());
        assertThat(wayne.get("intervals")).isEmpty();
        assertThat(wayne.get("excluded")).isNotEmpty().allSatisfy(iv -> assertThat(iv.get("windowId").asText())
                .isEqualTo("mw-2026-10-12"));
        JsonNode flagged = wayne.get("excluded").findParents("start").stream()
                .filter(iv -> iv.get("start").asText().equals("2026-10-12T03:10:00Z")).findFirst().orElseThrow();
        assertThat(flagged.get("flagged").get("maintenance").asLong()).as("S2.4 (i): the record flagged maintenance")
                .isEqualTo(1);
        assertThat(replayed.console()).contains("evidence (S9.6, GET /statements/{month}/intervals): 6 statements");
        String html = Files.readString(OUT.resolve("report.html"));
        assertThat(html).contains("<details class=\"evidence\"><summary>Evidence (S9.6): 22 intervals count")
                .contains("<rect class=\"evidence\"").contains("<td>mw-2026-10-12</td>");
    }

    @Test
    @DisplayName("S9.8 --forecast-at: the daily forecast job's code at that instant, printed and in the report as "
            + "GET /admin/forecast answers it")
    void forecast() throws Exception {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        ForecastRun.Result f = replayed.result().forecast();
        assertThat(f.month()).isEqualTo("2026-10");
        assertThat(f.job().get("accounts")).as("the accounts with a service period in October").isEqualTo(6L);
        Map<String, String> status = new HashMap<>();
        f.forecasts().forEach(x -> status.put(x.get("accountId").asText(), x.get("status").asText()));
        // by the 20th acme (21.25), globex and initech have spent more than the budget at 99.95 % (4.464):
        // compensable; wayne's errors were all inside its announced window and umbrella had none: ok, not listed
        assertThat(status).containsEntry("acme", "compensable").containsEntry("globex", "compensable")
                .containsEntry("initech", "compensable").doesNotContainKeys("wayne", "umbrella");
        assertThat(f.totals().get("accountsCompensable").asLong() + f.totals().get("accountsAtRisk").asLong())
                .isEqualTo(status.size());
        assertThat(f.totals().get("certainLiability").has("EUR")).as("acme's certain voucher").isTrue();
        assertThat(replayed.console())
                .contains("liability forecast (S9.8, provider only) of 2026-10 as of 2026-10-20T02:00:00Z");
        assertThat(Files.readString(OUT.resolve("report.html"))).contains("Liability forecast of 2026-10 as of");
    }
}
