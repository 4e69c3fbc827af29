package dev.slaledger.core.port;

import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.List;

/** Announced maintenance windows (D4), applied when statements are computed (S2.4). */
public interface MaintenanceWindowRepository {
    /** Stores the window; a window with the same id is replaced. */
    void save(MaintenanceWindow window);

    /** Every window that overlaps {@code [from, to)}. */
    List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive);
}
