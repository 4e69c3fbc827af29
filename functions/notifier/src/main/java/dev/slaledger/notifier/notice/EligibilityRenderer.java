package dev.slaledger.notifier.notice;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the notices of S8: "eligible" (S8.2: what the account may claim, and how) and
 * "credited" (S8.3: the claim the system filed, or that stands). Templates
 * {@code templates/{language}/eligibility-subject|eligibility-body.txt|eligibility-body.html.mustache};
 * the HTML body is HTML-escaped by mustache, the subject and text body are plain text.
 */
public final class EligibilityRenderer {
    private static final MailTemplates TEMPLATES = new MailTemplates("eligibility-");

    /**
     * One notice.
     *
     * @param voucher the amount stated: what a claim now issues (eligible) or the claim's voucher (credited)
     * @param claim   present for a credited notice
     */
    public record Notice(String accountId, Statement statement, TermsVersion terms, Money voucher,
            Optional<Claim> claim, NoticeLanguage language) {
    }

    private final String serviceName;
    private final String claimUrlTemplate;

    /**
     * @param serviceName      the service's name, null for each language's generic wording
     * @param claimUrlTemplate where customers claim (deploy parameter {@code claimUrlTemplate}):
     *                         {@code {month}} and {@code {accountId}} are replaced; null for none
     */
    public EligibilityRenderer(String serviceName, String claimUrlTemplate) {
        this.serviceName = serviceName;
        this.claimUrlTemplate = claimUrlTemplate == null || claimUrlTemplate.isBlank() ? null : claimUrlTemplate;
    }

    /** Compiles every template of every language now (SnapStart priming). */
    public static void compileAll() {
        TEMPLATES.compileAll();
    }

    public Mail render(String to, Notice notice) {
        return TEMPLATES.render(to, notice.language(), scope(notice));
    }

    Map<String, Object> scope(Notice n) {
        Statement s = n.statement();
        boolean zh = n.language() == NoticeLanguage.ZH_CN;
        DateTimeFormatter longDate = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
                .withLocale(n.language().locale());
        ZoneId zone = n.terms().timeZone();
        LocalDate opens = s.claimOpensAt().atZoneSameInstant(zone).toLocalDate();
        // claimClosesAt is the first instant a claim is no longer accepted: the last day is the one before
        LocalDate lastDay = s.claimClosesAt().atZoneSameInstant(zone).minusNanos(1).toLocalDate();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("serviceName", serviceName != null ? serviceName : zh ? "API 服务" : "the API service");
        scope.put("accountId", n.accountId());
        scope.put("month", s.month().toString());
        scope.put("credited", n.claim().isPresent());
        scope.put("availability", s.availability().toPlainString());
        scope.put("percent", s.compensationPercent().stripTrailingZeros().toPlainString());
        scope.put("fee", s.fee().map(EligibilityRenderer::money).orElse("-"));
        scope.put("voucherPaid", s.voucherPaid().map(EligibilityRenderer::money).orElse("-"));
        scope.put("base", s.base().map(EligibilityRenderer::money).orElse("-"));
        scope.put("voucher", money(n.voucher()));
        scope.put("revision", s.revision());
        scope.put("opens", longDate.format(opens));
        scope.put("opensIso", opens.toString());
        scope.put("lastDay", longDate.format(lastDay));
        scope.put("lastDayIso", lastDay.toString());
        scope.put("zone", zone.getId());
        scope.put("zoneName", zone.getDisplayName(TextStyle.FULL, n.language().locale()));
        n.claim().ifPresent(c -> {
            scope.put("claimId", c.claimId());
            scope.put("claimedOn", longDate.format(c.requestedAt().atZone(zone).toLocalDate()));
            scope.put("statementRevision", c.decision().statementRevision().orElse(s.revision()));
        });
        if (claimUrlTemplate != null) {
            scope.put("claimUrl", claimUrlTemplate.replace("{month}", s.month().toString())
                    .replace("{accountId}", n.accountId()));
        }
        return scope;
    }

    private static String money(Money m) {
        return m.toDecimalString() + " " + m.currency().getCurrencyCode();
    }

}
