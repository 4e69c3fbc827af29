package dev.slaledger.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Parses ISO-8601 instants. The shape every producer sends ({@code 2026-10-03T12:01:07.123Z})
 * takes a hand-written path that allocates nothing; anything else (offsets, leap seconds)
 * falls back to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, so both accept exactly the same
 * instants.
 */
final class IsoInstants {
    /** Returned for text that is not an instant. */
    static final long INVALID = Long.MIN_VALUE;

    private IsoInstants() {
    }

    /**
     * @return the instant as epoch seconds, with nanos in {@code nanosOut[0]}, or {@link #INVALID}
     */
    static long parse(char[] c, int off, int len, int[] nanosOut) {
        long fast = parseFast(c, off, len, nanosOut);
        if (fast != INVALID) {
            return fast;
        }
        try {
            Instant i = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(new String(c, off, len), Instant::from);
            nanosOut[0] = i.getNano();
            return i.getEpochSecond();
        } catch (DateTimeException e) {
            return INVALID;
        }
    }

    /** The {@code ...Z} shape read from chars: {@link #parseFastAscii} of the same text when it is ASCII. */
    private static long parseFast(char[] c, int o, int len, int[] nanosOut) {
        if (len < 20 || len > 30) {
            return INVALID;
        }
        byte[] ascii = new byte[len];
        for (int i = 0; i < len; i++) {
            char ch = c[o + i];
            if (ch > 0x7F) {
                return INVALID; // not this shape (a narrowing cast could turn it into a separator)
            }
            ascii[i] = (byte) ch;
        }
        return parseFastAscii(ascii, 0, len, nanosOut);
    }

    /**
     * The {@code ...Z} shape of {@link #parse(char[], int, int, int[])}'s own fast path, read from
     * ASCII bytes (the D1 fast path, {@link RequestRecordParser}): the same checks on the same
     * characters, so for ASCII text both agree. {@link #INVALID} means only "not this shape": the
     * caller then reads the text by the general path, which may still accept it.
     */
    static long parseFastAscii(byte[] c, int o, int len, int[] nanosOut) {
        // yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z
        if (len < 20 || len > 30 || c[o + len - 1] != 'Z' || c[o + 4] != '-' || c[o + 7] != '-' || c[o + 10] != 'T'
                || c[o + 13] != ':' || c[o + 16] != ':') {
            return INVALID;
        }
        int year = digits(c, o, 4);
        int month = digits(c, o + 5, 2);
        int day = digits(c, o + 8, 2);
        int hour = digits(c, o + 11, 2);
        int minute = digits(c, o + 14, 2);
        int second = digits(c, o + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return INVALID;
        }
        int nanos = 0;
        int fracLen = len - 20;
        if (fracLen > 0) {
            if (c[o + 19] != '.' || fracLen < 2) {
                return INVALID;
            }
            int f = digits(c, o + 20, fracLen - 1);
            if (f < 0) {
                return INVALID;
            }
            nanos = f;
            for (int i = fracLen - 1; i < 9; i++) {
                nanos *= 10;
            }
        }
        nanosOut[0] = nanos;
        return epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    }

    private static int digits(byte[] c, int o, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = c[o + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
