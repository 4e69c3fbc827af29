package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    private static long parse(String s, int[] nanos) {
        char[] c = ("xx" + s + "yy").toCharArray();
        return IsoInstants.parse(c, 2, s.length(), nanos);
    }

    @Property
    void fastPathAgreesWithTheJdk(@ForAll @LongRange(min = -2_000_000_000L, max = 32_000_000_000L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = 0, max = 9) int digits) {
        int kept = nanos - nanos % (int) Math.pow(10, 9 - digits);
        Instant instant = Instant.ofEpochSecond(seconds, kept);
        String text = DateTimeFormatter.ISO_INSTANT.format(instant);
        int[] out = new int[1];
        assertThat(parse(text, out)).isEqualTo(instant.getEpochSecond());
        assertThat(out[0]).isEqualTo(instant.getNano());
    }

    @Property
    @net.jqwik.api.Label("issue 32.3 the byte fast path reads every ...Z instant, and reads exactly as the char path")
    void asciiFastPathAgreesWithTheCharPath(@ForAll @LongRange(min = -62_000_000_000L, max = 253_402_300_799L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = 0, max = 40) int at,
            @ForAll @net.jqwik.api.constraints.Chars({'0', '9', '-', ':', 'T', 'Z', '.', '+', ' ', 'x', '/'}) char c,
            @ForAll boolean mutate) {
        String text = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, nanos));
        if (mutate) {
            text = at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text + c;
        }
        byte[] b = ("[" + text + "]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int[] fast = new int[1];
        int[] general = new int[1];
        long s = IsoInstants.parseFastAscii(b, 1, text.length(), fast);
        if (!mutate && !text.startsWith("-") && !text.startsWith("+")) {
            assertThat(s).isEqualTo(seconds);
        }
        if (s != IsoInstants.INVALID) {
            assertThat(parse(text, general)).isEqualTo(s);
            assertThat(general[0]).isEqualTo(fast[0]);
        }
    }

    @Test
    @DisplayName("D1 timestamps with an offset are instants too")
    void offsets() {
        int[] out = new int[1];
        assertThat(parse("2026-10-03T14:06:00.250+02:00", out)).isEqualTo(Instant.parse("2026-10-03T12:06:00Z").getEpochSecond());
        assertThat(out[0]).isEqualTo(250_000_000);
    }

    @Test
    void invalid() {
        int[] out = new int[1];
        for (String s : new String[] {"", "2026-10-03", "2026-13-03T12:00:00Z", "2026-02-29T12:00:00Z",
                "2026-10-03T24:00:00Z", "2026-10-03T12:00:00.1234567890Z",
                "2026-10-03T12:00:00", "+2026-10-03T12:00:00Z", "2026-1O-03T12:00:00Z"}) {
            assertThat(parse(s, out)).as(s).isEqualTo(IsoInstants.INVALID);
        }
        assertThat(parse("2028-02-29T12:00:00Z", out)).isEqualTo(Instant.parse("2028-02-29T12:00:00Z").getEpochSecond());
    }
}
