package dev.slaledger.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a run keeps its notices and engine files: the directory the user named ({@code --work-dir},
 * kept), or a new temporary one deleted at the end, also when the run is interrupted (Ctrl-C, kill),
 * so a run leaves nothing behind.
 */
final class WorkDirectory implements AutoCloseable {
    private final Path path;
    private final boolean temporary;
    private final Thread cleanup;

    private WorkDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
        this.cleanup = new Thread(() -> deleteTree(path), "sla-local-cleanup");
        if (temporary) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
    }

    /** {@code given}, or a new temporary directory named {@code prefix...} when it is null. */
    static WorkDirectory of(Path given, String prefix) {
        if (given != null) {
            return new WorkDirectory(given, false);
        }
        try {
            return new WorkDirectory(Files.createTempDirectory(prefix), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    Path path() {
        return path;
    }

    boolean temporary() {
        return temporary;
    }

    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        deleteTree(path);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    /** Deletes a directory and everything in it; best effort (it is in the system's temporary directory). */
    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
