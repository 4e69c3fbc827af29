package dev.slaledger.notifier.notice;

import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import dev.slaledger.notifier.notice.TermsDiff.Field;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Renders an SLA change notice (S6.2) from the mustache templates of the account's language
 * ({@code templates/{language}/subject|body.html|body.txt.mustache}, field labels and value
 * phrases in {@code messages.properties} beside them). The HTML body is HTML-escaped by
 * mustache; the subject and text body are plain text.
 */
public final class NoticeRenderer {
    private static final String ROOT = MailTemplates.ROOT;
    private static final MailTemplates TEMPLATES = new MailTemplates("");

    /**
     * One notice to render.
     *
     * @param before      the terms that govern the account until {@code governsFrom}
     * @param after       the new version
     * @param governsFrom S6.3: the first day of a service period the new version governs for this account
     */
    public record Notice(String accountId, TermsVersion before, TermsVersion after, LocalDate sentOn,
            LocalDate governsFrom, NoticeLanguage language) {
    }

    private final String serviceName;
    private final Map<NoticeLanguage, Properties> messages = new EnumMap<>(NoticeLanguage.class);

    /**
     * @param serviceName the service the SLA is about, as customers know it; null for each
     *                    language's generic wording ({@code service.default} in its messages)
     */
    public NoticeRenderer(String serviceName) {
        this.serviceName = serviceName;
        for (NoticeLanguage language : NoticeLanguage.values()) {
            messages.put(language, load(language));
        }
        // Templates compile on first use (mustache.java caches them): compiling all of them here
        // cost the cold start 1.56x the baseline. Every template of every language is rendered by
        // NoticeRendererTest, so a broken one fails the build, and SnapStart priming renders a
        // notice before the snapshot.
    }

    /** Compiles every template of every language now (SnapStart priming, before the snapshot). */
    public static void compileAll() {
        TEMPLATES.compileAll();
    }

    public Mail render(String to, Notice notice) {
        return TEMPLATES.render(to, notice.language(), scope(notice));
    }

    /** The values the templates see; package-private for tests. */
    Map<String, Object> scope(Notice n) {
        Properties m = messages.get(n.language());
        Locale locale = n.language().locale();
        DateTimeFormatter longDate = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        List<Field> changed = TermsDiff.changed(n.before(), n.after());

        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Field f : Field.values()) {
            // ArrayList: mustache.java cannot iterate the JDK's hidden immutable list classes
            List<String> before = new ArrayList<>(values(f, n.before(), m, locale));
            List<String> after = new ArrayList<>(values(f, n.after(), m, locale));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", m.getProperty("label." + f.name()));
            row.put("before", before);
            row.put("after", after);
            row.put("changed", changed.contains(f));
            rows.add(row);
            if (changed.contains(f)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("label", row.get("label"));
                change.put("before", String.join("; ", before));
                change.put("after", String.join("; ", after));
                changes.add(change);
            }
        }
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("serviceName", serviceName != null ? serviceName : m.getProperty("service.default"));
        scope.put("accountId", n.accountId());
        scope.put("version", n.after().version());
        scope.put("previousVersion", n.before().version());
        scope.put("effectiveFrom", longDate.format(n.after().effectiveFrom()));
        scope.put("effectiveFromIso", n.after().effectiveFrom().toString());
        scope.put("governsFrom", longDate.format(n.governsFrom()));
        scope.put("governsFromIso", n.governsFrom().toString());
        scope.put("sentOn", longDate.format(n.sentOn()));
        scope.put("noticeDays", n.after().noticeDays());
        scope.put("governsLater", n.governsFrom().isAfter(n.after().effectiveFrom()));
        scope.put("rows", rows);
        scope.put("changes", changes);
        scope.put("hasChanges", !changes.isEmpty());
        return scope;
    }

    private static List<String> values(Field f, TermsVersion t, Properties m, Locale locale) {
        return switch (f) {
            case COMMITMENT -> List.of(format(m, "value.commitment", plain(t.commitment())));
            case TIERS -> t.tiers().stream().map(tier -> tier(m, tier)).collect(Collectors.toList());
            case CAP_PERCENT -> List.of(format(m, "value.cap", plain(t.capPercent())));
            case CLAIM_OPENS -> List.of(format(m, "value.claimOpens", t.claim().opensAfterWorkingDays()));
            case CLAIM_CLOSES -> List.of(format(m, "value.claimCloses", t.claim().closesMonthsAfterPeriodEnd()));
            case NOTICE_DAYS -> List.of(format(m, "value.noticeDays", t.noticeDays()));
            case TIME_ZONE -> List.of(format(m, "value.timeZone", t.timeZone().getId(),
                    t.timeZone().getDisplayName(TextStyle.FULL, locale)));
            case HOLIDAY_COUNTRY -> List.of(t.holidays().country()
                    .map(c -> format(m, "value.country", country(c, locale)))
                    .orElse(m.getProperty("value.noCountry")));
            case EXTRA_HOLIDAYS -> dates(t.holidays().extraHolidays(), m);
            case EXTRA_WORKING_DAYS -> dates(t.holidays().extraWorkingDays(), m);
            case ELIGIBILITY -> List.of(m.getProperty(t.eligibility().autoClaim() ? "value.eligibility.autoClaim"
                    : t.eligibility().notifyCustomer() ? "value.eligibility.notify" : "value.eligibility.none"));
        };
    }

    private static String tier(Properties m, Tier tier) {
        return format(m, "value.tier", plain(tier.atLeast()), plain(tier.below()), plain(tier.percent()));
    }

    private static List<String> dates(java.util.Set<LocalDate> dates, Properties m) {
        if (dates.isEmpty()) {
            return List.of(m.getProperty("value.none"));
        }
        return List.of(TermsDiff.sorted(dates).stream().map(LocalDate::toString).collect(Collectors.joining(", ")));
    }

    /** ISO 3166 code (optionally with a subdivision, {@code DE-BY}) as the country's name in the language. */
    private static String country(String code, Locale locale) {
        String[] parts = code.split("-", 2);
        String name = Locale.of("", parts[0]).getDisplayCountry(locale);
        return parts.length == 2 ? name + " (" + parts[1] + ")" : name;
    }

    private static String plain(java.math.BigDecimal d) {
        return d.toPlainString();
    }

    private static String format(Properties m, String key, Object... args) {
        String pattern = m.getProperty(key);
        if (pattern == null) {
            throw new IllegalStateException("missing message " + key);
        }
        Object[] text = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            text[i] = String.valueOf(args[i]); // strings: no locale-dependent number formatting
        }
        return new MessageFormat(pattern, Locale.ROOT).format(text);
    }


    private static Properties load(NoticeLanguage language) {
        String path = ROOT + "/" + language.tag() + "/messages.properties";
        try (InputStream in = NoticeRenderer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (Field f : Field.values()) {
                if (p.getProperty("label." + f.name()) == null) {
                    throw new IllegalStateException(path + " has no label." + f.name());
                }
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
