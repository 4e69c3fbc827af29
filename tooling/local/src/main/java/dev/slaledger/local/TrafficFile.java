package dev.slaledger.local;

import dev.slaledger.ingest.AccessLogMapper;
import dev.slaledger.ingest.RequestRecordParser;
import java.io.IOException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

    /**
     * What reading the file found (issue 28 item 2, the coverage of the month): the lines, the blank
     * ones, the records handed on and those skipped ({@code --account}); of the records whose account
     * and interval the ingest parser reads, how many fall in the month and outside it, the first and
     * last interval seen, the accounts of the accounts file with a record in the month; the records
     * the parser cannot read (the handler quarantines them); the records of accounts not in the file.
     */
    record Stats(long lines, long blank, long records, long skipped, Map<String, Long> unknownAccounts,
            long inMonth, long outsideMonth, long unreadable, long accountsInMonth, long firstInterval,
            long lastInterval, boolean gzip) {
        Stats(long lines, long blank, long records, long skipped, Map<String, Long> unknownAccounts) {
            this(lines, blank, records, skipped, unknownAccounts, 0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, false);
        }

        long unknownRecords() {
            return unknownAccounts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The month the replay is for, as epoch seconds {@code [from, to)} in the terms' zone. */
    record Month(long from, long to) {
        static final Month NONE = new Month(Long.MIN_VALUE, Long.MAX_VALUE);

        boolean contains(long intervalStart) {
            return intervalStart >= from && intervalStart < to;
        }
    }

    private static final int BUFFER = 1 << 20;

    private final Path file;
    private final Set<String> only;
    private final Set<String> known;
    private final Instant now;
    private final TrafficFormat format;
    private final Month month;
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
        this(file, only, known, now, format, Month.NONE);
    }

    /** The same, counting which records fall in {@code month} ({@link Stats#inMonth}). */
    TrafficFile(Path file, Set<String> only, Set<String> known, Instant now, TrafficFormat format, Month month) {
        this.month = month;
        this.format = format;
        this.file = file;
        this.only = only;
        this.known = known;
        this.now = now;
    }

    /** The size of the file on disk (compressed, for a gzip file): the bytes a progress bar counts. */
    long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
    }

    /**
     * Reads the whole file, handing each full batch to {@code sink} (the last one may be smaller);
     * {@code bytesRead} is told how far the reading has got.
     */
    Stats stream(int batchSize, Consumer<Batch> sink, LongConsumer bytesRead) {
        Streamed streamed = new Streamed(batchSize, sink);
        byte[] buf = new byte[BUFFER];
        int filled = 0;
        boolean gzip;
        try (InputFiles.Opened in = InputFiles.open(file)) {
            gzip = in.gzip();
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
                    streamed.line(buf, start, end);
                    start = next;
                }
                bytesRead.accept(in.bytesRead());
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
            throw InputFiles.cannotRead(file, e);
        }
        return streamed.finish(gzip);
    }

    /** Batches a reader thread may have ready before the consumer takes them ({@link #streamAhead}). */
    private static final int AHEAD = 16;

    /** What the reader thread hands the consumer, in the file's order. */
    private sealed interface Handed {
    }

    private record Ready(Batch batch) implements Handed {
    }

    private record Position(long bytes) implements Handed {
    }

    private record Done(Stats stats) implements Handed {
    }

    private record Failed(Throwable error) implements Handed {
    }

    /**
     * {@link #stream}, with the reading (decompressing, splitting lines, the pre-parse, copying each
     * record) on a thread of its own, at most {@value #AHEAD} batches ahead, while the calling thread
     * runs {@code sink} and {@code bytesRead}: the same batches, in the same order, handed over in the
     * calling thread, so what the sink does (the ingest handler) is unchanged; only the reading overlaps
     * it (a second core). An error of the reading is thrown here, as {@link #stream} throws it; an error
     * of the sink stops the reader.
     */
    Stats streamAhead(int batchSize, Consumer<Batch> sink, LongConsumer bytesRead) {
        BlockingQueue<Handed> queue = new ArrayBlockingQueue<>(AHEAD);
        Thread reader = Thread.ofPlatform().daemon().name("traffic-reader").start(() -> {
            Handed last;
            try {
                last = new Done(stream(batchSize, b -> hand(queue, new Ready(b)), n -> hand(queue, new Position(n))));
            } catch (Stopped stopped) {
                return;
            } catch (RuntimeException | Error e) {
                last = new Failed(e);
            }
            try {
                hand(queue, last);
            } catch (Stopped stopped) {
                // the consumer is gone (its sink failed): nobody waits for the result
            }
        });
        try {
            while (true) {
                Handed h = queue.take();
                switch (h) {
                    case Ready r -> sink.accept(r.batch());
                    case Position p -> bytesRead.accept(p.bytes());
                    case Done d -> {
                        return d.stats();
                    }
                    case Failed f -> {
                        if (f.error() instanceof Error e) {
                            throw e;
                        }
                        throw (RuntimeException) f.error();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + file, e);
        } finally {
            reader.interrupt(); // the consumer stopped (done, or failed): a reader still waiting ends
        }
    }

    /** The consumer went away: the reader thread ends without a result. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private static void hand(BlockingQueue<Handed> queue, Handed h) {
        try {
            queue.put(h);
        } catch (InterruptedException e) {
            throw new Stopped();
        }
    }

    /** The counts, and the batch being filled, while the file is streamed. */
    private final class Streamed {
        private final int batchSize;
        private final Consumer<Batch> sink;
        private final Map<String, Long> unknown = new TreeMap<>();
        private final Coverage coverage = new Coverage();
        private long lines;
        private long blank;
        private long records;
        private long skipped;
        private List<byte[]> batch;
        private long[] numbers;

        Streamed(int batchSize, Consumer<Batch> sink) {
            this.batchSize = batchSize;
            this.sink = sink;
            this.batch = new ArrayList<>(batchSize);
            this.numbers = new long[batchSize];
        }

        /** One line, {@code buf[start, end)} without its line end. */
        void line(byte[] buf, int start, int end) {
            lines++;
            if (isBlank(buf, start, end)) {
                blank++;
                return;
            }
            RequestRecordParser.Accepted read = preParse(buf, start, end - start);
            String account = read == null ? null : read.accountId();
            if (account != null && !known.contains(account)) {
                unknown.merge(account, 1L, Long::sum);
            }
            coverage.count(read, known);
            if (account != null && !only.isEmpty() && !only.contains(account)) {
                skipped++;
                return;
            }
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

        Stats finish(boolean gzip) {
            if (!batch.isEmpty()) {
                sink.accept(new Batch(batch, Arrays.copyOf(numbers, batch.size())));
            }
            return new Stats(lines, blank, records, skipped, unknown, coverage.inMonth, coverage.outside,
                    coverage.unreadable, coverage.accounts.size(), coverage.first, coverage.last, gzip);
        }
    }

    /** The month's coverage, counted line by line. */
    private final class Coverage {
        long inMonth;
        long outside;
        long unreadable;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final Set<String> accounts = new java.util.HashSet<>();

        void count(RequestRecordParser.Accepted read, Set<String> known) {
            if (read == null) {
                unreadable++;
                return;
            }
            long start = read.intervalStart();
            first = Math.min(first, start);
            last = Math.max(last, start);
            if (!month.contains(start)) {
                outside++;
                return;
            }
            inMonth++;
            if (known.contains(read.accountId())) {
                accounts.add(read.accountId());
            }
        }
    }

    /** What the ingest parser reads of the line (account, interval), or null when it refuses it (the handler will quarantine it). */
    private RequestRecordParser.Accepted preParse(byte[] data, int off, int len) {
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
        return parser.parse(data, off, len, now, Long.MIN_VALUE) instanceof RequestRecordParser.Accepted a ? a : null;
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
