package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report's models of the transparency features, from the answers of their routes (nothing is
 * recomputed here): per account the statement's evidence (S9.6, {@code GET /statements/{month}/intervals},
 * listed collapsed and marked above the timeline), and in the summary the liability forecast
 * ({@code replay --forecast-at}, S9.8, {@code GET /admin/forecast}).
 */
final class EvidenceModels {
    /** Rows per list in the report; {@code replay --evidence DIR} writes them all. */
    static final int MAX_ROWS = 300;
    /** Where the evidence marks sit: a strip above the bars (the chart starts at {@link ReportModels#TOP}). */
    static final int MARK_Y = 1;
    static final int MARK_H = 6;
    static final String COUNTED = "#c62828";
    static final String EXCLUDED = "#3f7fd0";

    private EvidenceModels() {
    }

    record Row(String start, long valid, long errors, String rate, String rateDecimal, String flags, String reason,
            String windowId) {
    }

    record Section(String summary, List<Row> counted, boolean hasCounted, List<Row> excluded, boolean hasExcluded,
            String more, String problem) {
    }

    record ForecastRow(String accountId, String status, String errorRateSum, String errorBudget, String budgetUsed,
            String projectedBurn, String elapsed, String certain) {
    }

    record Forecast(String month, String at, String accounts, String workMessages, long atRisk, long compensable,
            String liability, List<ForecastRow> rows, boolean hasRows) {
    }

    /** The account's evidence section, when the report has it. */
    static Optional<Section> evidence(HtmlReport.Entry e) {
        if (e.evidence().isEmpty()) {
            return Optional.empty();
        }
        Evidence.Listing l = e.evidence().get();
        if (!l.found()) {
            return Optional.of(new Section(null, List.of(), false, List.of(), false, null, "GET /statements/"
                    + l.month() + "/intervals answered " + l.status() + " " + l.body().path("type").asText("")
                    + ": " + l.body().path("detail").asText("")));
        }
        ZoneId zone = ZoneId.of(l.body().path("zone").asText("UTC"));
        List<Row> counted = rows(l.counted(), zone, true);
        List<Row> excluded = rows(l.excluded(), zone, false);
        JsonNode st = l.body().path("statement");
        String summary = String.format(Locale.ROOT, "Evidence (S9.6): %,d intervals count against revision %s "
                + "(their rates sum to errorRateSum %s), %,d had their errors excluded", l.counted().size(),
                st.path("revision").asText(), st.path("errorRateSum").asText(), l.excluded().size())
                + (st.path("upToDate").asBoolean(true) ? "" : "; the statement is not up to date (a newer revision is due)");
        long hidden = Math.max(0, l.counted().size() - MAX_ROWS) + Math.max(0, l.excluded().size() - MAX_ROWS);
        return Optional.of(new Section(summary, counted, !counted.isEmpty(), excluded, !excluded.isEmpty(),
                hidden == 0 ? null : String.format(Locale.ROOT, "... and %,d more intervals (replay --evidence DIR "
                        + "writes them all)", hidden), null));
    }

    private static List<Row> rows(JsonNode list, ZoneId zone, boolean counted) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode iv : list) {
            if (rows.size() == MAX_ROWS) {
                break;
            }
            rows.add(new Row(HtmlReport.local(Instant.parse(iv.path("start").asText()), zone), iv.path("valid").asLong(),
                    iv.path("errors").asLong(), counted ? iv.path("rate").asText() : null,
                    counted ? shortDecimal(iv.path("rateDecimal").asText()) : null, flags(iv.path("flagged")),
                    counted ? null : iv.path("reason").asText(), iv.path("windowId").isTextual()
                            ? iv.get("windowId").asText() : null));
        }
        return rows;
    }

    /** The flag counts by kind that are not zero, e.g. {@code maintenance 5, content-ban 2}; empty: none. */
    static String flags(JsonNode flagged) {
        StringBuilder b = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = flagged.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> kind = it.next();
            if (kind.getValue().asLong() != 0) {
                b.append(b.isEmpty() ? "" : ", ").append(kind.getKey()).append(' ').append(kind.getValue().asLong());
            }
        }
        return b.toString();
    }

    private static String shortDecimal(String exact) {
        return new BigDecimal(exact).setScale(6, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * The evidence's intervals as marks above the timeline (counted red, excluded blue), each at its
     * 5-minute slot and at least 1.5 px wide, its title saying what the route listed.
     */
    static List<ReportModels.Shape> marks(HtmlReport.Entry e, Instant monthStart, double hourWidth) {
        List<ReportModels.Shape> marks = new ArrayList<>();
        if (e.evidence().isEmpty() || !e.evidence().get().found()) {
            return marks;
        }
        Evidence.Listing l = e.evidence().get();
        ZoneId zone = e.terms().timeZone();
        double width = Math.max(1.5, hourWidth / 12);
        for (JsonNode iv : l.counted()) {
            marks.add(mark(iv, monthStart, hourWidth, width, COUNTED, zone, "counts: r = " + iv.path("rate").asText()));
        }
        for (JsonNode iv : l.excluded()) {
            String why = "maintenance-window".equals(iv.path("reason").asText())
                    ? "excluded by window " + iv.path("windowId").asText() : "excluded: flagged " + flags(iv.path("flagged"));
            marks.add(mark(iv, monthStart, hourWidth, width, EXCLUDED, zone, why));
        }
        return marks;
    }

    private static ReportModels.Shape mark(JsonNode iv, Instant monthStart, double hourWidth, double width,
            String fill, ZoneId zone, String why) {
        Instant start = Instant.parse(iv.path("start").asText());
        double x = Duration.between(monthStart, start).getSeconds() / 3600.0 * hourWidth;
        x = Math.max(0, Math.min(ReportModels.CHART_W - width, x));
        return new ReportModels.Shape(f(x), Integer.toString(MARK_Y), f(width), Integer.toString(MARK_H), fill,
                HtmlReport.local(start, zone) + " " + zone.getId() + ": " + why + " (V " + iv.path("valid").asLong()
                        + ", E " + iv.path("errors").asLong() + ")");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The summary's forecast section, when the replay ran it. */
    static Forecast forecast(ForecastRun.Result r, ZoneId zone) {
        if (r == null) {
            return null;
        }
        List<ForecastRow> rows = new ArrayList<>();
        for (JsonNode f : r.forecasts()) {
            rows.add(new ForecastRow(f.path("accountId").asText(), f.path("status").asText(),
                    f.path("errorRateSum").asText(), f.path("errorBudget").asText(), f.path("budgetUsed").asText(),
                    f.path("projectedBurn").asText(), f.path("elapsedIntervals").asText() + " of "
                            + f.path("intervals").asText(), f.path("certainPercent").asText() + " %"
                            + (f.hasNonNull("certainVoucher") ? ": " + f.get("certainVoucher").asText() + " "
                                    + f.path("currency").asText() : "")));
        }
        return new Forecast(r.month(), HtmlReport.local(r.at(), zone) + " " + zone.getId(),
                String.valueOf(r.job().get("accounts")), String.valueOf(r.job().get("workMessages")),
                r.totals().path("accountsAtRisk").asLong(), r.totals().path("accountsCompensable").asLong(),
                ForecastRun.liability(r.totals()), rows, !rows.isEmpty());
    }
}
