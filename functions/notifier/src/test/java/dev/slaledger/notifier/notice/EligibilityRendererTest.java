package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.Fixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The eligibility notices (S8.2 "eligible", S8.3 "credited") in both languages against golden
 * files ({@code functions/notifier/src/test/resources/golden/eligibility/}). After changing a
 * template on purpose, regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
class EligibilityRendererTest {
    private static final Path GOLDEN = Fixtures.repoRoot()
            .resolve("functions/notifier/src/test/resources/golden/eligibility");

    static Statement statement() {
        Currency cny = Currency.getInstance("CNY");
        return Statement.builder().accountId("acme").month(YearMonth.of(2026, 10))
                .periodDays(List.of(new DateRange(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-31"))))
                .days(31).intervals(8928).errorRateSum(new BigDecimal("50.000000000000"))
                .availability(new BigDecimal("99.4399")).termsVersion("2026-01").compensationPercent(new BigDecimal("10"))
                .fee(Optional.of(Money.of("1000.00", "CNY"))).voucherPaid(Optional.of(Money.of("100.00", "CNY")))
                .base(Optional.of(Money.of("900.00", "CNY"))).voucherAmount(Optional.of(Money.of("90.00", "CNY")))
                .currency(Optional.of(cny)).claimOpensAt(OffsetDateTime.parse("2026-11-09T00:00+08:00"))
                .claimClosesAt(OffsetDateTime.parse("2027-01-01T00:00+08:00")).revision(2)
                .computedAt(Instant.parse("2026-11-01T00:30:00Z")).build();
    }

    static TermsVersion shanghai(Eligibility e) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated(d.version(), d.effectiveFrom(), java.time.ZoneId.of("Asia/Shanghai"),
                d.commitment(), d.tiers(), d.capPercent(), d.claim(), d.noticeDays(), d.holidays(), e);
    }

    private static EligibilityRenderer.Notice notice(String kind, NoticeLanguage language) {
        Statement s = statement();
        Optional<Claim> claim = kind.equals("credited")
                ? Optional.of(new Claim("0b7c6f5e-claim", "acme", s.month(), Instant.parse("2026-11-09T01:00:00Z"),
                        ClaimDecision.accept(s)))
                : Optional.empty();
        return new EligibilityRenderer.Notice("acme", s, shanghai(new Eligibility(true, kind.equals("credited"))),
                s.voucherAmount().orElseThrow(), claim, language);
    }

    @ParameterizedTest(name = "S8.2 S8.3 the {0} notice in {1} matches its golden files")
    @CsvSource({"eligible, EN", "eligible, ZH_CN", "credited, EN", "credited, ZH_CN"})
    @DisplayName("S8.2 S8.3 eligibility notices: golden files in both languages")
    void golden(String kind, NoticeLanguage language) throws IOException {
        EligibilityRenderer renderer = new EligibilityRenderer("Acme <API> & Co",
                "https://console.provider.example/sla/claims?month={month}&account={accountId}");
        Mail mail = renderer.render("ops@acme.example", notice(kind, language));
        String name = kind + "-" + language.tag();
        check(name + ".subject.txt", mail.subject() + "\n");
        check(name + ".body.txt", mail.textBody());
        check(name + ".body.html", mail.htmlBody());

        assertThat(mail.to()).isEqualTo("ops@acme.example");
        assertThat(mail.subject()).contains("90.00 CNY").contains("2026-10").doesNotContain("\n");
        assertThat(mail.textBody()).contains("99.4399%").contains("1000.00 CNY").contains("900.00 CNY");
        assertThat(mail.htmlBody()).contains("Acme &lt;API&gt; &amp; Co").doesNotContain("Acme <API>");
        if (kind.equals("eligible")) {
            assertThat(mail.textBody()).contains("POST /claims").contains("{\"month\":\"2026-10\"}")
                    .contains("https://console.provider.example/sla/claims?month=2026-10&account=acme");
            assertThat(mail.htmlBody()).contains("<time datetime=\"2026-11-09\">")
                    .contains("<time datetime=\"2026-12-31\">");
        } else {
            assertThat(mail.textBody()).contains("0b7c6f5e-claim").doesNotContain("POST /claims");
        }
    }

    @ParameterizedTest(name = "S8.2 without claimUrlTemplate the {0} notice names the API route only")
    @CsvSource({"EN", "ZH_CN"})
    void noClaimUrl(NoticeLanguage language) {
        Mail mail = new EligibilityRenderer(null, null).render("ops@acme.example", notice("eligible", language));
        assertThat(mail.textBody()).contains("POST /claims").doesNotContain("http");
        assertThat(mail.htmlBody()).doesNotContain("<a ");
        assertThat(mail.subject()).startsWith(language == NoticeLanguage.EN ? "the API service" : "API 服务");
    }

    private static void check(String file, String actual) throws IOException {
        Path golden = GOLDEN.resolve(file);
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            assertThat(Boolean.getBoolean("golden.update")).as("golden file %s was missing: written, review it", file)
                    .isTrue();
        }
        assertThat(actual).as("golden file %s", file).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
