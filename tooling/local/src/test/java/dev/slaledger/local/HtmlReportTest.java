package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    @DisplayName("issue 19 item 4: a plain lower-case account id keeps its name as the page's file name")
    void plainIdsKeepTheirName() {
        assertThat(HtmlReport.fileNames(List.of("acme", "initech-2", "a_b"))).containsExactly("acme.html",
                "initech-2.html", "a_b.html");
    }

    @Test
    @DisplayName("issue 19 item 4: other ids become safe file names, distinct even when they differ only by case or "
            + "by characters that were replaced")
    void otherIdsAreMadeSafeAndDistinct() {
        List<String> names = HtmlReport.fileNames(List.of("Acme", "acme", "a/b", "a.b", "../etc", "", "x".repeat(300)));
        assertThat(names).doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(n).matches("[a-z0-9_-]{0,80}(-[0-9a-f]{8})?\\.html"));
        assertThat(names.stream().map(String::toLowerCase).distinct()).hasSize(names.size());
        assertThat(names.get(0)).startsWith("acme-");
        assertThat(names.get(1)).isEqualTo("acme.html");
        assertThat(names.get(4)).startsWith("___etc-");
    }

    @Test
    @DisplayName("issue 19 item 4: an hour's tooltip names the hour in the terms' zone, its requests, errors and rate")
    void hourTitle() {
        ZonedDateTime hour = ZonedDateTime.of(2026, 10, 8, 10, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        assertThat(HtmlReport.hourTitle(hour, 2200, 546, 0.25, 0)).isEqualTo(
                "2026-10-08 10:00 Europe/Berlin: 2200 requests, 546 errors, mean 5-minute error rate 25.0000 %");
        assertThat(HtmlReport.hourTitle(hour, 100, 100, 0, 1)).endsWith(
                "error rate 100.0000 % (100.0000 % excluded by announced maintenance, S2.4)");
    }

    private static HtmlReport.Entry withWindows(HtmlReport.Entry e, MaintenanceWindow... windows) {
        return new HtmlReport.Entry(e.statement(), e.claim(), e.terms(), e.traffic(), List.of(windows));
    }

    private static final MaintenanceWindow ON_TIME = new MaintenanceWindow("mw-1",
            Instant.parse("2026-10-12T01:00:00Z"), Instant.parse("2026-10-12T03:00:00Z"),
            Instant.parse("2026-10-05T09:00:00Z"), Optional.empty());
    private static final MaintenanceWindow LATE = new MaintenanceWindow("mw-late",
            Instant.parse("2026-10-20T10:00:00Z"), Instant.parse("2026-10-20T10:20:00Z"),
            Instant.parse("2026-10-20T10:05:00Z"), Optional.empty());

    @Test
    @DisplayName("issue 28.4 (S2.4): the windows are listed with span, announcement, on time or late and what each "
            + "excluded, and drawn in a lane of their own the bars cannot cover")
    void windowsListedAndDrawn() {
        HtmlReport.Entry acme = withWindows(ReportRenderIT.entry("acme", "99.7000", "10", "90.00", 8, 30), ON_TIME, LATE);
        String page = HtmlReport.render("t", "s", List.of(acme));

        assertThat(page).contains("<table class=\"list\" id=\"windows\">")
                .contains("<tr><td>mw-1</td><td>2026-10-12 01:00 to 2026-10-12 03:00</td><td>2026-10-05 09:00</td>"
                        + "<td class=\"ontime\">on time (6 days ahead)</td><td>all accounts</td>"
                        + "<td>24 intervals, 2,400 error requests</td></tr>")
                .contains("<tr><td>mw-late</td><td>2026-10-20 10:00 to 2026-10-20 10:20</td><td>2026-10-20 10:05</td>"
                        + "<td class=\"late\">late: announced 5 min after it began, so it excludes nothing (S2.4)</td>"
                        + "<td>all accounts</td><td>nothing (announced late)</td></tr>");
        int lane = page.indexOf(">windows</text>");
        assertThat(lane).as("the lane's label").isPositive();
        assertThat(page.substring(lane)).contains("<rect class=\"window\"").contains("fill=\"#3f7fd0\"><title>mw-1: ")
                .contains("fill=\"#a05cc8\"><title>mw-late: 2026-10-20 10:00 to 2026-10-20 10:20 UTC, announced "
                        + "2026-10-20 10:05, late: excludes nothing (S2.4)</title>");
        assertThat(page).as("the account's own list").contains("Maintenance windows over acme");
    }

    @Test
    @DisplayName("issue 28.4 (S4): totals per currency; a zero voucher says why in the summary and the section")
    void totalsAndZeroVoucher() {
        HtmlReport.Entry a = ReportRenderIT.entry("acme", "99.5000", "10", "90.00", 8, 30);
        HtmlReport.Entry b = ReportRenderIT.entry("hooli", "99.9500", "0", "0.00", 8, 0);
        String page = HtmlReport.render("t", "s", List.of(a, b));

        assertThat(page).contains("<table class=\"list\" id=\"totals\">")
                .contains("<tr><td>EUR</td><td class=\"num\">2</td><td class=\"num\">2000.00</td>"
                        + "<td class=\"num\">200.00</td><td class=\"num\">1800.00</td><td class=\"num\">90.00</td>"
                        + "<td class=\"num\">90.00</td></tr>");
        assertThat(page).contains("title=\"Zero because the commitment was met.\">0.00 EUR</td>")
                .contains("voucher 0.00 EUR. Zero because the commitment was met.");
    }

    @Test
    @DisplayName("issue 28.4 (S3): an error-budget chart per account: the sum spent through the month against the "
            + "commitment line")
    void errorBudget() {
        HtmlReport.Entry acme = ReportRenderIT.entry("acme", "99.7000", "10", "90.00", 8, 30);
        String page = HtmlReport.render("t", "s", List.of(acme));

        assertThat(page).contains("aria-label=\"error budget of acme\" class=\"budget\"")
                .contains("commitment 99.90 %: budget 8.9280")
                .contains("spent 238 % of the budget (sum 21.2500 of 8.9280)")
                .containsPattern("<polyline points=\"0.00,[0-9.]+( [0-9.]+,[0-9.]+){744}\" fill=\"none\" "
                        + "stroke=\"#c62828\"");
        double[] sums = BudgetChart.cumulative(acme);
        assertThat(sums).hasSize(744);
        assertThat(sums[24 * 11 + 2]).as("the window 01:00-03:00 on the 12th excludes its intervals: nothing added")
                .isEqualTo(sums[24 * 11]);
        assertThat(sums[24 * 11]).as("the 12th's 00:00 hour counts").isGreaterThan(sums[24 * 11 - 1]);
    }

    @Test
    @DisplayName("issue 28.2 (S3.1): a statement computed from no traffic says traffic: none")
    void trafficNone() {
        HtmlReport.Entry quiet = ReportRenderIT.entry("umbrella", "100.0000", "0", "0.00", 8, 0);
        HtmlReport.Entry none = new HtmlReport.Entry(quiet.statement(), quiet.claim(), quiet.terms(),
                new AccountMonthTraffic(), quiet.windows());
        assertThat(HtmlReport.render("t", "s", List.of(none))).contains(">traffic: none</span>");
        assertThat(HtmlReport.render("t", "s", List.of(quiet))).doesNotContain(">traffic: none</span>");
    }
}
