package dev.slaledger.accounts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.accounts.EventFiles;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class BillingEventParserTest {

    private final BillingEventParser parser = new BillingEventParser();

    private BillingEvent parseFile(String name) {
        try (var in = EventFiles.open(name)) {
            return parser.parse(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("S1.1 SubscriptionPurchased: the SLA's own three months from March 17 -> term 03-17..06-16")
    void subscriptionPurchased() {
        assertThat(parseFile("subscription-purchased.json")).isEqualTo(new SubscriptionPurchased(
                "fb09321e-1f6f-cdae-145a-b316a9ed4667", "sub_8812", 1, "acme", "sub_8812",
                Term.ofMonths(LocalDate.of(2026, 3, 17), 3)));
    }

    @Test
    @DisplayName("S1.1 SubscriptionEnded (cancelled early) carries the whole remaining term")
    void subscriptionCancelled() {
        SubscriptionEnded e = (SubscriptionEnded) parseFile("subscription-ended-cancelled.json");
        assertThat(e.billingVersion()).isEqualTo(2);
        assertThat(e.reason()).isEqualTo(SubscriptionEnded.Reason.CANCELLED);
        assertThat(e.term()).contains(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 5, 10)));
        assertThat(((SubscriptionEnded) parseFile("subscription-ended-expired.json")).reason())
                .isEqualTo(SubscriptionEnded.Reason.EXPIRED);
    }

    @Test
    @DisplayName("S1.2 a subscription cancelled before its first day (end = start - 1) covers no day")
    void subscriptionCancelledBeforeStart() {
        SubscriptionEnded e = (SubscriptionEnded) parseFile("subscription-ended-before-start.json");
        assertThat(e.start()).isEqualTo(LocalDate.of(2026, 9, 1));
        assertThat(e.end()).isEqualTo(LocalDate.of(2026, 8, 31));
        assertThat(e.term()).isEmpty();
    }

    @Test
    @DisplayName("S4.2 FeeAssessed: fee and voucher part as exact money in the fee's currency")
    void feeAssessed() {
        FeeAssessed f = (FeeAssessed) parseFile("fee-assessed.json");
        assertThat(f.accountId()).isEqualTo("acme");
        assertThat(f.billingId()).isEqualTo("inv_2026_03_acme_1");
        assertThat(f.month()).isEqualTo(YearMonth.of(2026, 3));
        assertThat(f.fee()).isEqualTo(MonthlyFee.of("1000.00", "100.00", "CNY"));
        FeeAssessed correction = (FeeAssessed) parseFile("fee-assessed-correction.json");
        assertThat(correction.billingVersion()).isEqualTo(2);
        assertThat(correction.fee().base().toDecimalString()).isEqualTo("800.00");
    }

    @Test
    @DisplayName("S6.2 ContactChanged: email and an optional BCP 47 locale")
    void contactChanged() {
        assertThat(parseFile("contact-changed.json")).isEqualTo(new ContactChanged(
                "06dea6a2-faa0-27fe-02b5-6fec76bc506f", "cust_acme", 1, "acme", "sla-notices@acme.example",
                Optional.of(Locale.forLanguageTag("zh-CN"))));
        ContactChanged noLocale = (ContactChanged) parseFile("contact-changed-no-locale.json");
        assertThat(noLocale.locale()).isEmpty();
        assertThat(noLocale.email()).isEqualTo("ops@acme.example");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    @DisplayName("every event under events/accounts/ is accepted and names its entity")
    void everyValidFileParses(String file) {
        BillingEvent e = parseFile(file);
        assertThat(e.billingVersion()).isPositive();
        assertThat(e.entity()).contains(e.accountId());
        assertThat(BillingEventParser.DETAIL_TYPES).contains(e.detailType());
    }

    static java.util.List<String> validFiles() {
        return EventFiles.list("");
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid/unknown-detail-type.json          | detail-type          | unknown detail-type InvoicePaid
            invalid/wrong-source.json                 | source               | source crm is not billing
            invalid/fee-unknown-currency.json         | detail.currency      | currency ABC is not an ISO 4217 code
            invalid/fee-negative-amount.json          | detail.amount        | amount -10.00 must not be negative
            invalid/fee-negative-voucher.json         | detail.voucherPaid   | amount -1.00 must not be negative
            invalid/fee-voucher-above-fee.json        | detail.voucherPaid   | voucher part 100.01 EUR is above the fee 100.00 EUR
            invalid/fee-too-many-decimals.json        | detail.voucherPaid   | has more decimals than JPY allows
            invalid/fee-amount-as-number.json         | detail.amount        | must be a string, was number
            invalid/fee-missing-amount.json           | detail.amount        | is required
            invalid/fee-bad-month.json                | detail.month         | month 2026-13 is not YYYY-MM
            invalid/subscription-end-before-start.json | detail.end          | term ends on 2026-03-10, before it starts on 2026-03-17
            invalid/subscription-too-long.json        | detail.end           | touches 49 calendar months; at most 48
            invalid/subscription-missing-account.json | detail.accountId     | is required
            invalid/subscription-version-not-integer.json | detail.billingVersion | must be a positive integer
            invalid/contact-malformed-email.json      | detail.email         | email sla-notices at acme.example is not a valid address
            invalid/contact-bad-locale.json           | detail.locale        | locale zh_CN! is not a BCP 47 language tag
            """)
    @DisplayName("issue 4 item 4: invalid events are refused as a whole, naming field and reason")
    void invalidFilesAreRefused(String file, String field, String reason) {
        assertThatThrownBy(() -> parseFile(file))
                .isInstanceOf(InvalidBillingEventException.class)
                .satisfies(t -> {
                    InvalidBillingEventException e = (InvalidBillingEventException) t;
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.eventId()).isNotBlank();
                    assertThat(e.getMessage()).contains(e.eventId()).contains(field).contains(reason);
                });
    }

    @Test
    @DisplayName("every file under events/accounts/invalid/ is refused (no fixture that proves nothing)")
    void everyInvalidFileIsRefused() {
        assertThat(EventFiles.list("invalid")).hasSize(16).allSatisfy(file ->
                assertThatThrownBy(() -> parseFile(file)).isInstanceOf(InvalidBillingEventException.class));
    }

    @Test
    @DisplayName("a SubscriptionEnded ending two days before it starts is refused (only start - 1 means 'never started')")
    void endedTooEarly() {
        String json = EventFiles.read("subscription-ended-before-start.json").replace("\"2026-08-31\"", "\"2026-08-30\"");
        assertThatThrownBy(() -> parser.parse(json))
                .isInstanceOf(InvalidBillingEventException.class)
                .hasMessageContaining("detail.end").hasMessageContaining("before it starts");
    }

    @Test
    @DisplayName("a SubscriptionEnded with an unknown reason is refused")
    void endedUnknownReason() {
        String json = EventFiles.read("subscription-ended-cancelled.json").replace("\"CANCELLED\"", "\"REFUNDED\"");
        assertThatThrownBy(() -> parser.parse(json))
                .isInstanceOf(InvalidBillingEventException.class)
                .hasMessageContaining("detail.reason");
    }

    @Test
    @DisplayName("fields added to the contract later are ignored (adding fields is free)")
    void extraFieldsIgnored() {
        String json = EventFiles.read("fee-assessed.json").replace("\"currency\": \"CNY\"",
                "\"currency\": \"CNY\", \"invoiceUrl\": \"https://billing.example/inv/1\"");
        assertThat(parser.parse(json)).isEqualTo(parseFile("fee-assessed.json"));
    }

    @Test
    @DisplayName("a duplicate key, trailing garbage or a non-object is refused, not guessed at")
    void malformedJson() {
        String fee = EventFiles.read("fee-assessed.json");
        assertThatThrownBy(() -> parser.parse(fee.replace("\"amount\": \"1000.00\"", "\"amount\": \"1000.00\", \"amount\": \"1.00\"")))
                .isInstanceOf(InvalidBillingEventException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parser.parse(fee + "{}"))
                .isInstanceOf(InvalidBillingEventException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parser.parse("[]"))
                .isInstanceOf(InvalidBillingEventException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parser.parse(fee.replace("\"detail\": {", "\"detail\": 1, \"x\": {")))
                .isInstanceOf(InvalidBillingEventException.class).hasMessageContaining("detail must be a JSON object");
    }

    @Test
    @DisplayName("an event without an envelope id is refused")
    void missingId() {
        String json = EventFiles.read("fee-assessed.json").replaceFirst("\"id\": \"[^\"]*\",", "");
        assertThatThrownBy(() -> parser.parse(json))
                .isInstanceOf(InvalidBillingEventException.class)
                .satisfies(t -> assertThat(((InvalidBillingEventException) t).field()).isEqualTo("id"));
    }

    @ParameterizedTest(name = "accountId {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            'acme#2'
            'ac me'
            ''
            """)
    @DisplayName("account ids that would break the key layout ('#', blanks) are refused")
    void badIds(String accountId) {
        String json = EventFiles.read("fee-assessed.json").replace("\"accountId\": \"acme\"", "\"accountId\": \"" + accountId + "\"");
        assertThatThrownBy(() -> parser.parse(json))
                .isInstanceOf(InvalidBillingEventException.class)
                .hasMessageContaining("detail.accountId");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            a@b
            a@@b.com
            @acme.example
            a@.example
            a@acme..example
            """)
    @DisplayName("S6.2 malformed emails are refused")
    void badEmails(String email) {
        String json = EventFiles.read("contact-changed.json").replace("sla-notices@acme.example", email);
        assertThatThrownBy(() -> parser.parse(json))
                .isInstanceOf(InvalidBillingEventException.class)
                .hasMessageContaining("detail.email");
    }

    @Test
    @DisplayName("S4.3 a zero fee and a voucher part equal to the fee are valid (base 0)")
    void zeroBase() {
        String json = EventFiles.read("fee-assessed.json").replace("\"100.00\"", "\"1000.00\"");
        assertThat(((FeeAssessed) parser.parse(json)).fee().base().isZero()).isTrue();
    }

    @Test
    @DisplayName("S1.1 a 48-month term is accepted (the longest supported)")
    void longestTerm() {
        String json = EventFiles.read("subscription-purchased.json").replace("\"2026-06-16\"", "\"2030-02-28\"");
        assertThat(((SubscriptionPurchased) parser.parse(json)).term().end()).isEqualTo(LocalDate.of(2030, 2, 28));
    }
}
