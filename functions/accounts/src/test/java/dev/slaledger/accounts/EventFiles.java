package dev.slaledger.accounts;

import dev.slaledger.testkit.EventDir;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** The EventBridge events kept under {@code events/accounts/} at the repository root. */
public final class EventFiles {
    private static final EventDir EVENTS = EventDir.of("accounts");

    private EventFiles() {
    }

    public static Path dir() {
        return EVENTS.dir();
    }

    public static Path path(String name) {
        return EVENTS.path(name);
    }

    public static String read(String name) {
        return EVENTS.read(name);
    }

    public static InputStream open(String name) {
        return EVENTS.open(name);
    }

    /** The file names (relative to {@link #dir()}) of the JSON files in {@code sub} ("" or "invalid"). */
    public static List<String> list(String sub) {
        return EVENTS.list(sub);
    }
}
