package dev.slaledger.core.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes {@link PublicHolidayTable}'s resource from the jollyday library (on core's test class path only).
 * Regenerate after a jollyday upgrade, from the repository root:
 * <pre>
 * ./mvnw -B -ntp -q -pl core test-compile
 * java -cp "core/target/test-classes:core/target/classes:$(./mvnw -q -pl core dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *   dev.slaledger.core.calendar.PublicHolidayTableGenerator core/src/main/resources/dev/slaledger/core/calendar/public-holidays.bin
 * </pre>
 * {@code PublicHolidayTableTest} fails until the committed table equals what this writes.
 */
public final class PublicHolidayTableGenerator {
    private PublicHolidayTableGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[0]), generate());
    }

    /** The deflated table, deterministic for a given library version. */
    public static byte[] generate() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(raw);
        out.writeInt(0x534c4148);
        out.writeByte(1);
        out.writeShort(PublicHolidayTable.FIRST_YEAR);
        out.writeShort(PublicHolidayTable.LAST_YEAR);
        ByteArrayOutputStream calendars = new ByteArrayOutputStream();
        DataOutputStream cal = new DataOutputStream(calendars);
        int count = 0;
        for (String code : new TreeSet<>(HolidayManager.getSupportedCalendarCodes())) {
            String country = code.toLowerCase(Locale.ROOT);
            HolidayManager manager = HolidayManager.getInstance(ManagerParameters.create(country));
            Map<Integer, Set<LocalDate>> base = byYear(manager);
            cal.writeUTF(country);
            cal.writeByte(0);
            for (int y = PublicHolidayTable.FIRST_YEAR; y <= PublicHolidayTable.LAST_YEAR; y++) {
                writeDays(cal, base.get(y));
            }
            count++;
            for (String sub : new TreeSet<>(manager.getCalendarHierarchy().getChildren().keySet())) {
                Map<Integer, Set<LocalDate>> own = byYear(manager, sub.toLowerCase(Locale.ROOT));
                if (own.equals(base)) {
                    continue; // the reader answers the country's holidays for a subdivision it does not hold
                }
                cal.writeUTF(country + "-" + sub.toLowerCase(Locale.ROOT));
                cal.writeByte(1);
                for (int y = PublicHolidayTable.FIRST_YEAR; y <= PublicHolidayTable.LAST_YEAR; y++) {
                    Set<LocalDate> added = new TreeSet<>(own.get(y));
                    added.removeAll(base.get(y));
                    Set<LocalDate> removed = new TreeSet<>(base.get(y));
                    removed.removeAll(own.get(y));
                    writeDays(cal, added);
                    writeDays(cal, removed);
                }
                count++;
            }
        }
        out.writeInt(count);
        cal.flush();
        calendars.writeTo(out);
        out.flush();
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(deflated, new Deflater(Deflater.BEST_COMPRESSION))) {
            raw.writeTo(z);
        }
        return deflated.toByteArray();
    }

    /**
     * jollyday's answer, per year of the table, asked as {@code WorkingDayCalendar} asked it before the table: one
     * {@code getHolidays(1 January, 31 December, PUBLIC_HOLIDAY, subdivision)} per year, the actual dates of
     * that year (a date of another year never decided a working day of this one).
     */
    static Map<Integer, Set<LocalDate>> byYear(HolidayManager manager, String... subdivision) {
        Map<Integer, Set<LocalDate>> years = new HashMap<>();
        for (int y = PublicHolidayTable.FIRST_YEAR; y <= PublicHolidayTable.LAST_YEAR; y++) {
            Set<LocalDate> days = new TreeSet<>();
            for (Holiday h : manager.getHolidays(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31),
                    HolidayType.PUBLIC_HOLIDAY, subdivision)) {
                if (h.getActualDate().getYear() == y) {
                    days.add(h.getActualDate());
                }
            }
            years.put(y, days);
        }
        return years;
    }

    private static void writeDays(DataOutputStream out, Set<LocalDate> days) throws IOException {
        List<LocalDate> sorted = new ArrayList<>(new TreeSet<>(days));
        out.writeByte(sorted.size());
        for (LocalDate d : sorted) {
            out.writeShort(d.getDayOfYear());
        }
    }
}
