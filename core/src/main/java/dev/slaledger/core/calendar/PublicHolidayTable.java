package dev.slaledger.core.calendar;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.Year;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.InflaterInputStream;

/**
 * The public holidays of every calendar of the jollyday holiday library, read from it when the table was
 * generated (issue 32 item 2: no XML and no JAXB runtime in a Lambda package).
 *
 * <p>The table ({@code public-holidays.bin} beside this class, deflated) holds, for every calendar code the
 * library supports ({@code de}, {@code us}, {@code target}, ...) and every first-level subdivision whose
 * holidays differ from its country's ({@code de-by}), the dates of type {@code PUBLIC_HOLIDAY} of every year
 * from {@link #FIRST_YEAR} to {@link #LAST_YEAR}: a country's as a list of days of the year, a subdivision's as
 * the days added to and removed from its country's. {@code PublicHolidayTableTest} regenerates it from the
 * library on the test class path and fails if one date differs, so a new jollyday version is a regenerated
 * table ({@code PublicHolidayTableGenerator}, core's tests), never a silent drift.
 *
 * <p>Format (big-endian): {@code "SLAH"}, version 1, first and last year (shorts), the number of calendars,
 * then per calendar its code (UTF), its kind (0 country, 1 subdivision) and per year: a country's count and days
 * of the year; a subdivision's count and days added, count and days removed.
 */
public final class PublicHolidayTable {
    /** The first year the table covers. */
    public static final int FIRST_YEAR = 2000;
    /** The last year the table covers. */
    public static final int LAST_YEAR = 2100;
    static final String RESOURCE = "public-holidays.bin";
    private static final int MAGIC = 0x534c4148; // "SLAH"

    private static volatile PublicHolidayTable instance;

    private final ByteBuffer body;
    private final Map<String, Integer> offsets;
    private final Map<String, Boolean> subdivision;
    private final Set<String> countries;

    private PublicHolidayTable(byte[] raw) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
        if (in.readInt() != MAGIC || in.readUnsignedByte() != 1 || in.readUnsignedShort() != FIRST_YEAR
                || in.readUnsignedShort() != LAST_YEAR) {
            throw new IOException(RESOURCE + ": not a version 1 table of " + FIRST_YEAR + "-" + LAST_YEAR);
        }
        int calendars = in.readInt();
        offsets = new HashMap<>(calendars * 2);
        subdivision = new HashMap<>(calendars * 2);
        countries = new HashSet<>();
        int consumedBefore = raw.length - in.available();
        body = ByteBuffer.wrap(raw);
        int pos = consumedBefore;
        for (int c = 0; c < calendars; c++) {
            body.position(pos);
            String code = readUtf(body);
            boolean sub = body.get() == 1;
            offsets.put(code, body.position());
            subdivision.put(code, sub);
            if (!sub) {
                countries.add(code);
            }
            for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
                skipDays(body);
                if (sub) {
                    skipDays(body);
                }
            }
            pos = body.position();
        }
    }

    /** The table, read once per JVM. */
    public static PublicHolidayTable get() {
        PublicHolidayTable t = instance;
        if (t == null) {
            synchronized (PublicHolidayTable.class) {
                t = instance;
                if (t == null) {
                    instance = t = load();
                }
            }
        }
        return t;
    }

    private static PublicHolidayTable load() {
        try (InputStream in = PublicHolidayTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            try (InflaterInputStream z = new InflaterInputStream(in)) {
                return new PublicHolidayTable(z.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the library has a calendar of this code (country part only: {@code de} of {@code de-by}); any case. */
    public boolean supports(String country) {
        return countries.contains(country.toLowerCase(Locale.ROOT));
    }

    /**
     * The public holidays of {@code year} in a country ({@code de}) and, if not empty, one of its subdivisions
     * ({@code by}): as jollyday answers {@code getHolidays(year, PUBLIC_HOLIDAY, subdivision)}, a subdivision it
     * does not know giving the country's holidays.
     *
     * @throws IllegalArgumentException for a country the table does not hold, or a year outside it
     */
    public Set<LocalDate> holidays(String country, String sub, int year) {
        String c = country.toLowerCase(Locale.ROOT);
        Integer at = offsets.get(c);
        if (at == null || Boolean.TRUE.equals(subdivision.get(c))) {
            throw new IllegalArgumentException("no holiday calendar '" + country + "'");
        }
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new IllegalArgumentException("public holidays are tabulated for " + FIRST_YEAR + "-" + LAST_YEAR
                    + " only (PublicHolidayTable), not " + year);
        }
        Set<LocalDate> days = new HashSet<>();
        ByteBuffer b = body.duplicate();
        b.position(at);
        for (int y = FIRST_YEAR; y < year; y++) {
            skipDays(b);
        }
        readDays(b, year, days, true);
        if (sub != null && !sub.isEmpty()) {
            Integer subAt = offsets.get(c + "-" + sub.toLowerCase(Locale.ROOT));
            if (subAt != null) {
                b.position(subAt);
                for (int y = FIRST_YEAR; y < year; y++) {
                    skipDays(b);
                    skipDays(b);
                }
                readDays(b, year, days, true);
                readDays(b, year, days, false);
            }
        }
        return Set.copyOf(days);
    }

    private static void readDays(ByteBuffer b, int year, Set<LocalDate> into, boolean add) {
        int n = b.get() & 0xff;
        for (int i = 0; i < n; i++) {
            LocalDate d = Year.of(year).atDay(b.getShort() & 0xffff);
            if (add) {
                into.add(d);
            } else {
                into.remove(d);
            }
        }
    }

    private static void skipDays(ByteBuffer b) {
        int n = b.get() & 0xff;
        b.position(b.position() + 2 * n);
    }

    private static String readUtf(ByteBuffer b) {
        int len = b.getShort() & 0xffff;
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
