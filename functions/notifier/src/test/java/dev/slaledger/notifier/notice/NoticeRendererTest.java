package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.Fixtures;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoticeRendererTest {
    private final NoticeRenderer renderer = new NoticeRenderer("Acme <API> & Co");

    private static NoticeRenderer.Notice notice(NoticeLanguage language, LocalDate sentOn, LocalDate governsFrom) {
        return notice(Fixtures.v2027(), language, sentOn, governsFrom);
    }

    /** The usual notice of a change to {@code next}: sent on 2026-11-02, governing from 2027-01-01. */
    private static NoticeRenderer.Notice notice(TermsVersion next, NoticeLanguage language) {
        return notice(next, language, LocalDate.parse("2026-11-02"), LocalDate.parse("2027-01-01"));
    }

    /** Account acme's notice of the default terms changing to {@code next}. */
    private static NoticeRenderer.Notice notice(TermsVersion next, NoticeLanguage language, LocalDate sentOn,
            LocalDate governsFrom) {
        return new NoticeRenderer.Notice("acme", DefaultTerms.version(), next, sentOn, governsFrom, language);
    }

    /** {@code version} with its D5 JSON text edited: a version that differs from it where the edit says. */
    private static TermsVersion edited(TermsVersion version, UnaryOperator<String> edit) {
        return TermsParser.parse(edit.apply(TermsParser.toJson(version)));
    }

    @Test
    @DisplayName("S6.2/S6.3: the English notice states the version, the date it governs this account, what changes, old and new side by side, and the right to stop")
    void english() {
        Mail mail = renderer.render("ops@acme.example", notice(Fixtures.v2027(), NoticeLanguage.EN));

        assertThat(mail.to()).isEqualTo("ops@acme.example");
        assertThat(mail.subject()).isEqualTo(
                "Acme <API> & Co SLA change: new terms 2027-01 apply to your account from January 1, 2027");
        assertThat(mail.textBody())
                .contains("version 2027-01, take effect on January 1, 2027")
                .contains("starts on or after January 1, 2027 (2027-01-01)")
                .contains("- Availability commitment: at least 99.90% availability per service period  ->  "
                        + "at least 99.95% availability per service period")
                .contains("- Claims close: 2 months after the end of the service period  ->  "
                        + "3 months after the end of the service period")
                .contains("- SLA time zone: UTC (Coordinated Universal Time)  ->  Asia/Shanghai (China Time)")
                .contains("- Extra holidays: none  ->  2027-01-01, 2027-02-08, 2027-02-09, 2027-02-10")
                .contains("Public holiday calendar\n  Current:\n    none (weekends only)\n  New:\n    none (weekends only)\n")
                .contains("Compensation tiers (changed)\n  Current:\n"
                        + "    availability from 99.00% to below 99.90%: 10% of the monthly service fee\n")
                .contains("Compensation cap\n  Current:\n    50% of the monthly service fee")
                .contains("you have the right to stop using Acme <API> & Co")
                .doesNotContain("because this notice is sent on");
        assertThat(mail.htmlBody())
                .contains("<html lang=\"en\">")
                .contains("Acme &lt;API&gt; &amp; Co")
                .doesNotContain("Acme <API>")
                .contains("<time datetime=\"2027-01-01\">January 1, 2027</time>")
                .contains("<th style=\"border: 1px solid #999; text-align: left;\">Current terms (2026-01)</th>")
                .contains("<td style=\"border: 1px solid #999;\">Availability commitment <strong>(changed)</strong></td>")
                .contains("Your right to stop using the service (SLA Article 4)");
    }

    @Test
    @DisplayName("S6.3: a notice sent late says the new terms govern this account from sent date + noticeDays, after effectiveFrom")
    void governsLater() {
        Mail mail = renderer.render("ops@acme.example",
                notice(NoticeLanguage.EN, LocalDate.parse("2026-12-15"), LocalDate.parse("2027-01-14")));

        assertThat(mail.subject()).endsWith("from January 14, 2027");
        assertThat(mail.textBody()).contains("starts on or after January 14, 2027 (2027-01-14)")
                .contains("This is later than January 1, 2027 because this notice is sent on December 15, 2026 "
                        + "and every change is announced at least 30 days ahead.");
    }

    @Test
    @DisplayName("S6.2: the Simplified Chinese notice has the same facts in Chinese")
    void chinese() {
        Mail mail = renderer.render("ops@acme.example", notice(Fixtures.v2027(), NoticeLanguage.ZH_CN));

        assertThat(mail.subject()).isEqualTo("Acme <API> & Co SLA 变更通知：新条款 2027-01 自 2027年1月1日起适用于您的账户");
        assertThat(mail.textBody())
                .contains("新条款（版本 2027-01）自 2027年1月1日起生效")
                .contains("- 服务可用性承诺：每个服务周期的服务可用性不低于 99.90%  →  每个服务周期的服务可用性不低于 99.95%")
                .contains("- 额外工作日（调休）：无  →  2027-02-07")
                .contains("您有权停止使用 Acme <API> & Co");
        assertThat(mail.htmlBody()).contains("<html lang=\"zh-CN\">").contains("您停止使用服务的权利（SLA 第 4 条）")
                .contains("Acme &lt;API&gt; &amp; Co");
    }

    @Test
    @DisplayName("S6.2: without a configured service name each language names the service in its own words")
    void defaultServiceName() {
        NoticeRenderer generic = new NoticeRenderer(null);
        assertThat(generic.render("x@example.com", notice(Fixtures.v2027(), NoticeLanguage.ZH_CN)).subject())
                .contains("API 服务").doesNotContain("the API service");
        assertThat(generic.render("x@example.com", notice(Fixtures.v2027(), NoticeLanguage.EN)).subject())
                .contains("the API service");
    }

    @Test
    @DisplayName("S6.2: when only the version moves, the notice says no term changes")
    void noChanges() {
        TermsVersion next = edited(DefaultTerms.version(),
                json -> json.replace("\"2026-01\"", "\"2026-02\"").replace("2026-01-01", "2026-03-01"));
        Mail mail = renderer.render("x@example.com",
                notice(next, NoticeLanguage.EN, LocalDate.parse("2026-01-20"), LocalDate.parse("2026-03-01")));
        assertThat(mail.textBody()).contains("Only the version and its effective date change; every term stays the same.")
                .doesNotContain("(changed)");
    }

    @Test
    @DisplayName("S5.2: a holiday country is named in the reader's language")
    void countryName() {
        TermsVersion withCountry = edited(Fixtures.v2027(),
                json -> json.replace("\"holidays\" : {", "\"holidays\" : { \"country\" : \"DE-BY\","));
        assertThat(renderer.render("x@example.com", notice(withCountry, NoticeLanguage.EN)).textBody())
                .contains("- Public holiday calendar: none (weekends only)  ->  public holidays of Germany (BY)");
        assertThat(renderer.render("x@example.com", notice(withCountry, NoticeLanguage.ZH_CN)).textBody())
                .contains("- 法定节假日日历：无（仅周末）  →  德国 (BY)法定节假日");
    }

    @Test
    @DisplayName("HTML-escaping: an account id with markup cannot inject HTML; the text body keeps it verbatim")
    void escapes() {
        Mail mail = renderer.render("x@example.com", new NoticeRenderer.Notice("<b>evil</b>", DefaultTerms.version(),
                Fixtures.v2027(), LocalDate.parse("2026-11-02"), LocalDate.parse("2027-01-01"), NoticeLanguage.EN));
        assertThat(mail.htmlBody()).contains("&lt;b&gt;evil&lt;/b&gt;").doesNotContain("<b>evil");
        assertThat(mail.textBody()).contains("(account <b>evil</b>)");
    }

    @ParameterizedTest(name = "[{index}] locale {0} -> {1}")
    @CsvSource({"zh-CN,ZH_CN", "zh,ZH_CN", "zh-Hans-SG,ZH_CN", "zh-TW,ZH_CN", "en-GB,EN", "de-DE,EN", "'',EN"})
    @DisplayName("S6.2: the account's locale picks the language; English when none or unsupported")
    void language(String tag, NoticeLanguage expected) {
        Optional<Locale> locale = tag.isEmpty() ? Optional.empty() : Optional.of(Locale.forLanguageTag(tag));
        assertThat(NoticeLanguage.of(locale)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "S8.1 S6.2 a version that turns autoClaim on says so in {0}")
    @CsvSource(delimiter = '|', textBlock = """
        EN    | - Vouchers owed: you claim them yourself; we do not tell you  ->  we claim them for you when the claim window opens and email you the voucher
        ZH_CN | - 应得代金券：由您自行申请，我们不另行通知  →  申请期开始时，我们代您申请，并发邮件告知代金券
        """)
    void s8_1_eligibilityChangeIsNamed(NoticeLanguage language, String line) {
        TermsVersion after = Fixtures.v2027().withEligibility(new dev.slaledger.core.terms.Eligibility(false, true));
        Mail mail = renderer.render("ops@acme.example", notice(after, language));
        assertThat(mail.textBody()).contains(line);
        assertThat(TermsDiff.changed(DefaultTerms.version(), after)).contains(TermsDiff.Field.ELIGIBILITY);
        assertThat(TermsDiff.changed(Fixtures.v2027(), Fixtures.v2027())).isEmpty();
    }
}
