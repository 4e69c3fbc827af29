package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.JobProgress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Job progress in memory. */
public final class InMemoryJobProgress implements JobProgress {
    private final Map<String, Progress> progress = new HashMap<>();

    @Override
    public synchronized Optional<Progress> progress(String key) {
        return Optional.ofNullable(progress.get(key));
    }

    @Override
    public synchronized void checkpoint(String key, String cursor, long items) {
        Progress old = progress.get(key);
        if (old != null && old.complete()) {
            return;
        }
        progress.put(key, new Progress(Optional.of(cursor), items, false));
    }

    @Override
    public synchronized void complete(String key, long items) {
        Progress old = progress.get(key);
        progress.put(key, new Progress(old == null ? Optional.empty() : old.cursor(), items, true));
    }
}
