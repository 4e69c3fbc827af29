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
        List<HtmlReport.Entry> entries = new ArrayList<>();
        for (Statement s : statements) {
            TermsVersion terms = runtime.governing(s);
            Instant from = s.month().atDay(1).minusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            Instant to = s.month().plusMonths(1).atDay(1).plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            entries.add(new HtmlReport.Entry(s, Optional.ofNullable(claims.get(s.accountId())), terms,
                    runtime.traffic(s, terms), runtime.maintenanceWindows(from, to)));
        }
        try {
            HtmlReport.write(file, title, subtitle, entries, omitted, HtmlReport.SPLIT_ACCOUNTS, HtmlReport.SPLIT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }
}
