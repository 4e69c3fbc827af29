package dev.slaledger.core.port;

import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Announced maintenance windows (D4), applied when statements are computed (S2.4). */
public interface MaintenanceWindowRepository {
    /** Stores the window; a window with the same id is replaced. */
    void save(MaintenanceWindow window);

    /** The window stored under {@code id}, if any. */
    Optional<MaintenanceWindow> find(String id);

    /** Removes the window stored under {@code id} (a withdrawn window); nothing if there is none. */
    void delete(String id);

    /** Every window that overlaps {@code [from, to)}. */
    List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive);
}
