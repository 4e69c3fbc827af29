package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    @DisplayName("issue 19 item 4: a plain lower-case account id keeps its name as the page's file name")
    void plainIdsKeepTheirName() {
        assertThat(HtmlReport.fileNames(List.of("acme", "initech-2", "a_b"))).containsExactly("acme.html",
                "initech-2.html", "a_b.html");
    }

    @Test
    @DisplayName("issue 19 item 4: other ids become safe file names, distinct even when they differ only by case or "
            + "by characters that were replaced")
    void otherIdsAreMadeSafeAndDistinct() {
        List<String> names = HtmlReport.fileNames(List.of("Acme", "acme", "a/b", "a.b", "../etc", "", "x".repeat(300)));
        assertThat(names).doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(n).matches("[a-z0-9_-]{0,80}(-[0-9a-f]{8})?\\.html"));
        assertThat(names.stream().map(String::toLowerCase).distinct()).hasSize(names.size());
        assertThat(names.get(0)).startsWith("acme-");
        assertThat(names.get(1)).isEqualTo("acme.html");
        assertThat(names.get(4)).startsWith("___etc-");
    }

    @Test
    @DisplayName("issue 19 item 4: an hour's tooltip names the hour in the terms' zone, its requests, errors and rate")
    void hourTitle() {
        ZonedDateTime hour = ZonedDateTime.of(2026, 10, 8, 10, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        assertThat(HtmlReport.hourTitle(hour, 2200, 546, 0.25, 0)).isEqualTo(
                "2026-10-08 10:00 Europe/Berlin: 2200 requests, 546 errors, mean 5-minute error rate 25.0000 %");
        assertThat(HtmlReport.hourTitle(hour, 100, 100, 0, 1)).endsWith(
                "error rate 100.0000 % (100.0000 % excluded by announced maintenance, S2.4)");
    }
}
