package dev.slaledger.local;

import dev.slaledger.ingest.AccessLogMapper;
import dev.slaledger.ingest.RequestRecordParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The replay's one traffic-reading step (D1): the file is read as a stream, a line at a time (any
 * size: only one Kinesis-sized batch of lines is held), each line's account read by the ingest
 * parser ({@link RequestRecordParser}, the one the ingest handler runs), and handed on in batches of
 * at most {@code batchSize} records with their line numbers.
 *
 * <p>Here it only decides where a line goes: a line of an account not chosen with {@code --account}
 * is skipped (counted); every other line goes to the ingest handler as it is, which parses it again
 * and quarantines what D1 refuses (a line the pre-parse rejects has no account to filter on, so it
 * always goes). Lines of accounts missing from the accounts file are counted by account for the
 * warning, and go on too (production would store them) unless {@code --account} leaves them out.
 */
final class TrafficFile {
    /** Records handed on together: the lines' bytes (a trailing CR removed) and their 1-based numbers. */
    record Batch(List<byte[]> records, long[] lines) {
        int size() {
            return records.size();
        }

        String label(int i) {
            return "line " + lines[i];
        }
    }

    /** What reading the file found. */
    record Stats(long lines, long blank, long records, long skipped, Map<String, Long> unknownAccounts) {
        long unknownRecords() {
            return unknownAccounts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final int BUFFER = 1 << 20;

    private final Path file;
    private final Set<String> only;
    private final Set<String> known;
    private final Instant now;
    private final TrafficFormat format;
    private final RequestRecordParser parser = new RequestRecordParser();
    private final AccessLogMapper accessLogs = new AccessLogMapper(AccessLogMapper.AccountSource.CLAIM);

    /**
     * @param only    the accounts to keep ({@code --account}); empty: every account
     * @param known   the accounts of the accounts file
     * @param now     the clock the pre-parse reads (it decides nothing: the handler's parse does)
     */
    TrafficFile(Path file, Set<String> only, Set<String> known, Instant now) {
        this(file, only, known, now, TrafficFormat.D1);
    }

    /** The same, each line made a stream record by {@code format} ({@code --traffic-format}, issue 21). */
    TrafficFile(Path file, Set<String> only, Set<String> known, Instant now, TrafficFormat format) {
        this.format = format;
        this.file = file;
        this.only = only;
        this.known = known;
        this.now = now;
    }

    long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Reads the whole file, handing each full batch to {@code sink} (the last one may be smaller);
     * {@code bytesRead} is told how far the reading has got.
     */
    Stats stream(int batchSize, Consumer<Batch> sink, LongConsumer bytesRead) {
        long lines = 0;
        long blank = 0;
        long records = 0;
        long skipped = 0;
        Map<String, Long> unknown = new TreeMap<>();
        List<byte[]> batch = new ArrayList<>(batchSize);
        long[] numbers = new long[batchSize];
        byte[] buf = new byte[BUFFER];
        int filled = 0;
        long consumed = 0;
        try (InputStream in = Files.newInputStream(file)) {
            boolean eof = false;
            while (!eof || filled > 0) {
                if (!eof && filled < buf.length) {
                    int n = in.read(buf, filled, buf.length - filled);
                    if (n < 0) {
                        eof = true;
                    } else {
                        filled += n;
                    }
                }
                int start = 0;
                while (true) {
                    int nl = indexOf(buf, start, filled);
                    if (nl < 0 && !(eof && start < filled)) {
                        break;
                    }
                    int end = nl < 0 ? filled : nl;
                    int next = nl < 0 ? filled : nl + 1;
                    if (end > start && buf[end - 1] == '\r') {
                        end--;
                    }
                    lines++;
                    if (isBlank(buf, start, end)) {
                        blank++;
                    } else {
                        String account = account(buf, start, end - start);
                        if (account != null && !known.contains(account)) {
                            unknown.merge(account, 1L, Long::sum);
                        }
                        if (account != null && !only.isEmpty() && !only.contains(account)) {
                            skipped++;
                        } else {
                            records++;
                            numbers[batch.size()] = lines;
                            batch.add(format.record(Arrays.copyOfRange(buf, start, end), (int) lines,
                                    String.valueOf(file.getFileName())));
                            if (batch.size() == batchSize) {
                                sink.accept(new Batch(batch, numbers));
                                batch = new ArrayList<>(batchSize);
                                numbers = new long[batchSize];
                            }
                        }
                    }
                    start = next;
                }
                consumed += start;
                bytesRead.accept(consumed);
                if (start == 0 && filled == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                } else {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                }
                if (eof && filled == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        if (!batch.isEmpty()) {
            sink.accept(new Batch(batch, Arrays.copyOf(numbers, batch.size())));
        }
        return new Stats(lines, blank, records, skipped, unknown);
    }

    /** The line's account, or null when the ingest parser refuses the line (the handler will quarantine it). */
    private String account(byte[] data, int off, int len) {
        if (format == TrafficFormat.APIGW_ACCESS_LOG) {
            // the access-log line read by ingest's own mapping into the D1 record the handler will parse
            if (!(accessLogs.map(new String(data, off, len, StandardCharsets.UTF_8))
                    instanceof AccessLogMapper.Mapped m)) {
                return null;
            }
            data = accessLogs.buffer();
            off = 0;
            len = m.length();
        }
        return parser.parse(data, off, len, now, Long.MIN_VALUE) instanceof RequestRecordParser.Accepted a
                ? a.accountId() : null;
    }

    private static int indexOf(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0b) {
                return false;
            }
        }
        return true;
    }
}
