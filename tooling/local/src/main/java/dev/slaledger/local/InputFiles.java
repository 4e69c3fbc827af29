package dev.slaledger.local;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * How {@code replay} opens an input file (issue 28 item 2): a gzip file (its first two bytes are
 * gzip's magic number {@code 1f 8b}) is read through gunzip, whatever its name; any other file as it
 * is. No flag: a {@code .jsonl.gz} export and a {@code .jsonl} read the same. Errors name the file.
 */
final class InputFiles {
    /** Bytes of the file read so far (compressed bytes for a gzip file): a progress bar's position. */
    interface Position {
        long bytesRead();
    }

    /** An open input: the (decompressed) bytes, and how far into the file on disk the reading is. */
    static final class Opened extends FilterInputStream implements Position {
        private final Counting counting;
        private final boolean gzip;

        private Opened(InputStream in, Counting counting, boolean gzip) {
            super(in);
            this.counting = counting;
            this.gzip = gzip;
        }

        @Override
        public long bytesRead() {
            return counting.count;
        }

        boolean gzip() {
            return gzip;
        }
    }

    private InputFiles() {
    }

    static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    static Opened open(Path file) {
        try {
            Counting counting = new Counting(Files.newInputStream(file));
            BufferedInputStream buffered = new BufferedInputStream(counting, 1 << 16);
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            return new Opened(in, counting, gzip);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** The whole file (gunzipped when it is gzip). */
    static byte[] readAll(Path file) {
        try (Opened in = open(file)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new InputException(file + ": starts like gzip but is not a whole gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    static InputException cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputException(file + ": no such file");
        }
        if (e instanceof ZipException || e instanceof java.io.EOFException) {
            return new InputException(file + ": starts like gzip but is not a whole gzip file ("
                    + (e.getMessage() == null ? "it ends too early" : e.getMessage()) + ")");
        }
        return new InputException("cannot read " + file + ": " + e.getMessage());
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
