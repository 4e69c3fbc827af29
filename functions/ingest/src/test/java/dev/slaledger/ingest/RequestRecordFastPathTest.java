package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.QuarantineReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 32 item 3: the byte-level fast path of {@link RequestRecordParser} decides every record it
 * takes exactly as the Jackson path does (the accepted record, or the quarantine reason and detail),
 * and leaves every other record to the Jackson path.
 */
class RequestRecordFastPathTest {
    private static final Instant NOW = Instant.parse("2026-10-03T12:10:00Z");
    private static final long OLDEST = NOW.getEpochSecond() - Duration.ofDays(190).toSeconds() + 1;

    private final RequestRecordParser fast = new RequestRecordParser();
    private final RequestRecordParser jackson = new RequestRecordParser();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The record inside a larger array, so offsets and the bytes around it count. */
    private static byte[] framed(byte[] record) {
        byte[] b = new byte[record.length + 6];
        b[0] = '{';
        b[1] = '"';
        b[2] = 'x';
        System.arraycopy(record, 0, b, 3, record.length);
        b[b.length - 3] = '}';
        b[b.length - 2] = ' ';
        b[b.length - 1] = '"';
        return b;
    }

    private RequestRecordParser.Result viaParse(byte[] record) {
        byte[] b = framed(record);
        return fast.parse(b, 3, record.length, NOW, OLDEST);
    }

    private RequestRecordParser.Result viaFastPath(byte[] record) {
        byte[] b = framed(record);
        return fast.parseCanonical(b, 3, record.length, NOW, OLDEST);
    }

    private RequestRecordParser.Result viaJackson(byte[] record) {
        byte[] b = framed(record);
        return jackson.parseJackson(b, 3, record.length, NOW, OLDEST);
    }

    @Property(tries = 20_000)
    @Label("D1 issue 32.3 the fast path and the Jackson path decide every record alike (valid and hostile)")
    void fastPathAgreesWithJackson(@ForAll("records") byte[] record) {
        RequestRecordParser.Result expected = viaJackson(record);
        RequestRecordParser.Result taken = viaFastPath(record);
        String text = new String(record, StandardCharsets.UTF_8);
        Statistics.label("fast path").collect(taken != null);
        Statistics.label("outcome").collect(expected instanceof RequestRecordParser.Rejected r ? r.reason().name() : "ACCEPTED");
        if (taken != null) {
            assertThat(taken).as(text).isEqualTo(expected);
        }
        assertThat(viaParse(record)).as(text).isEqualTo(expected);
        Statistics.label("fast path").coverage(c -> {
            c.check(true).percentage(p -> p > 20);
            c.check(false).percentage(p -> p > 20);
        });
    }

    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.randomValue(RequestRecordFastPathTest::record);
    }

    // ---- generator: a D1 record of either shape, sometimes mutated ----

    private static final String[] NAMES = {"accountId", "timestamp", "status", "reached", "exclusion", "intervalStart",
        "valid", "errors", "unreachedErrors", "excludedErrors", "excludedMaintenance", "excludedCustomerCompromised",
        "excludedContentBan"};

    static byte[] record(Random r) {
        // a tame record: D1 values of the usual kinds, no mutation (most of them canonical)
        boolean tame = r.nextInt(5) < 2;
        List<String> fields = new ArrayList<>();
        int shape = r.nextInt(10);
        for (int k = 0; k < NAMES.length; k++) {
            boolean present;
            if (shape < 5) { // request record
                present = k == 0 || k == 1 ? r.nextInt(50) != 0 : k <= 4 ? r.nextInt(3) != 0 : r.nextInt(60) == 0;
            } else if (shape < 9) { // pre-aggregated record
                present = k == 0 || k == 5 || k == 6 || k == 7 ? r.nextInt(50) != 0 : k > 7 ? r.nextInt(3) == 0
                        : r.nextInt(60) == 0;
            } else {
                present = r.nextBoolean();
            }
            if (present) {
                fields.add("\"" + NAMES[k] + "\":" + (tame ? tameValue(r, k) : value(r, k)));
            }
        }
        if (tame) {
            return utf8("{" + String.join(",", fields) + "}");
        }
        int mutation = r.nextInt(24);
        if (mutation == 0 && fields.size() > 1) {
            Collections.shuffle(fields, r);
        } else if (mutation == 1 && !fields.isEmpty()) {
            String twin = fields.get(r.nextInt(fields.size()));
            fields.add(r.nextInt(fields.size() + 1), r.nextBoolean() ? twin : twin.substring(0, twin.indexOf("\":") + 2) + value(r, field(twin)));
        } else if (mutation == 2) {
            String unknown = r.nextBoolean() ? "\"region\":\"eu\"" : "\"trace\":{\"id\":[1,2,{\"accountId\":null}]}";
            fields.add(r.nextInt(fields.size() + 1), unknown);
        } else if (mutation == 3 && !fields.isEmpty()) {
            // a name of another case, or with an escape, or a prefix of a D1 name
            int i = r.nextInt(fields.size());
            String f = fields.get(i);
            String renamed = switch (r.nextInt(3)) {
                case 0 -> f.replaceFirst("\"([a-z])", "\"\\\\u00" + Integer.toHexString(f.charAt(1)));
                case 1 -> "\"" + Character.toUpperCase(f.charAt(1)) + f.substring(2);
                default -> f.replaceFirst("\":", "x\":");
            };
            fields.set(i, renamed);
        }
        String json = "{" + String.join(",", fields) + "}";
        byte[] b = utf8(json);
        return switch (r.nextInt(mutation < 4 ? 14 : 10)) {
            case 0 -> java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncated
            case 1 -> insert(b, r.nextInt(b.length + 1), utf8(new String[] {" ", "\n", "\t", "\r", "  "}[r.nextInt(5)]));
            case 2 -> insert(b, r.nextInt(b.length + 1), new byte[] {(byte) r.nextInt(256)});
            case 3 -> {
                byte[] c = b.clone();
                c[r.nextInt(c.length)] = (byte) r.nextInt(256);
                yield c;
            }
            case 4 -> insert(b, b.length, utf8(new String[] {" ", "\n", "{}", "x", ",", "}", "\u00e9"}[r.nextInt(7)]));
            case 5 -> insert(b, 0, utf8(new String[] {" ", "\ufeff", "[", "\u0000"}[r.nextInt(4)]));
            default -> b;
        };
    }

    private static int field(String member) {
        String name = member.substring(1, member.indexOf('"', 1));
        return java.util.Arrays.asList(NAMES).indexOf(name);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private static String value(Random r, int field) {
        return switch (field) {
            case 0 -> accountId(r);
            case 1, 5 -> instant(r, field == 5);
            case 2 -> status(r);
            case 3 -> pick(r, "true", "true", "false", "false", "null", "1", "\"true\"", "True", "tru", "truee");
            case 4 -> pick(r, "null", "null", "\"maintenance\"", "\"customer-compromised\"", "\"content-ban\"",
                    "\"Maintenance\"", "\"maintenance \"", "\"m\\u0061intenance\"", "true", "\"\"", "nul", "[]");
            default -> count(r);
        };
    }

    private static String tameValue(Random r, int field) {
        return switch (field) {
            case 0 -> r.nextInt(4) == 0 ? jsonString(printable(r, r.nextInt(20)), false)
                    : "\"account-" + (1000 + r.nextInt(100)) + "\"";
            case 1 -> "\"" + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(
                    NOW.getEpochSecond() - r.nextInt(3600) + 300, r.nextInt(1000) * 1_000_000)) + "\"";
            case 5 -> "\"" + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(
                    NOW.getEpochSecond() - 300L * r.nextInt(12) + (r.nextInt(10) == 0 ? 1 : 0))) + "\"";
            case 2 -> Integer.toString(r.nextInt(100, 600));
            case 3 -> r.nextBoolean() ? "true" : "false";
            case 4 -> pick(r, "null", "null", "\"maintenance\"", "\"customer-compromised\"", "\"content-ban\"");
            default -> Long.toString(r.nextInt(4) == 0 ? r.nextLong(0, 2_000_000_000L) : r.nextInt(100));
        };
    }

    private static String printable(Random r, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (0x20 + r.nextInt(0x5f)));
        }
        return s.toString();
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String accountId(Random r) {
        int kind = r.nextInt(20);
        if (kind < 12) {
            return "\"account-" + (1000 + r.nextInt(100)) + "\""; // the usual: few accounts, many records
        }
        if (kind == 12) {
            return pick(r, "null", "42", "{}", "[\"a\"]", "true", "\"\"", "\"a\\u0000b\"", "\"ac\\uD800me\"",
                    "\"a\\\"b\"", "\"a\\\\b\"", "\"\\u0061cme\"", "\"a\\/b\"", "\"acme\u007f\"", "\"acme\u0085\"",
                    "\"caf\u00e9\"", "\"\ud83d\ude00\"", "\"a\tb\"");
        }
        StringBuilder s = new StringBuilder();
        int length = kind == 13 ? 250 + r.nextInt(12) : r.nextInt(kind == 14 ? 40 : 12);
        for (int i = 0; i < length; i++) {
            int c = switch (kind) {
                case 15 -> r.nextInt(0x80); // any ASCII, controls included
                case 16 -> r.nextInt(0x10000); // any UTF-16 unit, lone surrogates included
                default -> 0x20 + r.nextInt(0x5f); // printable ASCII
            };
            s.append((char) c);
        }
        return jsonString(s.toString(), r.nextInt(8) == 0);
    }

    /** {@code s} as a JSON string: escapes where JSON needs them, and sometimes where it does not. */
    private static String jsonString(String s, boolean escapeMore) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (escapeMore && i % 3 == 0) || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String instant(Random r, boolean intervalStart) {
        int kind = r.nextInt(12);
        long seconds = switch (kind) {
            case 0 -> NOW.getEpochSecond() - r.nextInt(400 * 86_400); // some beyond the retention
            case 1 -> NOW.getEpochSecond() + 15 * 60 - 2 + r.nextInt(5); // the 15-minute edge
            case 2 -> r.nextLong(-62_000_000_000L, 253_402_300_799L); // years 0 to 9999
            default -> NOW.getEpochSecond() - r.nextInt(3600);
        };
        if (intervalStart && r.nextBoolean()) {
            seconds -= Math.floorMod(seconds, 300);
        }
        int digits = r.nextInt(4) == 0 ? r.nextInt(10) : r.nextBoolean() ? 3 : 0;
        int nanos = r.nextInt(1_000_000_000);
        nanos -= nanos % (int) Math.pow(10, 9 - digits);
        if (digits == 0 && r.nextInt(4) == 0) {
            nanos = 0;
        }
        String text = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, nanos));
        if (r.nextInt(8) == 0) {
            text = switch (r.nextInt(12)) {
                case 0 -> text.replace("Z", "+00:00");
                case 1 -> text.replace("Z", "+02:00");
                case 2 -> text.replace("Z", "z");
                case 3 -> text.replace('T', 't');
                case 4 -> text.replace('T', ' ');
                case 5 -> "2026-10-03T23:59:60Z"; // a leap second: the JDK's parser decides
                case 6 -> "2026-02-29T12:00:00Z";
                case 7 -> "2026-10-03T12:01:07.1234567890Z";
                case 8 -> "+" + text;
                case 9 -> text.replace("Z", "");
                case 10 -> "2026-10-03T12:01:07.Z";
                default -> "2026-10-03T12:01:07,5Z";
            };
        }
        if (r.nextInt(20) == 0) {
            return pick(r, "null", "1790942460", "\"\"", "{}", "\"2026-10-03T12:01:\\u00307Z\"");
        }
        return "\"" + text + "\"";
    }

    private static String status(Random r) {
        int kind = r.nextInt(10);
        if (kind < 6) {
            int[] usual = {200, 200, 200, 404, 503, 500, 429};
            return Integer.toString(usual[r.nextInt(usual.length)] + (kind == 5 ? r.nextInt(100) : 0));
        }
        if (kind < 8) {
            return Integer.toString(r.nextInt(-10, 1100));
        }
        return pick(r, "null", "0200", "200.0", "2e2", "-0", "\"200\"", "99999999999999999999", "2147483648",
                "true", "-200", "200.", "1E2", "[200]");
    }

    private static String count(Random r) {
        int kind = r.nextInt(10);
        if (kind < 5) {
            return Long.toString(r.nextInt(2000));
        }
        if (kind == 5) {
            return Long.toString(1_000_000_000L - 2 + r.nextInt(5));
        }
        if (kind == 6) {
            return Long.toString(r.nextLong(0, Long.MAX_VALUE));
        }
        return pick(r, "0", "-1", "-0", "00", "01", "1.5", "1e3", "1E3", "10.0", "\"3\"", "null", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999", "999999999999999999",
                "1000000000000000000", "true", "{}", "-");
    }

    // ---- examples ----

    private static final String CANONICAL =
            "{\"accountId\":\"account-1042\",\"timestamp\":\"2026-10-03T12:04:31.123Z\",\"status\":200,\"reached\":true,"
            + "\"exclusion\":null}";

    @Test
    @DisplayName("D1 issue 32.3 the canonical request record takes the fast path and is accepted as Jackson accepts it")
    void canonicalRequestTakesTheFastPath() {
        byte[] b = utf8(CANONICAL);
        RequestRecordParser.Result expected = new RequestRecordParser.Accepted("account-1042",
                Instant.parse("2026-10-03T12:00:00Z").getEpochSecond(), new IntervalCounts(1, 0, 0, 0));
        assertThat(viaFastPath(b)).isEqualTo(expected);
        assertThat(viaJackson(b)).isEqualTo(expected);
    }

    @Test
    @DisplayName("D1 issue 32.3 the access-log mapper's record and the pre-aggregated shape take the fast path too")
    void otherCanonicalShapes() {
        byte[] accessLog = utf8("{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:01:07.123Z\",\"status\":503,\"reached\":true}");
        assertThat(viaFastPath(accessLog)).isEqualTo(new RequestRecordParser.Accepted("acme",
                Instant.parse("2026-10-03T12:00:00Z").getEpochSecond(), new IntervalCounts(1, 1, 0, 0)));
        byte[] aggregated = utf8("{\"accountId\":\"acme\",\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":1200,"
                + "\"errors\":3,\"unreachedErrors\":2,\"excludedErrors\":1,\"excludedMaintenance\":1}");
        assertThat(viaFastPath(aggregated)).isEqualTo(new RequestRecordParser.Accepted("acme",
                Instant.parse("2026-10-03T12:00:00Z").getEpochSecond(), new IntervalCounts(1200, 3, 2, 1, 1, 0, 0)));
        byte[] tooMany = utf8("{\"accountId\":\"acme\",\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":1000000001,\"errors\":0}");
        assertThat(viaFastPath(tooMany)).isEqualTo(new RequestRecordParser.Rejected(QuarantineReason.COUNT_OUT_OF_RANGE,
                "valid above 1000000000 (D1 per-record maximum)"));
        assertThat(viaJackson(tooMany)).isEqualTo(viaFastPath(tooMany));
    }

    @ParameterizedTest(name = "D1 issue 32.3 not canonical, left to Jackson: {0}")
    @ValueSource(strings = {
        "{\"accountId\":\"acc\\u006fnt\",\"timestamp\":\"2026-10-03T12:04:31.123Z\",\"status\":200}", // an escape
        "{\"timestamp\":\"2026-10-03T12:04:31.123Z\",\"accountId\":\"acme\",\"status\":200}", // another order
        "{\"accountId\":\"acme\",\"status\":200,\"status\":500,\"timestamp\":\"2026-10-03T12:01:00Z\"}", // a duplicate
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200,\"status\":200}", // a duplicate
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"region\":\"eu\",\"status\":200}", // unknown
        "{\"accountId\": \"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200}", // whitespace
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200}\n", // whitespace after
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200.0}", // a number of another shape
        "{\"accountId\":\"acme\",\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":99999999999999999999,\"errors\":0}",
        "{\"accountId\":\"acme\",\"intervalStart\":\"2026-10-03T12:00:00Z\",\"valid\":-1,\"errors\":0}",
        "{\"accountId\":\"caf\u00e9\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200}", // non-ASCII
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T14:04:31+02:00\",\"status\":200}", // an offset
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T23:59:60Z\",\"status\":200}", // a leap second
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200", // truncated
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200}{}", // data after
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":null}",
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":0200}",
        "{\"accountId\":\"acme\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":600}"})
    void deviationsFallBack(String json) {
        byte[] b = utf8(json);
        assertThat(viaFastPath(b)).isNull();
        assertThat(viaParse(b)).isEqualTo(viaJackson(b));
    }

    @Test
    @DisplayName("D1 S7.5 issue 32.3 an account id over 256 characters is left to Jackson and rejected as before")
    void longAccountIdFallsBack() {
        byte[] b = utf8("{\"accountId\":\"" + "a".repeat(257) + "\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200}");
        assertThat(viaFastPath(b)).isNull();
        assertThat(viaParse(b)).isEqualTo(new RequestRecordParser.Rejected(QuarantineReason.INVALID_ACCOUNT_ID,
                "accountId longer than 256 characters"));
        byte[] at = utf8("{\"accountId\":\"" + "a".repeat(256) + "\",\"timestamp\":\"2026-10-03T12:04:31Z\",\"status\":200}");
        assertThat(viaFastPath(at)).isInstanceOf(RequestRecordParser.Accepted.class).isEqualTo(viaJackson(at));
    }

    @Test
    @DisplayName("D1 issue 32.3 hostile input: a megabyte that starts like a canonical record is given up early and decided by Jackson")
    void hostileLengthsStayLinear() {
        String prefix = "{\"accountId\":\"acme\",\"timestamp\":\"";
        byte[] b = utf8(prefix + "9".repeat(1 << 20) + "\"}");
        assertThat(viaFastPath(b)).isNull();
        assertThat(viaParse(b)).isEqualTo(new RequestRecordParser.Rejected(QuarantineReason.UNPARSEABLE_TIMESTAMP, "timestamp"));
        StringBuilder many = new StringBuilder("{\"accountId\":\"acme\"");
        while (many.length() < 1 << 20) {
            many.append(",\"valid\":1");
        }
        byte[] dup = utf8(many.append('}').toString());
        assertThat(viaFastPath(dup)).isNull();
        assertThat(viaParse(dup)).isEqualTo(new RequestRecordParser.Rejected(QuarantineReason.NOT_JSON, "a field given twice"));
    }
}
