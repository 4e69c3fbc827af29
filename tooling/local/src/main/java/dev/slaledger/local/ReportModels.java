package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The models the report's templates render ({@link HtmlReport}): every number and every shape's
 * geometry is worked out here, the markup is in the templates. Names are what the templates use.
 */
final class ReportModels {
    static final int CHART_W = 1040;
    static final int CHART_H = 110;
    static final int TOP = 8;
    static final int BASE = TOP + CHART_H;
    /** The windows' lane under the timeline: the bars never cover it. */
    static final int LANE_Y = BASE + 18;
    static final int LANE_H = 10;
    /** A window of a few minutes is still drawn this wide (an hour is about 1.4 px at 31 days). */
    static final double MIN_WINDOW_PX = 6;
    static final int BUDGET_H = 100;

    private ReportModels() {
    }

    record Back(String href, String title) {
    }

    record Total(String currency, int statements, String fees, String voucherPaid, String base, String vouchers,
            String claimed) {
    }

    record Row(String href, String accountId, String month, long days, String availability, String percent,
            String voucherSort, String voucher, String voucherWhy, String claim, boolean trafficNone) {
    }

    record WindowRow(String id, String span, String announced, String timing, String timingClass, String scope,
            String excluded) {
    }

    record Quarantined(long total, List<String> lines, Long more) {
    }

    record Summary(String title, String subtitle, List<Total> totals, boolean hasTotals, List<Row> rows,
            List<WindowRow> windows, boolean hasWindows, String zone, String withoutStatement, Quarantined quarantined,
            List<String> sections, EvidenceModels.Forecast forecast) {
    }

    record Kpi(String cls, String value, String label, String title) {
    }

    record Shape(String x, String y, String w, String h, String fill, String title) {
    }

    record Line(String y, String labelY, String label, String stroke, String labelX) {
    }

    record Label(String x, String y, String label) {
    }

    record Timeline(int width, int height, int chartWidth, int base, int laneY, int laneH, int laneLabelY, String zone,
            List<Shape> days, List<Shape> bars, List<Shape> hours, List<Line> grid, List<Label> dayLabels,
            List<Shape> lane, List<Shape> marks, boolean hasMarks) {
    }

    record Budget(int width, int height, int top, int chartWidth, int chartHeight, String commitment, String budget,
            String commitmentY, String commitmentLabelY, List<Line> tierLines, String points, String lineColour,
            List<Label> yLabels, List<Label> dayLabels, String endX, String endY, String endLabel) {
    }

    record Gauge(int width, List<Band> bands, List<Label> ticks, String markX, int markY, int markBottom,
            String textX, int textY, String anchor, String availability) {
    }

    record Band(String x, int y, String w, String fill, String labelX, int labelY, String label) {
    }

    record Account(String anchor, Back back, String accountId, String month, String periods, long days, long intervals,
            String termsVersion, int revision, boolean trafficNone, List<Kpi> kpis, String money, String claimOpens,
            String claimCloses, String zone, Timeline timeline, Budget budget, Gauge gauge, List<WindowRow> windows,
            boolean hasWindows, EvidenceModels.Section evidence) {
    }

    static String anchor(String accountId) {
        return "a-" + accountId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    // ---------------------------------------------------------------- the summary

    static Summary summary(String title, String subtitle, List<HtmlReport.Entry> entries, HtmlReport.Omitted omitted,
            List<String> sections, List<String> fileNames, ZoneId zone) {
        return summary(title, subtitle, entries, omitted, sections, fileNames, zone, null);
    }

    /** With the liability forecast of {@code replay --forecast-at} (S9.8; null: none). */
    static Summary summary(String title, String subtitle, List<HtmlReport.Entry> entries, HtmlReport.Omitted omitted,
            List<String> sections, List<String> fileNames, ZoneId zone, ForecastRun.Result forecast) {
        List<Row> rows = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            HtmlReport.Entry e = entries.get(i);
            Statement s = e.statement();
            rows.add(new Row(fileNames == null ? "#" + anchor(s.accountId()) : HtmlReport.ACCOUNTS_DIR + "/"
                    + fileNames.get(i), s.accountId(), s.month().toString(), s.days(), s.availability().toPlainString(),
                    s.compensationPercent().toPlainString(),
                    // no fee sorts below a zero voucher; currencies are not converted, amounts compare as numbers
                    s.voucherAmount().map(m -> m.amount().toPlainString()).orElse("-1"),
                    s.voucherAmount().map(Money::toString).orElse("no fee"), HtmlReport.zeroVoucher(s).orElse(null),
                    claimText(e.claim()), e.traffic().size() == 0));
        }
        List<Total> totals = totals(entries);
        List<WindowRow> windows = windows(entries, zone);
        Quarantined q = omitted.quarantinedTotal() == 0 ? null : new Quarantined(omitted.quarantinedTotal(),
                omitted.quarantined(), omitted.quarantinedTotal() > omitted.quarantined().size()
                        ? omitted.quarantinedTotal() - omitted.quarantined().size() : null);
        return new Summary(title, subtitle, totals, !totals.isEmpty(), rows, windows, !windows.isEmpty(), zone.getId(),
                omitted.withoutStatement().isEmpty() ? null : String.join(", ", omitted.withoutStatement()), q,
                sections, EvidenceModels.forecast(forecast, zone));
    }

    /** Per currency: fees, the part paid with vouchers, the base, the vouchers the statements give, those claimed. */
    static List<Total> totals(List<HtmlReport.Entry> entries) {
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (HtmlReport.Entry e : entries) {
            Statement s = e.statement();
            if (s.currency().isEmpty()) {
                continue;
            }
            String c = s.currency().get().getCurrencyCode();
            BigDecimal[] t = sums.computeIfAbsent(c, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            counts.merge(c, 1, Integer::sum);
            t[0] = t[0].add(amount(s.fee()));
            t[1] = t[1].add(amount(s.voucherPaid()));
            t[2] = t[2].add(amount(s.base()));
            t[3] = t[3].add(amount(s.voucherAmount()));
            e.claim().filter(cl -> "ACCEPTED".equals(cl.path("status").asText())
                    && c.equals(cl.path("currency").asText()) && cl.hasNonNull("voucherAmount"))
                    .ifPresent(cl -> t[4] = t[4].add(new BigDecimal(cl.get("voucherAmount").asText())));
        }
        List<Total> out = new ArrayList<>();
        sums.forEach((c, t) -> out.add(new Total(c, counts.get(c), t[0].toPlainString(), t[1].toPlainString(),
                t[2].toPlainString(), t[3].toPlainString(), t[4].toPlainString())));
        return out;
    }

    private static BigDecimal amount(Optional<Money> m) {
        return m.map(Money::amount).orElse(BigDecimal.ZERO);
    }

    /** Every window over the report's accounts once, with what it excluded across them. */
    static List<WindowRow> windows(List<HtmlReport.Entry> entries, ZoneId zone) {
        Map<String, MaintenanceWindow> byId = new LinkedHashMap<>();
        entries.forEach(e -> e.windows().forEach(w -> byId.putIfAbsent(w.id(), w)));
        List<WindowRow> rows = new ArrayList<>();
        for (MaintenanceWindow w : byId.values()) {
            long[] sum = new long[3]; // intervals, error requests, accounts
            for (HtmlReport.Entry e : entries) {
                long[] x = excluded(w, e);
                sum[0] += x[0];
                sum[1] += x[1];
                sum[2] += x[0] > 0 ? 1 : 0;
            }
            rows.add(row(w, zone, w.accounts().map(a -> String.join(", ", a.stream().sorted().toList()))
                    .orElse("all accounts"), excludedText(w, sum[0], sum[1], sum[2])));
        }
        return rows;
    }

    private static WindowRow row(MaintenanceWindow w, ZoneId zone, String scope, String excluded) {
        String span = HtmlReport.local(w.start(), zone) + " to " + HtmlReport.local(w.end(), zone);
        String timing = w.announcedInTime() ? "on time (" + lead(Duration.between(w.announcedAt(), w.start()))
                + " ahead)" : "late: announced " + lead(Duration.between(w.start(), w.announcedAt()))
                        + " after it began, so it excludes nothing (S2.4)";
        return new WindowRow(w.id(), span, HtmlReport.local(w.announcedAt(), zone), timing,
                w.announcedInTime() ? "ontime" : "late", scope, excluded);
    }

    private static String lead(Duration d) {
        long minutes = Math.abs(d.toMinutes());
        return minutes >= 2 * 1440 ? minutes / 1440 + " days" : minutes >= 120 ? minutes / 60 + " h" : minutes + " min";
    }

    private static String excludedText(MaintenanceWindow w, long intervals, long errors, long accounts) {
        if (!w.announcedInTime()) {
            return "nothing (announced late)";
        }
        if (intervals == 0) {
            return "nothing: no traffic of these accounts in it";
        }
        return String.format(Locale.ROOT, "%,d intervals%s, %,d error requests", intervals,
                accounts > 1 ? " of " + accounts + " accounts" : "", errors);
    }

    /** The intervals of the entry's account the window excludes, and their error requests. */
    static long[] excluded(MaintenanceWindow w, HtmlReport.Entry e) {
        long[] out = new long[2];
        String id = e.statement().accountId();
        if (!w.covers(id) || !w.announcedInTime()) {
            return out;
        }
        AccountMonthTraffic t = e.traffic().normalized();
        for (int i = 0; i < t.size(); i++) {
            if (w.excludes(id, Instant.ofEpochSecond(t.startEpochSecond(i)))) {
                out[0]++;
                out[1] += t.errorRequests(i);
            }
        }
        return out;
    }

    static String claimText(Optional<JsonNode> claim) {
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

    // ---------------------------------------------------------------- an account's section

    static Account account(HtmlReport.Entry e, Back back) {
        Statement s = e.statement();
        ZoneId zone = e.terms().timeZone();
        StringBuilder periods = new StringBuilder();
        for (int i = 0; i < s.periodDays().size(); i++) {
            DateRange r = s.periodDays().get(i);
            periods.append(i == 0 ? "" : ", ").append(r.start()).append(" to ").append(r.end());
        }
        List<WindowRow> windows = new ArrayList<>();
        for (MaintenanceWindow w : e.windows()) {
            if (w.covers(s.accountId())) {
                long[] x = excluded(w, e);
                windows.add(row(w, zone, "", excludedText(w, x[0], x[1], 1)));
            }
        }
        return new Account(anchor(s.accountId()), back, s.accountId(), s.month().toString(), periods.toString(), s.days(),
                s.intervals(), s.termsVersion(), s.revision(), e.traffic().size() == 0, kpis(e), HtmlReport.money(s),
                s.claimOpensAt().atZoneSameInstant(zone).toLocalDateTime().toString(),
                s.claimClosesAt().atZoneSameInstant(zone).toLocalDateTime().toString(), zone.getId(),
                TimelineChart.of(e), BudgetChart.of(e), gauge(e), windows, !windows.isEmpty(),
                EvidenceModels.evidence(e).orElse(null));
    }

    private static List<Kpi> kpis(HtmlReport.Entry e) {
        Statement s = e.statement();
        String cls = s.compensationPercent().signum() == 0 ? "met"
                : s.compensationPercent().compareTo(BigDecimal.valueOf(10)) <= 0 ? "t10"
                        : s.compensationPercent().compareTo(BigDecimal.valueOf(25)) <= 0 ? "t25" : "t50";
        BigDecimal sum6 = s.errorRateSum().setScale(6, RoundingMode.HALF_EVEN);
        return List.of(
                new Kpi(cls, s.availability().toPlainString() + " %", "availability (commitment "
                        + e.terms().commitment().toPlainString() + " %)", null),
                new Kpi(cls, s.compensationPercent().toPlainString() + " %", "compensation tier", null),
                new Kpi(cls, s.voucherAmount().map(Money::toString).orElse("no fee assessed"), "voucher (base "
                        + s.base().map(Money::toString).orElse("-") + ", cap " + e.terms().capPercent().toPlainString()
                        + " %)", HtmlReport.zeroVoucher(s).orElse(null)),
                new Kpi("neutral", claimText(e.claim()), "claim", null),
                new Kpi("neutral", (sum6.compareTo(s.errorRateSum()) == 0 ? "" : "\u2248 ") + sum6.toPlainString(),
                        "sum of interval error rates", "exact: " + s.errorRateSum().toPlainString() + " (as in the JSON)"));
    }

    /** Position on a "nines" scale: unavailability from 10% (left) to 0.01% (right), logarithmic. */
    private static double nines(double availabilityPercent) {
        double u = Math.max(0.01, Math.min(10, 100 - availabilityPercent));
        return (1 - Math.log10(u)) / 3 * CHART_W;
    }

    private static Gauge gauge(HtmlReport.Entry e) {
        TermsVersion t = e.terms();
        int y = 18;
        List<Band> bands = new ArrayList<>();
        double commitmentX = nines(t.commitment().doubleValue());
        bands.add(new Band(f(commitmentX), y, f(CHART_W - commitmentX), "#66bb6a", f(commitmentX + 3), y + 12, "met"));
        String[] colours = {"#ffd54f", "#ffa726", "#ef5350", "#b71c1c"};
        int k = 0;
        for (Tier tier : t.tiers()) {
            double x0 = nines(tier.atLeast().doubleValue());
            double x1 = nines(tier.below().doubleValue());
            bands.add(new Band(f(x0), y, f(Math.max(0, x1 - x0)), colours[Math.min(k++, colours.length - 1)], f(x0 + 3),
                    y + 12, tier.percent().toPlainString() + "%"));
        }
        List<Label> ticks = new ArrayList<>();
        for (String tick : new String[] {"90", "95", "99", "99.9", "99.99"}) {
            ticks.add(new Label(f(nines(Double.parseDouble(tick))), String.valueOf(y + 30), tick));
        }
        double x = nines(e.statement().availability().doubleValue());
        boolean right = x > CHART_W - 90;
        return new Gauge(CHART_W + 60, bands, ticks, f(x), y, y + 16, f(x + (right ? -8 : 8)), y - 6,
                right ? "end" : "start", e.statement().availability().toPlainString());
    }

    /** The per-interval error rate the statement sums (S2.5): min(1, E / V). */
    static double rate(long valid, long errors) {
        return errors == 0 ? 0 : errors >= valid ? 1 : (double) errors / valid;
    }

    /** Whether the interval counts in the statement: inside the service period and not excluded by a window. */
    static boolean counts(HtmlReport.Entry e, long[] bounds, long start) {
        boolean inPeriod = false;
        for (int b = 0; b + 1 < bounds.length; b += 2) {
            if (start >= bounds[b] && start < bounds[b + 1]) {
                inPeriod = true;
                break;
            }
        }
        if (!inPeriod) {
            return false;
        }
        Instant at = Instant.ofEpochSecond(start);
        String id = e.statement().accountId();
        return e.windows().stream().noneMatch(w -> w.excludes(id, at));
    }

    static long[] periodBounds(HtmlReport.Entry e) {
        Statement s = e.statement();
        return new ServicePeriod(s.month(), s.periodDays()).epochSecondBounds(e.terms().timeZone());
    }

    static Instant monthStart(YearMonth month, ZoneId zone) {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    static boolean covered(Statement s, LocalDate date) {
        return s.periodDays().stream().anyMatch(r -> !date.isBefore(r.start()) && !date.isAfter(r.end()));
    }
}
