package dev.slaledger.accounts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The EventBridge events kept under {@code events/accounts/} at the repository root. */
public final class EventFiles {
    private EventFiles() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("events.dir", "../../events/accounts")).normalize();
    }

    public static Path path(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no event file " + p.toAbsolutePath());
        }
        return p;
    }

    public static String read(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InputStream open(String name) {
        try {
            return Files.newInputStream(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file names (relative to {@link #dir()}) of the JSON files in {@code sub} ("" or "invalid"). */
    public static List<String> list(String sub) {
        try (Stream<Path> files = Files.list(dir().resolve(sub))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .map(f -> dir().relativize(f).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
