package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A self-contained HTML report (inline CSS, SVG and a few lines of inline script to sort the
 * summary table; no network, no link outside the report), rendered from mustache templates
 * ({@code src/main/resources/dev/slaledger/local/report}: {@code page}, {@code summary},
 * {@code account}) on models built here ({@link ReportModels}): the summary with the totals per
 * currency and the maintenance windows (span, announced, on time or late, what each excluded); per
 * account the month's error-rate timeline (hourly, from the stored 5-minute aggregates the statement
 * was computed on, each hour's counts in its tooltip) with the windows in their own lane under it,
 * the error budget spent through the month against the commitment line, availability against the
 * tiers of the governing terms, and the voucher with why it is zero when it is. Above
 * {@link #SPLIT_ACCOUNTS} accounts or {@link #SPLIT_BYTES} bytes the report is an index page (the
 * summary) plus one page per account under {@code accounts/} beside it.
 */
public final class HtmlReport {
    /** One account's page section. {@code traffic} holds the aggregates of the statement's service period. */
    public record Entry(Statement statement, Optional<JsonNode> claim, TermsVersion terms, AccountMonthTraffic traffic,
            List<MaintenanceWindow> windows, Optional<Evidence.Listing> evidence) {
        /** Without the statement's evidence (S9.6): the section lists none, the chart marks none. */
        public Entry(Statement statement, Optional<JsonNode> claim, TermsVersion terms, AccountMonthTraffic traffic,
                List<MaintenanceWindow> windows) {
            this(statement, claim, terms, traffic, windows, Optional.empty());
        }
    }

    /** What the statements do not show: accounts without one, and the quarantined lines (D1: never lost). */
    public record Omitted(List<String> withoutStatement, List<String> quarantined, long quarantinedTotal) {
        static final Omitted NONE = new Omitted(List.of(), List.of(), 0);
    }

    /** More accounts than this: an index page plus one page per account. */
    public static final int SPLIT_ACCOUNTS = 50;
    /** A single page larger than this (UTF-8 bytes, about 100 KB per account): split as well. */
    public static final long SPLIT_BYTES = 4L * 1024 * 1024;
    /** The folder of the account pages, beside the index. */
    public static final String ACCOUNTS_DIR = "accounts";

    /** The templates, HTML-escaped with {@link #esc} (mustache's own escaper also rewrites {@code =} and backquotes). */
    private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("dev/slaledger/local/report") {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(esc(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final Mustache PAGE = TEMPLATES.compile("page.mustache");
    private static final Mustache SUMMARY = TEMPLATES.compile("summary.mustache");
    private static final Mustache ACCOUNT = TEMPLATES.compile("account.mustache");

    private HtmlReport() {
    }

    /**
     * Writes the report to {@code file}: one page, or above the thresholds ({@code maxAccounts}
     * accounts, {@code maxBytes} bytes) {@code file} as the index and one page per account in
     * {@code accounts/} beside it. Returns the files written, the index first.
     */
    public static List<Path> write(Path file, String title, String subtitle, List<Entry> entries, Omitted omitted,
            int maxAccounts, long maxBytes) throws IOException {
        return write(file, title, subtitle, entries, omitted, null, maxAccounts, maxBytes);
    }

    /** As above, with the liability forecast ({@code replay --forecast-at}, S9.8) in the summary; null: none. */
    static List<Path> write(Path file, String title, String subtitle, List<Entry> entries, Omitted omitted,
            ForecastRun.Result forecast, int maxAccounts, long maxBytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ZoneId zone = zoneOf(entries);
        if (entries.size() <= maxAccounts) {
            List<String> sections = new ArrayList<>(entries.size());
            long bytes = 0;
            for (Entry e : entries) {
                String section = render(ACCOUNT, ReportModels.account(e, null));
                sections.add(section);
                bytes += section.length();
            }
            if (bytes <= maxBytes) {
                Files.writeString(file, page(title, render(SUMMARY, ReportModels.summary(title, subtitle, entries,
                        omitted, sections, null, zone, forecast))), StandardCharsets.UTF_8);
                return List.of(file);
            }
        }
        List<Path> written = new ArrayList<>();
        List<String> names = fileNames(entries.stream().map(e -> e.statement().accountId()).toList());
        Files.writeString(file, page(title, render(SUMMARY, ReportModels.summary(title, subtitle, entries, omitted,
                List.of(), names, zone, forecast))), StandardCharsets.UTF_8);
        written.add(file);
        Path dir = Files.createDirectories(parent.resolve(ACCOUNTS_DIR));
        ReportModels.Back back = new ReportModels.Back("../" + file.getFileName(), title);
        for (int i = 0; i < entries.size(); i++) {
            Statement s = entries.get(i).statement();
            Path account = dir.resolve(names.get(i));
            Files.writeString(account, page(s.accountId() + ", " + s.month() + " - " + title,
                    render(ACCOUNT, ReportModels.account(entries.get(i), back))), StandardCharsets.UTF_8);
            written.add(account);
        }
        return written;
    }

    public static String render(String title, String subtitle, List<Entry> entries) {
        return render(title, subtitle, entries, Omitted.NONE);
    }

    /** The one-page report as a string. */
    public static String render(String title, String subtitle, List<Entry> entries, Omitted omitted) {
        List<String> sections = entries.stream().map(e -> render(ACCOUNT, ReportModels.account(e, null))).toList();
        return page(title, render(SUMMARY, ReportModels.summary(title, subtitle, entries, omitted, sections, null,
                zoneOf(entries))));
    }

    private static ZoneId zoneOf(List<Entry> entries) {
        return entries.isEmpty() ? ZoneId.of("UTC") : entries.get(0).terms().timeZone();
    }

    private static String page(String title, String body) {
        return render(PAGE, Map.of("pageTitle", title, "body", body));
    }

    private static String render(Mustache template, Object model) {
        StringWriter w = new StringWriter(64 * 1024);
        template.execute(w, model);
        return w.toString();
    }

    /**
     * File names for account ids: an id made only of {@code [a-z0-9_-]} (at most 80 characters)
     * keeps its name; any other id (capitals, which collide on case-insensitive file systems,
     * dots, slashes, anything else) is reduced to those characters and gets the first 8 hex digits
     * of its SHA-256, so two ids never share a file.
     */
    static List<String> fileNames(List<String> accountIds) {
        List<String> names = new ArrayList<>(accountIds.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String id : accountIds) {
            String safe = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
            String name = id.matches("[a-z0-9_-]{1,80}") ? id
                    : safe.substring(0, Math.min(80, safe.length())) + "-" + sha256(id).substring(0, 8);
            if (!seen.add(name + ".html")) {
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
        zeroVoucher(s).ifPresent(why -> t.append(' ').append(why));
        return t.toString();
    }

    /** Why a statement's voucher is zero, when it is (the commitment met; a zero base; rounding down to the cent). */
    static Optional<String> zeroVoucher(Statement s) {
        if (s.fee().isEmpty() || !s.voucherAmount().map(m -> m.amount().signum() == 0).orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(s.compensationPercent().signum() == 0 ? "Zero because the commitment was met."
                : s.base().map(b -> b.amount().signum() == 0).orElse(true)
                        ? "Zero because the base is zero: the fee was paid entirely with vouchers."
                        : "Zero after rounding down to the cent.");
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

    /** An instant as the report shows it: local date and time in the terms' zone. */
    static String local(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDateTime().toString().replace('T', ' ');
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
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
