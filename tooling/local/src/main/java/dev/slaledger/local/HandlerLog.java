package dev.slaledger.local;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where the handlers' log lines go (issue 28 item 5): never among what a person reads. A handler logs
 * JSON lines through its Lambda context ({@code LambdaContext}) or, without one, to standard output
 * ({@code JsonLog}); the tool's own output goes to the console it was given. {@link #install} makes
 * standard output this log; a command then names the file ({@link #writeTo}, {@code sla-local.log} in
 * its output folder), and with {@code --verbose} every line is printed on the console as well. Lines
 * logged before the file is named are kept (the last {@value #KEPT}) and written first.
 */
final class HandlerLog {
    static final String FILE_NAME = "sla-local.log";
    private static final int KEPT = 10_000;
    private static HandlerLog installed;

    private final PrintStream console;
    private final Deque<String> early = new ArrayDeque<>();
    private OutputStream file;
    private Path path;
    private boolean echo;
    private long lines;

    private HandlerLog(PrintStream console) {
        this.console = console;
    }

    /** Standard output becomes this log (the tool prints to {@code console}); once per process. */
    static synchronized HandlerLog install(PrintStream console) {
        if (installed == null) {
            installed = new HandlerLog(console);
            System.setOut(new PrintStream(new LineSink(installed), true, StandardCharsets.UTF_8));
        }
        return installed;
    }

    /** The installed log; in a test that runs commands in its own JVM, one that writes a file only once named. */
    static synchronized HandlerLog current() {
        if (installed == null) {
            installed = new HandlerLog(null);
        }
        return installed;
    }

    /** From now on the lines go to {@code file} (appended), those kept so far first; {@code verbose}: on the console too. */
    synchronized Path writeTo(Path logFile, boolean verbose) {
        try {
            close();
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            // buffered: a month of 100,000 accounts logs about a million lines (one write call each
            // took seconds); flushed when a command ends (SlaLocal.run) and on close
            file = new BufferedOutputStream(Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16);
            path = logFile;
            echo = verbose;
            for (String line : early) {
                file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            early.clear();
            return logFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log " + logFile, e);
        }
    }

    /** One line of a handler (no newline). */
    synchronized void line(String functionName, String line) {
        String text = functionName == null ? line : "[" + functionName + "] " + line;
        lines++;
        if (echo && console != null) {
            console.println("  " + text);
        }
        if (file == null) {
            early.addLast(text);
            if (early.size() > KEPT) {
                early.removeFirst();
            }
            return;
        }
        io(() -> file.write((text + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    synchronized long lines() {
        return lines;
    }

    synchronized Path path() {
        return path;
    }

    /** Writes out what the buffer holds (the file is complete up to the last line logged). */
    synchronized void flush() {
        if (file != null) {
            io(file::flush);
        }
    }

    synchronized void close() {
        if (file != null) {
            try {
                io(file::close);
            } finally {
                file = null;
            }
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private void io(Io action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log " + path, e);
        }
    }

    /** Standard output as lines of the log. */
    private static final class LineSink extends OutputStream {
        private final HandlerLog log;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineSink(HandlerLog log) {
            this.log = log;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                log.line(null, pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            } else {
                pending.write(b);
            }
        }
    }
}
