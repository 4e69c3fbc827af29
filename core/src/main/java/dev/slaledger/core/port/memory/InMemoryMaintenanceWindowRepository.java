package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Maintenance windows in memory. */
public final class InMemoryMaintenanceWindowRepository implements MaintenanceWindowRepository {
    private final Map<String, MaintenanceWindow> windows = new ConcurrentSkipListMap<>();

    @Override
    public void save(MaintenanceWindow window) {
        windows.put(window.id(), window);
    }

    @Override
    public Optional<MaintenanceWindow> find(String id) {
        return Optional.ofNullable(windows.get(id));
    }

    @Override
    public void delete(String id) {
        windows.remove(id);
    }

    @Override
    public List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive) {
        return windows.values().stream()
                .filter(w -> w.start().isBefore(toExclusive) && w.end().isAfter(fromInclusive))
                .toList();
    }
}
