package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.Fixtures;
import dev.slaledger.notifier.notice.TermsDiff.Field;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TermsDiffTest {
    private static TermsVersion edit(String from, String to) {
        String json = TermsParser.toJson(DefaultTerms.version()).replace(from, to);
        return TermsParser.parse(json);
    }

    @Test
    @DisplayName("S6.2: the notice names exactly the fields that change (commitment, tiers, claim window, zone, holiday lists)")
    void namesWhatChanges() {
        assertThat(TermsDiff.changed(DefaultTerms.version(), Fixtures.v2027())).containsExactly(
                Field.COMMITMENT, Field.TIERS, Field.CLAIM_CLOSES, Field.TIME_ZONE, Field.EXTRA_HOLIDAYS,
                Field.EXTRA_WORKING_DAYS);
    }

    @Test
    @DisplayName("S6.2: a new version that only moves the version id and date changes no field")
    void sameTermsNewVersion() {
        TermsVersion next = edit("\"2026-01\"", "\"2026-02\"");
        assertThat(TermsDiff.changed(DefaultTerms.version(), next)).isEmpty();
    }

    @Test
    @DisplayName("D5: decimals compare by value: 99.9 is the same commitment as 99.90")
    void decimalsByValue() {
        TermsVersion scaled = edit("\"commitment\" : \"99.90\"", "\"commitment\" : \"99.9\"");
        assertThat(scaled.commitment().toPlainString()).isEqualTo("99.9");
        assertThat(TermsDiff.changed(DefaultTerms.version(), scaled)).isEmpty();
    }

    @Test
    @DisplayName("S6.2: cap, claim opening, notice days, extra holidays and the holiday country are each detected")
    void eachField() {
        assertThat(TermsDiff.changed(DefaultTerms.version(), edit("\"capPercent\" : \"50\"", "\"capPercent\" : \"40\"")))
                .containsExactly(Field.CAP_PERCENT);
        assertThat(TermsDiff.changed(DefaultTerms.version(),
                edit("\"opensAfterWorkingDays\" : 5", "\"opensAfterWorkingDays\" : 3")))
                .containsExactly(Field.CLAIM_OPENS);
        assertThat(TermsDiff.changed(DefaultTerms.version(), edit("\"noticeDays\" : 30", "\"noticeDays\" : 45")))
                .containsExactly(Field.NOTICE_DAYS);
        assertThat(TermsDiff.changed(DefaultTerms.version(),
                edit("\"extraHolidays\" : [ ]", "\"extraHolidays\" : [ \"2026-12-24\" ]")))
                .containsExactly(Field.EXTRA_HOLIDAYS);
        assertThat(TermsDiff.changed(DefaultTerms.version(),
                edit("\"holidays\" : {", "\"holidays\" : { \"country\" : \"DE\",")))
                .containsExactly(Field.HOLIDAY_COUNTRY);
    }
}
