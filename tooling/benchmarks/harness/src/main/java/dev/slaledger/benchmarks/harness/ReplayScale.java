package dev.slaledger.benchmarks.harness;

import dev.slaledger.ingest.RequestRecordParser;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * The inputs and the baseline of the replay's scale figures (docs/benchmarks.md, "Replay at provider
 * scale"); never a test.
 *
 * <ul>
 * <li>{@code generate RECORDS ACCOUNTS YYYY-MM DIR [SEED]}: a provider month of raw D1 request records in
 *     time order ({@code DIR/traffic.jsonl}, about 75 bytes a record; not to be committed) and its D2
 *     accounts ({@code DIR/accounts.json}). Account {@code k} of {@code n} has one outage of
 *     {@code 1 + k % 12} hours on day {@code 1 + k % 28} with 60 % 5xx; elsewhere 1 request in 2,000 is
 *     a 503 and 1 in 5,000 did not reach the server; 1 record in 10 million is malformed (quarantined).</li>
 * <li>{@code parse FILE}: the baseline: the file read a line at a time and each line through the ingest
 *     parser ({@link RequestRecordParser}), nothing stored: what one thread can do at best.</li>
 * </ul>
 */
public final class ReplayScale {
    private ReplayScale() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 4 && args[0].equals("generate")) {
            generate(Long.parseLong(args[1]), Integer.parseInt(args[2]), YearMonth.parse(args[3]), Path.of(args[4]),
                    args.length > 5 ? Long.parseLong(args[5]) : 20261001L);
        } else if (args.length == 2 && args[0].equals("parse")) {
            parse(Path.of(args[1]));
        } else {
            System.err.println("usage: ReplayScale generate RECORDS ACCOUNTS YYYY-MM DIR [SEED] | parse FILE");
            System.exit(2);
        }
    }

    static String accountId(int k) {
        return String.format("acct-%05d", k);
    }

    static void generate(long records, int accounts, YearMonth month, Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        long start = month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        long seconds = month.lengthOfMonth() * 86_400L;
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] ids = new byte[accounts][];
        long[] outageFrom = new long[accounts];
        long[] outageTo = new long[accounts];
        for (int k = 0; k < accounts; k++) {
            ids[k] = ("{\"accountId\":\"" + accountId(k) + "\",\"timestamp\":\"").getBytes(StandardCharsets.US_ASCII);
            outageFrom[k] = start + (k % 28) * 86_400L + (k % 24) * 3_600L;
            outageTo[k] = outageFrom[k] + (1 + k % 12) * 3_600L;
        }
        long t0 = System.nanoTime();
        long lastSecond = -1;
        byte[] stamp = null;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("traffic.jsonl")),
                1 << 20)) {
            for (long i = 0; i < records; i++) {
                long second = start + (long) ((double) i * seconds / records);
                if (second != lastSecond) {
                    lastSecond = second;
                    stamp = (Instant.ofEpochSecond(second) + "\",\"status\":").getBytes(StandardCharsets.US_ASCII);
                }
                int k = (int) (i % accounts);
                if (i % 10_000_000 == 9_999_999) {
                    out.write("{\"accountId\":\"".getBytes(StandardCharsets.US_ASCII));
                    out.write('\n');
                    continue;
                }
                boolean outage = second >= outageFrom[k] && second < outageTo[k];
                int r = random.nextInt(10_000);
                out.write(ids[k]);
                out.write(stamp);
                if (!outage && r < 2) {
                    out.write("503,\"reached\":false}\n".getBytes(StandardCharsets.US_ASCII));
                } else if (outage ? r < 6_000 : r < 7) {
                    out.write("503}\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write("200}\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        StringBuilder json = new StringBuilder("[\n");
        for (int k = 0; k < accounts; k++) {
            json.append("  {\"accountId\":\"").append(accountId(k)).append("\",\"email\":\"sla@")
                    .append(accountId(k)).append(".example\",\"terms\":[{\"start\":\"").append(month.atDay(1).minusMonths(6))
                    .append("\",\"end\":\"").append(month.atEndOfMonth().plusMonths(6)).append("\"}],\"fees\":{\"")
                    .append(month).append("\":{\"amount\":\"1000.00\",\"voucherPaid\":\"0\",\"currency\":\"EUR\"}}}")
                    .append(k + 1 < accounts ? ",\n" : "\n");
        }
        Files.writeString(dir.resolve("accounts.json"), json.append("]\n"));
        System.out.printf("%,d records of %,d accounts for %s: %s (%,d bytes) and %s in %.1f s%n", records, accounts,
                month, dir.resolve("traffic.jsonl"), Files.size(dir.resolve("traffic.jsonl")),
                dir.resolve("accounts.json"), (System.nanoTime() - t0) / 1e9);
    }

    static void parse(Path file) throws IOException {
        RequestRecordParser parser = new RequestRecordParser();
        Instant now = Instant.parse("2100-01-01T00:00:00Z");
        long t0 = System.nanoTime();
        long lines = 0;
        long accepted = 0;
        byte[] buf = new byte[1 << 20];
        int filled = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.read(buf, filled, buf.length - filled);
                if (n > 0) {
                    filled += n;
                }
                int start = 0;
                for (int i = 0; i < filled; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                        if (parser.parse(buf, start, i - start, now, Long.MIN_VALUE)
                                instanceof RequestRecordParser.Accepted) {
                            accepted++;
                        }
                        start = i + 1;
                    }
                }
                System.arraycopy(buf, start, buf, 0, filled - start);
                filled -= start;
                if (n < 0) {
                    break;
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("parse only (RequestRecordParser, one thread): %,d lines (%,d accepted) in %.1f s: "
                + "%,.0f records/s%n", lines, accepted, s, lines / s);
    }
}
