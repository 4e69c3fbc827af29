package dev.slaledger.local;

import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.Tier;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One account's error budget through the month (issue 28 item 4): the sum of interval error rates so
 * far (S2.5; excluded intervals and days outside the service period add nothing) against the
 * commitment line, the sum the commitment allows over the service period,
 * {@code (100 - commitment) / 100 x 288 x covered days}; the tiers' thresholds as dashed lines where
 * they fit. Where the line crosses the commitment line the month's SLA was missed.
 */
final class BudgetChart {
    private static final int TOP = 8;

    private BudgetChart() {
    }

    static ReportModels.Budget of(HtmlReport.Entry e) {
        Statement s = e.statement();
        double[] cumulative = cumulative(e);
        double intervals = s.intervals();
        double budget = (100 - e.terms().commitment().doubleValue()) / 100 * intervals;
        double spent = cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
        double top = Math.max(Math.max(budget * 1.5, spent * 1.1), 1e-9);
        int h = ReportModels.BUDGET_H;
        StringBuilder points = new StringBuilder();
        double step = (double) ReportModels.CHART_W / Math.max(1, cumulative.length);
        points.append("0.00,").append(y(0, top));
        for (int k = 0; k < cumulative.length; k++) {
            points.append(' ').append(f((k + 1) * step)).append(',').append(y(cumulative[k], top));
        }
        List<ReportModels.Line> tiers = new ArrayList<>();
        for (Tier tier : e.terms().tiers()) {
            double limit = (100 - tier.atLeast().doubleValue()) / 100 * intervals;
            if (limit < top) {
                tiers.add(new ReportModels.Line(y(limit, top), f(Double.parseDouble(y(limit, top)) - 2),
                        "below " + tier.atLeast().toPlainString() + " %: " + tier.percent().toPlainString() + " %",
                        "#c62828", f(ReportModels.CHART_W - 4)));
            }
        }
        List<ReportModels.Label> yLabels = List.of(new ReportModels.Label(null, f(TOP + h + 3), "0"),
                new ReportModels.Label(null, f(Double.parseDouble(y(top, top)) + 10), percent(top / budget)));
        List<ReportModels.Label> days = new ArrayList<>();
        int monthDays = s.month().lengthOfMonth();
        for (int d = 0; d < monthDays; d += (monthDays > 20 ? 2 : 1)) {
            days.add(new ReportModels.Label(f(d * 24 * step + 2), String.valueOf(TOP + h + 13), String.valueOf(d + 1)));
        }
        double exact = s.errorRateSum().doubleValue(); // the statement's sum, as in the JSON
        String endLabel = "spent " + percent(budget == 0 ? 0 : exact / budget) + " of the budget (sum "
                + s.errorRateSum().setScale(4, java.math.RoundingMode.HALF_EVEN).toPlainString() + " of "
                + BigDecimal.valueOf(budget).setScale(4, java.math.RoundingMode.HALF_EVEN).toPlainString() + ")";
        String commitmentY = y(budget, top);
        return new ReportModels.Budget(ReportModels.CHART_W + 60, TOP + h + 20, TOP, ReportModels.CHART_W, h,
                e.terms().commitment().toPlainString(), String.format(Locale.ROOT, "%.4f", budget), commitmentY,
                f(Double.parseDouble(commitmentY) - 4), tiers, points.toString(), exact > budget ? "#c62828" : "#1565c0",
                yLabels, days, f(ReportModels.CHART_W - 4), endY(Double.parseDouble(y(spent, top))),
                endLabel);
    }

    /** The sum of counted interval rates at the end of each hour of the month (terms' zone). */
    static double[] cumulative(HtmlReport.Entry e) {
        Statement s = e.statement();
        int hours = s.month().lengthOfMonth() * 24;
        double[] perHour = new double[hours];
        AccountMonthTraffic t = e.traffic().normalized();
        long[] bounds = ReportModels.periodBounds(e);
        long monthStart = ReportModels.monthStart(s.month(), e.terms().timeZone()).getEpochSecond();
        for (int i = 0; i < t.size(); i++) {
            long start = t.startEpochSecond(i);
            long hour = (start - monthStart) / 3600;
            if (start < monthStart || hour >= hours || !ReportModels.counts(e, bounds, start)) {
                continue;
            }
            perHour[(int) hour] += ReportModels.rate(t.valid(i), t.errorRequests(i));
        }
        for (int k = 1; k < hours; k++) {
            perHour[k] += perHour[k - 1];
        }
        return perHour;
    }

    /** The end label's baseline: above the line's end, or under it when the line ends near the top. */
    private static String endY(double lineY) {
        return f(lineY - 6 < TOP + 12 ? lineY + 14 : lineY - 6);
    }

    private static String y(double value, double top) {
        return f(TOP + ReportModels.BUDGET_H - Math.min(value, top) / top * ReportModels.BUDGET_H);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
