package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the HTML report from what the runtime stored: statements, their aggregates, the windows. */
final class Reports {
    private Reports() {
    }

    static void write(Path file, String title, String subtitle, LocalRuntime runtime, List<Statement> statements,
            Map<String, JsonNode> claims) {
        write(file, title, subtitle, runtime, statements, claims, HtmlReport.Omitted.NONE);
    }

    static void write(Path file, String title, String subtitle, LocalRuntime runtime, List<Statement> statements,
            Map<String, JsonNode> claims, HtmlReport.Omitted omitted) {
        write(file, title, subtitle, runtime, statements, claims, omitted, Map.of(), null);
    }

    /**
     * With each statement's evidence (S9.6, keyed as {@link ReplayRun#key}: listed per account and marked
     * on its chart) and the liability forecast (S9.8, in the summary; null: none).
     */
    static void write(Path file, String title, String subtitle, LocalRuntime runtime, List<Statement> statements,
            Map<String, JsonNode> claims, HtmlReport.Omitted omitted, Map<String, Evidence.Listing> evidence,
            ForecastRun.Result forecast) {
        List<HtmlReport.Entry> entries = new ArrayList<>();
        for (Statement s : statements) {
            TermsVersion terms = runtime.governing(s);
            Instant from = s.month().atDay(1).minusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            Instant to = s.month().plusMonths(1).atDay(1).plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            entries.add(new HtmlReport.Entry(s, Optional.ofNullable(claims.get(s.accountId())), terms,
                    runtime.traffic(s, terms), runtime.maintenanceWindows(from, to),
                    Optional.ofNullable(evidence.get(ReplayRun.key(s)))));
        }
        try {
            HtmlReport.write(file, title, subtitle, entries, omitted, forecast, HtmlReport.SPLIT_ACCOUNTS,
                    HtmlReport.SPLIT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }
}
