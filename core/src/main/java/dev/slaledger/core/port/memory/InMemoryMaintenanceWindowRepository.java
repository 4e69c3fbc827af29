package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Maintenance windows in memory, with each id's previous version (withdrawn ones included). */
public final class InMemoryMaintenanceWindowRepository implements MaintenanceWindowRepository {
    private final Map<String, MaintenanceWindow> windows = new ConcurrentSkipListMap<>();
    private final Map<String, MaintenanceWindow> previous = new ConcurrentSkipListMap<>();
    /** Withdrawn windows: the version withdrawn, by id. */
    private final Map<String, MaintenanceWindow> withdrawn = new ConcurrentSkipListMap<>();

    @Override
    public synchronized void save(MaintenanceWindow window) {
        MaintenanceWindow live = windows.get(window.id());
        MaintenanceWindow replaced = live != null ? live : withdrawn.remove(window.id());
        if (replaced != null && !replaced.equals(window)) {
            previous.put(window.id(), replaced);
        }
        windows.put(window.id(), window);
    }

    @Override
    public Optional<MaintenanceWindow> find(String id) {
        return Optional.ofNullable(windows.get(id));
    }

    @Override
    public synchronized void delete(String id) {
        MaintenanceWindow live = windows.remove(id);
        if (live != null) {
            withdrawn.put(id, live);
            previous.put(id, live);
        }
    }

    @Override
    public Optional<MaintenanceWindow> previous(String id) {
        return Optional.ofNullable(previous.get(id));
    }

    @Override
    public List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive) {
        return windows.values().stream()
                .filter(w -> w.start().isBefore(toExclusive) && w.end().isAfter(fromInclusive))
                .toList();
    }
}
