package dev.slaledger.local;

import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The month's hourly error-rate timeline of one account (terms' zone): a bar per hour, the mean of its
 * 12 interval rates on a square-root scale, the excluded part in blue; days outside the service period
 * grey; an invisible full-height target per hour whose title gives the hour's counts; and under the
 * axis a lane of its own for the maintenance windows (on time blue, late purple, at least
 * {@value ReportModels#MIN_WINDOW_PX} px wide), so no bar can hide one.
 */
final class TimelineChart {
    private TimelineChart() {
    }

    static ReportModels.Timeline of(HtmlReport.Entry e) {
        Statement s = e.statement();
        YearMonth month = s.month();
        ZoneId zone = e.terms().timeZone();
        int days = month.lengthOfMonth();
        int hours = days * 24;
        double bar = (double) ReportModels.CHART_W / hours;
        double[][] series = hourly(e);
        long[][] counts = hourCounts(e);
        List<ReportModels.Shape> dayShapes = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            boolean covered = ReportModels.covered(s, month.atDay(d + 1));
            dayShapes.add(shape(d * 24 * bar, ReportModels.TOP, 24 * bar, ReportModels.CHART_H,
                    covered ? (d % 2 == 0 ? "#fbfcfe" : "#f1f4f8") : "#d9dde3", null));
        }
        List<ReportModels.Shape> bars = new ArrayList<>();
        List<ReportModels.Shape> targets = new ArrayList<>();
        Instant start = ReportModels.monthStart(month, zone);
        for (int k = 0; k < hours; k++) {
            barOf(bars, k * bar, bar, series[1][k], "#3f7fd0");
            barOf(bars, k * bar, bar, series[0][k], series[0][k] >= 0.5 ? "#c62828" : series[0][k] >= 0.05 ? "#ef6c00"
                    : "#f9a825");
            if (counts[0][k] != 0 || counts[1][k] != 0) {
                targets.add(shape(k * bar, ReportModels.TOP, Math.max(1, bar), ReportModels.CHART_H, null,
                        HtmlReport.hourTitle(start.plusSeconds(3600L * k).atZone(zone), counts[0][k], counts[1][k],
                                series[0][k], series[1][k])));
            }
        }
        List<ReportModels.Line> grid = new ArrayList<>();
        for (double level : new double[] {0.01, 0.25, 1.0}) {
            double y = ReportModels.BASE - Math.sqrt(level) * ReportModels.CHART_H;
            grid.add(new ReportModels.Line(f(y), f(y + 3), level == 1.0 ? "100%" : (int) (level * 100) + "%", null, null));
        }
        List<ReportModels.Label> labels = new ArrayList<>();
        for (int d = 0; d < days; d += (days > 20 ? 2 : 1)) {
            labels.add(new ReportModels.Label(f(d * 24 * bar + 2), String.valueOf(ReportModels.BASE + 13),
                    String.valueOf(d + 1)));
        }
        List<ReportModels.Shape> marks = EvidenceModels.marks(e, start, bar);
        return new ReportModels.Timeline(ReportModels.CHART_W + 60, ReportModels.LANE_Y + ReportModels.LANE_H + 6,
                ReportModels.CHART_W, ReportModels.BASE, ReportModels.LANE_Y, ReportModels.LANE_H,
                ReportModels.LANE_Y + 9, zone.getId(), dayShapes, bars, targets, grid, labels, lane(e, bar),
                marks, !marks.isEmpty());
    }

    /** The windows over the account, in their lane, each with its span, announcement and what it excluded. */
    private static List<ReportModels.Shape> lane(HtmlReport.Entry e, double bar) {
        Statement s = e.statement();
        ZoneId zone = e.terms().timeZone();
        Instant start = ReportModels.monthStart(s.month(), zone);
        List<ReportModels.Shape> lane = new ArrayList<>();
        for (MaintenanceWindow w : e.windows()) {
            if (!w.covers(s.accountId())) {
                continue;
            }
            double x0 = Math.max(0, hours(start, w.start()) * bar);
            double x1 = Math.min(ReportModels.CHART_W, hours(start, w.end()) * bar);
            if (x1 <= x0 && x0 >= ReportModels.CHART_W) {
                continue;
            }
            double width = Math.max(ReportModels.MIN_WINDOW_PX, x1 - x0);
            long[] excluded = ReportModels.excluded(w, e);
            String title = w.id() + ": " + HtmlReport.local(w.start(), zone) + " to " + HtmlReport.local(w.end(), zone)
                    + " " + zone.getId() + ", announced " + HtmlReport.local(w.announcedAt(), zone) + ", "
                    + (w.announcedInTime() ? "on time: excluded " + excluded[0] + " intervals, " + excluded[1]
                            + " error requests" : "late: excludes nothing (S2.4)");
            lane.add(shape(Math.min(x0, ReportModels.CHART_W - width), ReportModels.LANE_Y, width, ReportModels.LANE_H,
                    w.announcedInTime() ? "#3f7fd0" : "#a05cc8", title));
        }
        return lane;
    }

    private static double hours(Instant monthStart, Instant at) {
        return Duration.between(monthStart, at).getSeconds() / 3600.0;
    }

    private static void barOf(List<ReportModels.Shape> bars, double x, double w, double rate, String colour) {
        if (rate <= 0) {
            return;
        }
        double height = Math.max(1.5, Math.sqrt(Math.min(1, rate)) * ReportModels.CHART_H);
        bars.add(shape(x, ReportModels.BASE - height, Math.max(1, w), height, colour, null));
    }

    private static ReportModels.Shape shape(double x, double y, double w, double h, String fill, String title) {
        return new ReportModels.Shape(f(x), f(y), f(w), f(h), fill, title);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Hourly error rates over the month (terms' zone): [0] counted, [1] excluded by an announced window. */
    static double[][] hourly(HtmlReport.Entry e) {
        Statement s = e.statement();
        int hours = s.month().lengthOfMonth() * 24;
        double[] rate = new double[hours];
        double[] excluded = new double[hours];
        AccountMonthTraffic t = e.traffic().normalized();
        long monthStart = ReportModels.monthStart(s.month(), e.terms().timeZone()).getEpochSecond();
        for (int i = 0; i < t.size(); i++) {
            long hour = (t.startEpochSecond(i) - monthStart) / 3600;
            if (t.startEpochSecond(i) < monthStart || hour >= hours) {
                continue;
            }
            double r = ReportModels.rate(t.valid(i), t.errorRequests(i));
            Instant start = Instant.ofEpochSecond(t.startEpochSecond(i));
            if (e.windows().stream().anyMatch(w -> w.excludes(s.accountId(), start))) {
                excluded[(int) hour] += r / 12;
            } else {
                rate[(int) hour] += r / 12;
            }
        }
        return new double[][] {rate, excluded};
    }

    /** Per hour of the month (terms' zone): valid requests [0] and error requests [1]. */
    static long[][] hourCounts(HtmlReport.Entry e) {
        int hours = e.statement().month().lengthOfMonth() * 24;
        long[][] counts = new long[2][hours];
        AccountMonthTraffic t = e.traffic().normalized();
        long monthStart = ReportModels.monthStart(e.statement().month(), e.terms().timeZone()).getEpochSecond();
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
}
