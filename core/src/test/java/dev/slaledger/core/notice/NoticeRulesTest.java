package dev.slaledger.core.notice;

import static dev.slaledger.core.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.terms.TermsVersion;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoticeRulesTest {
    private static final TermsVersion V1 = version("v1", "2026-01-01", 30);

    @ParameterizedTest(name = "S6.1 published {0}, effectiveFrom {1}, noticeDays {2}: allowed = {3}")
    @CsvSource({
        "2026-11-01, 2026-12-01, 30, true",
        "2026-11-01, 2026-11-30, 30, false",
        "2026-11-01, 2027-03-01, 30, true",
        "2026-11-01, 2026-11-01, 30, false",
        "2026-11-01, 2026-12-16, 45, true",
        "2026-11-01, 2026-12-15, 45, false",
        "2026-12-31, 2027-01-30, 30, true",
        "2026-12-31, 2027-01-29, 30, false",
    })
    @DisplayName("S6.1 a version may be published only with effectiveFrom >= publish date + noticeDays")
    void publication(String published, String effectiveFrom, int noticeDays, boolean allowed) {
        TermsVersion candidate = version("v2", effectiveFrom, noticeDays);
        PublicationCheck check = NoticeRules.checkPublication(candidate, Optional.of(V1), LocalDate.parse(published));
        assertThat(check.allowed()).as(check.message()).isEqualTo(allowed);
        assertThat(check.earliestEffectiveFrom()).isEqualTo(LocalDate.parse(published).plusDays(noticeDays));
        if (!allowed) {
            assertThat(check.field()).contains("effectiveFrom");
            assertThat(check.value()).contains(effectiveFrom);
        }
    }

    @Test
    @DisplayName("S6.1 a version id already published, or not later than the current one, is refused")
    void refusedVersions() {
        LocalDate publish = LocalDate.of(2025, 1, 1);
        assertThat(NoticeRules.checkPublication(version("v1", "2026-06-01", 30), Optional.of(V1), publish).field())
                .contains("version");
        assertThat(NoticeRules.checkPublication(version("v2", "2026-01-01", 30), Optional.of(V1), publish).field())
                .contains("effectiveFrom");
        assertThat(NoticeRules.checkPublication(version("v0", "2025-01-31", 30), Optional.empty(), publish).allowed())
                .isTrue();
    }

    @ParameterizedTest(name = "S6.3 effectiveFrom {0}, notice sent {1} -> governs periods from {2}")
    @CsvSource({
        "2026-12-01, 2026-10-15, 2026-12-01",
        "2026-12-01, 2026-11-01, 2026-12-01",
        "2026-12-01, 2026-11-02, 2026-12-02",
        "2026-12-01, 2026-11-10, 2026-12-10",
    })
    @DisplayName("S6.3 a version governs from max(effectiveFrom, notice sent + noticeDays)")
    void governsFrom(String effectiveFrom, String sent, String from) {
        assertThat(NoticeRules.governsFrom(version("v2", effectiveFrom, 30), LocalDate.parse(sent)))
                .isEqualTo(LocalDate.parse(from));
    }

    @ParameterizedTest(name = "S6.3 v2 notice sent {0}, v3 notice sent {1}, period starting {2} -> {3}")
    @CsvSource({
        "2026-10-15, ,           2026-11-01, v1",
        "2026-10-15, ,           2026-12-01, v2",
        "2026-11-10, ,           2026-12-01, v1",
        "2026-11-10, ,           2026-12-15, v2",
        "2026-11-10, ,           2027-01-01, v2",
        ",           ,           2030-01-01, v1",
        ",           2027-01-10, 2027-02-01, v1",
        ",           2027-01-10, 2027-03-01, v3",
        "2026-10-15, 2027-01-10, 2027-02-01, v2",
        "2026-10-15, 2027-01-10, 2027-03-01, v3",
        "2026-10-15, 2027-02-15, 2027-03-01, v2",
        "2026-10-15, 2027-02-15, 2027-04-01, v3",
    })
    @DisplayName("S6.3 the version in force at a period's start governs it; an account never notified keeps the old one")
    void governing(String v2Sent, String v3Sent, String periodStart, String expected) {
        List<TermsVersion> versions = List.of(V1, version("v2", "2026-12-01", 30), version("v3", "2027-03-01", 30));
        Map<String, LocalDate> sent = new HashMap<>();
        if (v2Sent != null) {
            sent.put("v2", LocalDate.parse(v2Sent));
        }
        if (v3Sent != null) {
            sent.put("v3", LocalDate.parse(v3Sent));
        }
        assertThat(NoticeRules.governing(versions, sent, LocalDate.parse(periodStart)).version()).isEqualTo(expected);
    }
}
