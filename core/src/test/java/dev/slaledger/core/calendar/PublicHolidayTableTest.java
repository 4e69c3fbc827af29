package dev.slaledger.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * S5.2 (working days) on the tabulated calendars: the committed table is exactly what the jollyday library
 * answers, for every calendar, every first-level subdivision and every year it covers (issue 32 item 2).
 */
class PublicHolidayTableTest {

    @Test
    void s5_2_theCommittedTableIsWhatTheLibraryAnswersForEveryCalendarAndYear() throws IOException {
        byte[] committed;
        try (InputStream in = PublicHolidayTable.class.getResourceAsStream(PublicHolidayTable.RESOURCE)) {
            committed = in.readAllBytes();
        }
        assertThat(PublicHolidayTableGenerator.generate())
                .as("public-holidays.bin is stale: regenerate it with PublicHolidayTableGenerator (its javadoc)")
                .isEqualTo(committed);
    }

    @Test
    void s5_2_theReaderAnswersAsTheLibraryForCountriesSubdivisionsAndUnknownSubdivisions() {
        PublicHolidayTable table = PublicHolidayTable.get();
        for (String[] c : new String[][] {{"de", ""}, {"de", "by"}, {"de", "be"}, {"de", "zz"}, {"us", ""},
                {"us", "ny"}, {"us", "ca"}, {"fr", ""}, {"gb", "sct"}, {"ch", "zh"}, {"jp", ""}, {"eg", ""},
                {"gr", ""}, {"target", ""}, {"nyse", ""}, {"ca", "qc"}, {"es", "ct"}}) {
            HolidayManager manager = HolidayManager.getInstance(ManagerParameters.create(c[0]));
            Map<Integer, Set<LocalDate>> expected = c[1].isEmpty() ? PublicHolidayTableGenerator.byYear(manager)
                    : PublicHolidayTableGenerator.byYear(manager, c[1]);
            for (int y = PublicHolidayTable.FIRST_YEAR; y <= PublicHolidayTable.LAST_YEAR; y++) {
                assertThat(table.holidays(c[0].toUpperCase(Locale.ROOT), c[1], y)).as("%s-%s %d", c[0], c[1], y)
                        .isEqualTo(expected.get(y));
            }
        }
    }

    @Test
    void s5_2_everyCalendarCodeOfTheLibraryIsSupportedAndNoOther() {
        PublicHolidayTable table = PublicHolidayTable.get();
        for (String code : HolidayManager.getSupportedCalendarCodes()) {
            assertThat(table.supports(code)).as(code).isTrue();
        }
        assertThat(table.supports("xx")).isFalse();
        assertThat(table.supports("de-by")).as("a subdivision is not a country").isFalse();
    }

    @Test
    void s5_2_aYearOutsideTheTableIsRefusedNotAnsweredWithoutHolidays() {
        assertThatThrownBy(() -> PublicHolidayTable.get().holidays("de", "", PublicHolidayTable.LAST_YEAR + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2000-2100");
        assertThatThrownBy(() -> PublicHolidayTable.get().holidays("xx", "", 2026))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
