package dev.slaledger.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A function's folder of real event JSON under {@code events/} at the repository root (the tests of
 * {@code functions/<name>} run two folders below it; the system property {@code events.dir} points
 * elsewhere).
 */
public record EventDir(Path dir) {
    /** {@code events/<function>}. */
    public static EventDir of(String function) {
        return new EventDir(Path.of(System.getProperty("events.dir", "../../events/" + function)).normalize());
    }

    /** The file {@code name}, which must exist. */
    public Path path(String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no event file " + p.toAbsolutePath());
        }
        return p;
    }

    public String read(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream open(String name) {
        try {
            return Files.newInputStream(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file names (relative to {@link #dir()}) of the JSON files in {@code sub} ("" for the folder itself). */
    public List<String> list(String sub) {
        try (Stream<Path> files = Files.list(dir.resolve(sub))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .map(f -> dir.relativize(f).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
