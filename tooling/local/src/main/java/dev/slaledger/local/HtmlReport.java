package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A self-contained HTML report (inline CSS, SVG and a few lines of inline script to sort the
 * summary table; no network, no link outside the report): per account the month's error-rate
 * timeline (hourly, from the stored 5-minute aggregates the statement was computed on, each hour's
 * counts in its tooltip), availability against the tiers of the governing terms, and the voucher.
 * Above {@link #SPLIT_ACCOUNTS} accounts or {@link #SPLIT_BYTES} bytes the report is an index page
 * (the summary) plus one page per account under {@code accounts/} beside it.
 */
public final class HtmlReport {
    /** One account's page section. */
    public record Entry(Statement statement, Optional<JsonNode> claim, TermsVersion terms, AccountMonthTraffic traffic,
            List<MaintenanceWindow> windows) {
    }

    private static final int CHART_W = 1040;
    private static final int CHART_H = 110;
    private static final int GAUGE_W = 1040;
    /** A window of a few minutes is still drawn this wide (an hour is about 1.4 px at 31 days). */
    private static final double MIN_WINDOW_PX = 6;

    /** More accounts than this: an index page plus one page per account. */
    public static final int SPLIT_ACCOUNTS = 50;
    /** A single page larger than this (UTF-8 bytes, about 90 KB per account): split as well. */
    public static final long SPLIT_BYTES = 4L * 1024 * 1024;
    /** The folder of the account pages, beside the index. */
    public static final String ACCOUNTS_DIR = "accounts";

    private static final String SORT_SCRIPT = "<script>\n"
            + "document.querySelectorAll('table.sortable').forEach(function(t){\n"
            + " t.querySelectorAll('th').forEach(function(th,i){th.tabIndex=0;\n"
            + "  var go=function(){var asc=th.getAttribute('aria-sort')!=='ascending',num=th.dataset.type==='num',"
            + "b=t.tBodies[0];\n"
            + "   t.querySelectorAll('th').forEach(function(o){o.removeAttribute('aria-sort')});\n"
            + "   th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
            + "   var key=function(r){var c=r.cells[i];return c.dataset.v!==undefined?c.dataset.v:c.textContent};\n"
            + "   Array.from(b.rows).sort(function(x,y){var p=key(x),q=key(y),"
            + "c=num?parseFloat(p)-parseFloat(q):p.localeCompare(q);return asc?c:-c})"
            + ".forEach(function(r){b.appendChild(r)})};\n"
            + "  th.addEventListener('click',go);th.addEventListener('keydown',function(ev){if(ev.key==='Enter')go()})})});\n"
            + "</script>\n";

    private HtmlReport() {
    }

    /**
     * Writes the report to {@code file}: one page, or above the thresholds ({@code maxAccounts}
     * accounts, {@code maxBytes} bytes) {@code file} as the index and one page per account in
     * {@code accounts/} beside it. Returns the files written, the index first.
     */
    public static List<Path> write(Path file, String title, String subtitle, List<Entry> entries, Omitted omitted,
            int maxAccounts, long maxBytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        List<String> sections = new ArrayList<>(entries.size());
        long bytes = 0;
        for (Entry e : entries) {
            StringBuilder b = new StringBuilder(128 * 1024);
            section(b, e);
            sections.add(b.toString());
            bytes += b.length();
        }
        if (entries.size() <= maxAccounts && bytes <= maxBytes) {
            Files.writeString(file, page(title, subtitle, entries, omitted, sections, null), StandardCharsets.UTF_8);
            return List.of(file);
        }
        List<Path> written = new ArrayList<>();
        String indexName = file.getFileName().toString();
        List<String> names = fileNames(entries.stream().map(e -> e.statement().accountId()).toList());
        Files.writeString(file, page(title, subtitle, entries, omitted, List.of(), names), StandardCharsets.UTF_8);
        written.add(file);
        Path dir = Files.createDirectories(parent.resolve(ACCOUNTS_DIR));
        for (int i = 0; i < entries.size(); i++) {
            Statement s = entries.get(i).statement();
            String body = "<p class=\"sub\"><a href=\"../" + esc(indexName) + "\">&larr; " + esc(title)
                    + "</a> (all accounts)</p>\n" + sections.get(i);
            Path account = dir.resolve(names.get(i));
            Files.writeString(account, shell(s.accountId() + ", " + s.month() + " - " + title, body),
                    StandardCharsets.UTF_8);
            written.add(account);
        }
        return written;
    }

    /**
     * File names for account ids: an id made only of {@code [a-z0-9_-]} (at most 80 characters)
     * keeps its name; any other id (capitals, which collide on case-insensitive file systems,
     * dots, slashes, anything else) is reduced to those characters and gets the first 8 hex digits
     * of its SHA-256, so two ids never share a file.
     */
    static List<String> fileNames(List<String> accountIds) {
        List<String> names = new ArrayList<>(accountIds.size());
        for (String id : accountIds) {
            String safe = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
            String name = id.matches("[a-z0-9_-]{1,80}") ? id
                    : safe.substring(0, Math.min(80, safe.length())) + "-" + sha256(id).substring(0, 8);
            if (names.contains(name + ".html")) {
                throw new IllegalStateException("two accounts map to the report file " + name + ".html");
            }
            names.add(name + ".html");
        }
        return names;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** What the statements do not show: accounts without one, and the quarantined lines (D1: never lost). */
    public record Omitted(List<String> withoutStatement, List<String> quarantined, long quarantinedTotal) {
        static final Omitted NONE = new Omitted(List.of(), List.of(), 0);
    }

    public static String render(String title, String subtitle, List<Entry> entries) {
        return render(title, subtitle, entries, Omitted.NONE);
    }

    public static String render(String title, String subtitle, List<Entry> entries, Omitted omitted) {
        List<String> sections = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            StringBuilder b = new StringBuilder(128 * 1024);
            section(b, e);
            sections.add(b.toString());
        }
        return page(title, subtitle, entries, omitted, sections, null);
    }

    /** The summary page: with the sections (one page), or linking to {@code accounts/<fileName>}. */
    private static String page(String title, String subtitle, List<Entry> entries, Omitted omitted,
            List<String> sections, List<String> fileNames) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<h1>").append(esc(title)).append("</h1><p class=\"sub\">").append(esc(subtitle)).append("</p>\n");
        summaryTable(h, entries, fileNames);
        if (!omitted.withoutStatement().isEmpty()) {
            h.append("<p class=\"facts\" id=\"no-statement\">Accounts without a statement (no service period in the "
                    + "month, S5.3): ").append(esc(String.join(", ", omitted.withoutStatement()))).append("</p>\n");
        }
        if (omitted.quarantinedTotal() > 0) {
            h.append("<details id=\"quarantined\"><summary>Quarantined lines: ").append(omitted.quarantinedTotal())
                    .append(" (kept with their reason, never aggregated)</summary><ul class=\"facts\">");
            omitted.quarantined().forEach(q -> h.append("<li>").append(esc(q)).append("</li>"));
            if (omitted.quarantinedTotal() > omitted.quarantined().size()) {
                h.append("<li>... and ").append(omitted.quarantinedTotal() - omitted.quarantined().size())
                        .append(" more (the console summary counts them by reason)</li>");
            }
            h.append("</ul></details>\n");
        }
        sections.forEach(h::append);
        return shell(title, h.toString());
    }

    /** The page around a body: head, inline CSS, the legend, the sort script. */
    private static String shell(String title, String body) {
        StringBuilder h = new StringBuilder(body.length() + 8 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;"
                        + "background:#f4f6f9;color:#1c2430}\n")
                .append("h1{font-size:22px;margin:0 0 4px}.sub{color:#5b6675;margin:0 0 18px}\n")
                .append("section{background:#fff;border:1px solid #d8dee6;border-radius:8px;padding:14px 18px;"
                        + "margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.05)}\n")
                .append("h2{font-size:17px;margin:0 0 8px}h2 small{font-weight:normal;color:#5b6675}\n")
                .append(".kpis{display:flex;gap:14px;flex-wrap:wrap;margin:0 0 10px}\n")
                .append(".kpi{border-radius:6px;padding:6px 12px;min-width:150px}\n")
                .append(".kpi b{display:block;font-size:19px}.kpi span{font-size:12px;color:#46505c}\n")
                .append(".met{background:#e3f5e8}.t10{background:#fff6d6}.t25{background:#ffe7cc}.t50{background:#fde0de}"
                        + ".neutral{background:#eef1f5}\n")
                .append("table.sum{border-collapse:collapse;width:100%;margin:0 0 18px;background:#fff}\n")
                .append("table.sum th,table.sum td{border:1px solid #d8dee6;padding:5px 8px;text-align:left}\n")
                .append("table.sum th{background:#e9edf2;cursor:pointer;user-select:none}"
                        + "table.sum th[aria-sort=ascending]::after{content:' \\25B2'}"
                        + "table.sum th[aria-sort=descending]::after{content:' \\25BC'}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".facts{font-size:13px;color:#2c3542;margin:0 0 10px}\n")
                .append(".legend{font-size:12px;color:#46505c;margin:4px 0 0}.legend i{display:inline-block;width:10px;"
                        + "height:10px;margin:0 4px 0 10px;vertical-align:middle}\n")
                .append("</style></head><body>\n");
        h.append(body);
        h.append("<p class=\"legend\">Availability A = 1 - (sum of interval error rates) / (288 x covered days), "
                + "truncated to 4 decimals (S3); error rate per 5-minute interval r = min(1, E/V) (S2.5). "
                + "Timeline: one bar per hour = mean of its 12 interval rates, square-root scale; hover an hour "
                + "for its requests, errors and rate.</p>\n");
        h.append(SORT_SCRIPT);
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The summary, sortable by a click on a column head (numbers by their value in data-v). */
    private static void summaryTable(StringBuilder h, List<Entry> entries, List<String> fileNames) {
        h.append("<table class=\"sum sortable\"><thead><tr><th data-key=\"account\">account</th>"
                + "<th data-key=\"month\">month</th><th data-key=\"days\" data-type=\"num\">days</th>"
                + "<th data-key=\"availability\" data-type=\"num\">availability %</th>"
                + "<th data-key=\"compensation\" data-type=\"num\">compensation</th>"
                + "<th data-key=\"voucher\" data-type=\"num\">voucher</th><th data-key=\"claim\">claim</th></tr></thead>"
                + "<tbody>\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Statement s = e.statement();
            String href = fileNames == null ? "#" + anchor(s.accountId()) : ACCOUNTS_DIR + "/" + fileNames.get(i);
            h.append("<tr><td><a href=\"").append(esc(href)).append("\">").append(esc(s.accountId()))
                    .append("</a></td><td>").append(s.month()).append("</td><td class=\"num\">").append(s.days())
                    .append("</td><td class=\"num\">").append(s.availability().toPlainString())
                    .append("</td><td class=\"num\" data-v=\"").append(s.compensationPercent().toPlainString())
                    .append("\">").append(s.compensationPercent().toPlainString()).append(" %</td>")
                    // no fee sorts below a zero voucher; currencies are not converted, amounts compare as numbers
                    .append("<td class=\"num\" data-v=\"")
                    .append(s.voucherAmount().map(m -> m.amount().toPlainString()).orElse("-1")).append("\">")
                    .append(esc(s.voucherAmount().map(Money::toString).orElse("no fee")))
                    .append("</td><td>").append(esc(claimText(e.claim()))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String claimText(Optional<JsonNode> claim) {
        if (claim.isEmpty()) {
            return "-";
        }
        JsonNode c = claim.get();
        if ("ACCEPTED".equals(c.path("status").asText())) {
            return "accepted, " + c.path("voucherAmount").asText() + " " + c.path("currency").asText();
        }
        if (c.hasNonNull("reason")) {
            return "refused: " + c.path("reason").asText();
        }
        return c.path("title").asText(c.toString());
    }

    private static String anchor(String accountId) {
        return "a-" + accountId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static void section(StringBuilder h, Entry e) {
        Statement s = e.statement();
        String cls = s.compensationPercent().signum() == 0 ? "met"
                : s.compensationPercent().compareTo(BigDecimal.TEN) <= 0 ? "t10"
                : s.compensationPercent().compareTo(BigDecimal.valueOf(25)) <= 0 ? "t25" : "t50";
        h.append("<section id=\"").append(esc(anchor(s.accountId()))).append("\"><h2>").append(esc(s.accountId()))
                .append(" <small>").append(s.month()).append(", service period ");
        for (int i = 0; i < s.periodDays().size(); i++) {
            DateRange r = s.periodDays().get(i);
            h.append(i == 0 ? "" : ", ").append(r.start()).append(" to ").append(r.end());
        }
        h.append(" (").append(s.days()).append(" days, ").append(s.intervals()).append(" intervals), terms ")
                .append(esc(s.termsVersion())).append(", revision ").append(s.revision()).append("</small></h2>\n");
        h.append("<div class=\"kpis\">");
        kpi(h, cls, s.availability().toPlainString() + " %", "availability (commitment " + e.terms().commitment()
                .toPlainString() + " %)");
        kpi(h, cls, s.compensationPercent().toPlainString() + " %", "compensation tier");
        kpi(h, cls, s.voucherAmount().map(Money::toString).orElse("no fee assessed"),
                "voucher (base " + s.base().map(Money::toString).orElse("-") + ", cap " + e.terms().capPercent()
                        .toPlainString() + " %)");
        kpi(h, "neutral", claimText(e.claim()), "claim");
        BigDecimal sum6 = s.errorRateSum().setScale(6, RoundingMode.HALF_EVEN);
        h.append("<div class=\"kpi neutral\" title=\"exact: ").append(esc(s.errorRateSum().toPlainString()))
                .append(" (as in the JSON)\"><b>").append(sum6.compareTo(s.errorRateSum()) == 0 ? "" : "\u2248 ")
                .append(sum6.toPlainString()).append("</b><span>sum of interval error rates</span></div>");
        h.append("</div>\n");
        ZoneId zone = e.terms().timeZone();
        h.append("<p class=\"facts\">").append(esc(money(s))).append("<br>Claim window: opens ")
                .append(esc(s.claimOpensAt().atZoneSameInstant(zone).toLocalDateTime().toString())).append(", closes ")
                .append(esc(s.claimClosesAt().atZoneSameInstant(zone).toLocalDateTime().toString())).append(" (")
                .append(esc(zone.getId())).append(", the terms' zone)</p>\n");
        timeline(h, e);
        gauge(h, e);
        h.append("</section>\n");
    }

    /**
     * Fee, voucher-paid, base (S4: fee minus the part paid with vouchers), tier and voucher, and why a
     * voucher is zero when it is.
     */
    static String money(Statement s) {
        if (s.fee().isEmpty()) {
            return "No fee assessed for the month: no base, no voucher.";
        }
        StringBuilder t = new StringBuilder("Fee ").append(s.fee().get()).append(", paid with vouchers ")
                .append(s.voucherPaid().map(Money::toString).orElse("0")).append(", base ")
                .append(s.base().map(Money::toString).orElse("-")).append("; ")
                .append(s.compensationPercent().toPlainString()).append(" % of the base: voucher ")
                .append(s.voucherAmount().map(Money::toString).orElse("-")).append('.');
        boolean zero = s.voucherAmount().map(m -> m.amount().signum() == 0).orElse(true);
        if (zero) {
            t.append(s.compensationPercent().signum() == 0 ? " Zero because the commitment was met."
                    : s.base().map(b -> b.amount().signum() == 0).orElse(true)
                            ? " Zero because the base is zero: the fee was paid entirely with vouchers."
                            : " Zero after rounding down to the cent.");
        }
        return t.toString();
    }

    private static void kpi(StringBuilder h, String cls, String value, String label) {
        h.append("<div class=\"kpi ").append(cls).append("\"><b>").append(esc(value)).append("</b><span>")
                .append(esc(label)).append("</span></div>");
    }

    /** Hourly error rates over the month (terms' zone), service-period days white, others grey. */
    static double[][] hourly(Entry e) {
        Statement s = e.statement();
        YearMonth month = s.month();
        ZoneId zone = e.terms().timeZone();
        int hours = month.lengthOfMonth() * 24;
        double[] rate = new double[hours];
        double[] excluded = new double[hours];
        AccountMonthTraffic t = e.traffic().normalized();
        ZonedDateTime monthStart = month.atDay(1).atStartOfDay(zone);
        for (int i = 0; i < t.size(); i++) {
            Instant start = Instant.ofEpochSecond(t.startEpochSecond(i));
            long hour = java.time.Duration.between(monthStart.toInstant(), start).toHours();
            if (hour < 0 || hour >= hours) {
                continue;
            }
            long v = t.valid(i);
            long err = t.errorRequests(i);
            double r = v == 0 ? (err > 0 ? 1 : 0) : Math.min(1.0, (double) err / v);
            boolean isExcluded = e.windows().stream().anyMatch(w -> w.excludes(s.accountId(), start));
            if (isExcluded) {
                excluded[(int) hour] += r / 12;
            } else {
                rate[(int) hour] += r / 12;
            }
        }
        return new double[][] {rate, excluded};
    }

    /** Per hour of the month (terms' zone): valid requests [0] and error requests [1]. */
    static long[][] hourCounts(Entry e) {
        YearMonth month = e.statement().month();
        int hours = month.lengthOfMonth() * 24;
        long[][] counts = new long[2][hours];
        AccountMonthTraffic t = e.traffic().normalized();
        long monthStart = month.atDay(1).atStartOfDay(e.terms().timeZone()).toEpochSecond();
        for (int i = 0; i < t.size(); i++) {
            long seconds = t.startEpochSecond(i) - monthStart;
            if (seconds < 0 || seconds / 3600 >= hours) {
                continue;
            }
            counts[0][(int) (seconds / 3600)] += t.valid(i);
            counts[1][(int) (seconds / 3600)] += t.errorRequests(i);
        }
        return counts;
    }

    /** An hour's tooltip: when, requests, errors, the error rate drawn (and the part excluded by a window). */
    static String hourTitle(ZonedDateTime hour, long requests, long errors, double rate, double excludedRate) {
        StringBuilder t = new StringBuilder().append(hour.toLocalDate()).append(' ')
                .append(String.format(Locale.ROOT, "%02d:00", hour.getHour())).append(' ').append(hour.getZone().getId())
                .append(": ").append(requests).append(" requests, ").append(errors).append(" errors, mean 5-minute error rate ")
                .append(String.format(Locale.ROOT, "%.4f %%", (rate + excludedRate) * 100));
        if (excludedRate > 0) {
            t.append(String.format(Locale.ROOT, " (%.4f %% excluded by announced maintenance, S2.4)", excludedRate * 100));
        }
        return t.toString();
    }

    private static void timeline(StringBuilder h, Entry e) {
        Statement s = e.statement();
        YearMonth month = s.month();
        int days = month.lengthOfMonth();
        int hours = days * 24;
        double[][] series = hourly(e);
        double bar = (double) CHART_W / hours;
        int top = 8;
        int base = top + CHART_H;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_W + 60).append("\" height=\"")
                .append(base + 26).append("\" role=\"img\" aria-label=\"hourly error rate of ")
                .append(esc(s.accountId())).append("\">\n");
        h.append("<g transform=\"translate(46,0)\">");
        for (int d = 0; d < days; d++) {
            LocalDate date = month.atDay(d + 1);
            boolean covered = s.periodDays().stream().anyMatch(r -> !date.isBefore(r.start()) && !date.isAfter(r.end()));
            h.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>",
                    d * 24 * bar, top, 24 * bar, CHART_H, covered ? (d % 2 == 0 ? "#fbfcfe" : "#f1f4f8") : "#d9dde3"));
        }
        for (MaintenanceWindow w : e.windows()) {
            if (!w.covers(s.accountId())) {
                continue;
            }
            double x0 = hoursFromMonthStart(month, e.terms().timeZone(), w.start()) * bar;
            double x1 = hoursFromMonthStart(month, e.terms().timeZone(), w.end()) * bar;
            x0 = Math.max(0, x0);
            x1 = Math.min(CHART_W, x1);
            if (x1 > x0) {
                h.append(String.format(Locale.ROOT,
                        "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\" opacity=\"0.35\"/>",
                        x0, top, Math.max(MIN_WINDOW_PX, x1 - x0), CHART_H,
                        w.announcedInTime() ? "#7aa7e0" : "#c9a0dc"));
            }
        }
        for (int k = 0; k < hours; k++) {
            bar(h, k * bar, bar, series[1][k], "#3f7fd0", base);
            bar(h, k * bar, bar, series[0][k], series[0][k] >= 0.5 ? "#c62828" : series[0][k] >= 0.05 ? "#ef6c00"
                    : "#f9a825", base);
        }
        long[][] counts = hourCounts(e);
        ZoneId zone = e.terms().timeZone();
        Instant monthStart = month.atDay(1).atStartOfDay(zone).toInstant();
        for (int k = 0; k < hours; k++) {
            if (counts[0][k] == 0 && counts[1][k] == 0) {
                continue;
            }
            // an invisible full-height target per hour: its title is the hour's tooltip
            h.append(String.format(Locale.ROOT, "<rect class=\"hour\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
                    + "fill=\"#000\" fill-opacity=\"0\"><title>", k * bar, top, Math.max(1, bar), CHART_H))
                    .append(esc(hourTitle(monthStart.plusSeconds(3600L * k).atZone(zone), counts[0][k], counts[1][k],
                            series[0][k], series[1][k])))
                    .append("</title></rect>");
        }
        h.append(String.format(Locale.ROOT, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#46505c\"/>", base,
                CHART_W, base));
        for (double level : new double[] {0.01, 0.25, 1.0}) {
            double y = base - Math.sqrt(level) * CHART_H;
            h.append(String.format(Locale.ROOT, "<line x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#b7c0cc\" "
                    + "stroke-dasharray=\"3 3\"/><text x=\"-4\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" "
                    + "fill=\"#46505c\">%s</text>", y, CHART_W, y, y + 3, level == 1.0 ? "100%" : (int) (level * 100) + "%"));
        }
        for (int d = 0; d < days; d += (days > 20 ? 2 : 1)) {
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#46505c\">%d</text>",
                    d * 24 * bar + 2, base + 13, d + 1));
        }
        h.append("</g></svg>\n<div class=\"legend\">hourly error rate (")
                .append(esc(e.terms().timeZone().getId())).append(")<i style=\"background:#f9a825\"></i>&lt; 5%")
                .append("<i style=\"background:#ef6c00\"></i>5-50%<i style=\"background:#c62828\"></i>&ge; 50%")
                .append("<i style=\"background:#3f7fd0\"></i>excluded (announced maintenance, S2.4)")
                .append("<i style=\"background:#7aa7e0;opacity:.5\"></i>announced window")
                .append("<i style=\"background:#c9a0dc;opacity:.6\"></i>window announced late (excludes nothing)")
                .append("<i style=\"background:#d9dde3\"></i>outside the service period</div>\n");
    }

    private static double hoursFromMonthStart(YearMonth month, ZoneId zone, Instant instant) {
        return (instant.getEpochSecond() - month.atDay(1).atStartOfDay(zone).toEpochSecond()) / 3600.0;
    }

    private static void bar(StringBuilder h, double x, double w, double rate, String colour, int base) {
        if (rate <= 0) {
            return;
        }
        double height = Math.max(1.5, Math.sqrt(Math.min(1, rate)) * CHART_H);
        h.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                x, base - height, Math.max(1, w), height, colour));
    }

    /** Position on a "nines" scale: unavailability from 10% (left) to 0.01% (right), logarithmic. */
    private static double nines(double availabilityPercent) {
        double u = Math.max(0.01, Math.min(10, 100 - availabilityPercent));
        return (1 - Math.log10(u)) / 3 * GAUGE_W;
    }

    private static void gauge(StringBuilder h, Entry e) {
        TermsVersion t = e.terms();
        int y = 18;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(GAUGE_W + 60)
                .append("\" height=\"64\" role=\"img\" aria-label=\"availability against the tiers\">")
                .append("<g transform=\"translate(46,0)\">");
        double commitmentX = nines(t.commitment().doubleValue());
        h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#66bb6a\"/>",
                commitmentX, y, GAUGE_W - commitmentX));
        String[] colours = {"#ffd54f", "#ffa726", "#ef5350", "#b71c1c"};
        int k = 0;
        for (Tier tier : t.tiers()) {
            double x0 = nines(tier.atLeast().doubleValue());
            double x1 = nines(tier.below().doubleValue());
            h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>",
                    x0, y, Math.max(0, x1 - x0), colours[Math.min(k++, colours.length - 1)]));
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#1c2430\">%s%%</text>",
                    x0 + 3, y + 12, tier.percent().toPlainString()));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#1c2430\">met</text>",
                commitmentX + 3, y + 12));
        for (String tick : new String[] {"90", "95", "99", "99.9", "99.99"}) {
            double x = nines(Double.parseDouble(tick));
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" "
                    + "fill=\"#46505c\">%s</text>", x, y + 30, tick));
        }
        double a = e.statement().availability().doubleValue();
        double x = nines(a);
        h.append(String.format(Locale.ROOT, "<path d=\"M%.1f %d l-6 -9 h12 z\" fill=\"#1c2430\"/>"
                + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1c2430\" stroke-width=\"2\"/>"
                + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"%s\" fill=\"#1c2430\">"
                + "A = %s%%</text>", x, y, x, y, x, y + 16, x + (x > GAUGE_W - 90 ? -8 : 8), y - 6,
                x > GAUGE_W - 90 ? "end" : "start", e.statement().availability().toPlainString()));
        h.append("</g></svg>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
