package dev.slaledger.core.terms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TermsParserTest {
    private static final String VALID = """
        {"version":"v2","effectiveFrom":"2027-01-01","timeZone":"Asia/Shanghai","commitment":"99.90",
         "tiers":[{"atLeast":"99.00","below":"99.90","percent":"10"},
                  {"atLeast":"95.00","below":"99.00","percent":"25"},
                  {"atLeast":"0","below":"95.00","percent":"50"}],
         "capPercent":"50","claim":{"opensAfterWorkingDays":5,"closesMonthsAfterPeriodEnd":2},"noticeDays":30,
         "holidays":{"country":"DE","extraHolidays":["2027-01-04"],"extraWorkingDays":["2027-01-09"]}}
        """;

    private static Tier tier(String atLeast, String below, String percent) {
        return new Tier(new BigDecimal(atLeast), new BigDecimal(below), new BigDecimal(percent));
    }

    @Test
    @DisplayName("D5 S4.1 S5.1 S6.1 the default terms reproduce reference-sla.txt")
    void defaultTerms() {
        TermsVersion d = DefaultTerms.version();
        assertThat(d.commitment()).isEqualByComparingTo("99.90");
        assertThat(d.tiers()).usingRecursiveFieldByFieldElementComparator(
                org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).build())
                .containsExactly(tier("99.00", "99.90", "10"), tier("95.00", "99.00", "25"), tier("0", "95.00", "50"));
        assertThat(d.capPercent()).isEqualByComparingTo("50");
        assertThat(d.claim()).isEqualTo(new ClaimRules(5, 2));
        assertThat(d.noticeDays()).isEqualTo(30);
        assertThat(d.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(d.holidays().country()).isEmpty();
        assertThat(d.commitment().toPlainString()).isEqualTo("99.90");
    }

    @Test
    @DisplayName("D5 parse(toJson(t)) gives t back, for the defaults and a version with a holiday calendar")
    void roundTrip() {
        TermsVersion custom = TermsParser.parse(VALID);
        assertThat(custom.holidays()).isEqualTo(new HolidayRules(Optional.of("DE"), Set.of(LocalDate.of(2027, 1, 4)),
                Set.of(LocalDate.of(2027, 1, 9))));
        assertThat(custom.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        for (TermsVersion t : List.of(DefaultTerms.version(), custom)) {
            String json = TermsParser.toJson(t);
            assertThat(TermsParser.parse(json)).isEqualTo(t);
            assertThat(TermsParser.toJson(TermsParser.parse(json))).isEqualTo(json);
        }
        assertThat(TermsParser.toJson(custom)).contains("\"commitment\" : \"99.90\"");
    }

    @ParameterizedTest(name = "D5 {0}: refused naming {3} = {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        tiers overlapping                  | "atLeast":"95.00","below":"99.00"  | "atLeast":"95.00","below":"99.10" | tiers[1].below | 99.10
        tiers leaving a gap                | "atLeast":"95.00","below":"99.00"  | "atLeast":"95.00","below":"98.00" | tiers[1].below | 98.00
        first tier not ending at commitment| "below":"99.90"                    | "below":"99.80"                   | tiers[0].below | 99.80
        lowest tier not starting at 0      | "atLeast":"0"                      | "atLeast":"1"                     | tiers[2].atLeast | 1
        tier percent above 100             | "percent":"50"                     | "percent":"150"                   | tiers[2].percent | 150
        tier percent falling as A falls    | "percent":"25"                     | "percent":"5"                     | tiers[1].percent | 5
        cap above 100                      | "capPercent":"50"                  | "capPercent":"100.5"              | capPercent | 100.5
        cap below 0                        | "capPercent":"50"                  | "capPercent":"-1"                 | capPercent | -1
        commitment above 100               | "commitment":"99.90"               | "commitment":"100.1"              | commitment | 100.1
        unknown time zone                  | Asia/Shanghai                      | Mars/Olympus                      | timeZone | Mars/Olympus
        opensAfterWorkingDays below 0      | "opensAfterWorkingDays":5          | "opensAfterWorkingDays":-1        | claim.opensAfterWorkingDays | -1
        closesMonthsAfterPeriodEnd 0       | "closesMonthsAfterPeriodEnd":2     | "closesMonthsAfterPeriodEnd":0    | claim.closesMonthsAfterPeriodEnd | 0
        noticeDays below 0                 | "noticeDays":30                    | "noticeDays":-1                   | noticeDays | -1
        unknown top-level field            | "noticeDays":30                    | "noticeDays":30,"graceDays":3     | graceDays | 3
        unknown field in claim             | "closesMonthsAfterPeriodEnd":2     | "closesMonthsAfterPeriodEnd":2,"x":1 | claim.x | 1
        unknown field in a tier            | "percent":"10"                     | "percent":"10","note":"a"         | tiers[0].note | "a"
        number instead of decimal string   | "capPercent":"50"                  | "capPercent":50                   | capPercent | 50
        commitment as a JSON number        | "commitment":"99.90"               | "commitment":99.90                | commitment | 99.9
        decimal string that is no number   | "capPercent":"50"                  | "capPercent":"fifty"              | capPercent | fifty
        unknown holiday country            | "country":"DE"                     | "country":"XX"                    | holidays.country | XX
        malformed holiday country          | "country":"DE"                     | "country":"Germany"               | holidays.country | Germany
        a date in both holiday lists       | "extraWorkingDays":["2027-01-09"]  | "extraWorkingDays":["2027-01-04"] | holidays.extraWorkingDays | 2027-01-04
        a malformed extra holiday          | "extraHolidays":["2027-01-04"]     | "extraHolidays":["2027-1-4"]      | holidays.extraHolidays[0] | 2027-1-4
        an impossible effectiveFrom        | "effectiveFrom":"2027-01-01"       | "effectiveFrom":"2027-13-01"      | effectiveFrom | 2027-13-01
        missing version                    | "version":"v2",                    | ``                                | version | (missing)
        a version with a space             | "version":"v2"                     | "version":"v 2"                   | version | v 2
        a version with a '#'               | "version":"v2"                     | "version":"v#2"                   | version | v#2
        opensAfterWorkingDays as a string  | "opensAfterWorkingDays":5          | "opensAfterWorkingDays":"5"       | claim.opensAfterWorkingDays | "5"
        """)
    @DisplayName("D5 invalid terms are refused with the field and the value")
    void invalidTerms(String why, String from, String to, String field, String value) {
        assertThat(VALID).contains(from);
        String json = VALID.replace(from, to == null ? "" : to);
        TermsException e = catchThrowableOfType(TermsException.class, () -> TermsParser.parse(json));
        assertThat(e).as(why).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.getMessage()).startsWith(field + " = " + value + ": ");
    }

    @Test
    @DisplayName("S8.1 eligibility absent means both false, and the canonical form stays as it was")
    void eligibilityAbsent() {
        TermsVersion t = TermsParser.parse(VALID);
        assertThat(t.eligibility()).isEqualTo(Eligibility.NONE);
        assertThat(t.eligibility().active()).isFalse();
        assertThat(DefaultTerms.version().eligibility()).isEqualTo(Eligibility.NONE);
        assertThat(TermsParser.toJson(t)).doesNotContain("eligibility");
        String explicitNull = VALID.replace("\"noticeDays\":30", "\"noticeDays\":30,\"eligibility\":null");
        assertThat(TermsParser.parse(explicitNull)).isEqualTo(t);
    }

    @ParameterizedTest(name = "S8.1 eligibility {0} reads as notify={1} autoClaim={2} and round-trips")
    @CsvSource(delimiter = '|', textBlock = """
        {"notify":true}                     | true  | false
        {"autoClaim":true}                  | false | true
        {"notify":true,"autoClaim":true}    | true  | true
        {"notify":false,"autoClaim":false}  | false | false
        {}                                  | false | false
        """)
    void eligibilityRead(String object, boolean notify, boolean autoClaim) {
        TermsVersion t = TermsParser.parse(VALID.replace("\"noticeDays\":30", "\"noticeDays\":30,\"eligibility\":" + object));
        assertThat(t.eligibility()).isEqualTo(new Eligibility(notify, autoClaim));
        String json = TermsParser.toJson(t);
        assertThat(TermsParser.parse(json)).isEqualTo(t);
        assertThat(json.contains("eligibility")).isEqualTo(notify || autoClaim);
    }

    @ParameterizedTest(name = "S8.1 eligibility {0}: refused naming {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        `true`                              | eligibility           | true
        `{"notify":"yes"}`                  | eligibility.notify    | "yes"
        `{"autoClaim":1}`                   | eligibility.autoClaim | 1
        `{"notify":true,"remind":true}`     | eligibility.remind    | true
        `[true,false]`                      | eligibility           | [true,false]
        """)
    void eligibilityRefused(String object, String field, String value) {
        String json = VALID.replace("\"noticeDays\":30", "\"noticeDays\":30,\"eligibility\":" + object);
        TermsException e = catchThrowableOfType(TermsException.class, () -> TermsParser.parse(json));
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.value()).isEqualTo(value);
    }

    @Test
    @DisplayName("D5 a document that is not JSON, or not an object, is refused")
    void notJson() {
        assertThatThrownBy(() -> TermsParser.parse("{\"version\":")).isInstanceOf(TermsException.class)
                .extracting(e -> ((TermsException) e).field()).isEqualTo("(document)");
        assertThatThrownBy(() -> TermsParser.parse("[]")).isInstanceOf(TermsException.class);
    }

    @Test
    @DisplayName("D5 validated() applies the parser's rules to terms built in code")
    void validatedInCode() {
        TermsVersion d = DefaultTerms.version();
        assertThatThrownBy(() -> TermsVersion.validated("x", d.effectiveFrom(), d.timeZone(), d.commitment(),
                List.of(tier("0", "99.90", "10")), new BigDecimal("101"), d.claim(), 30, d.holidays()))
                .isInstanceOf(TermsException.class).hasMessageStartingWith("capPercent = 101");
    }
}
