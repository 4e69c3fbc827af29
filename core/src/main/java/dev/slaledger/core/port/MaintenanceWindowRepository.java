package dev.slaledger.core.port;

import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Announced maintenance windows (D4), applied when statements are computed (S2.4).
 *
 * <p>Each id remembers the version its latest change replaced or withdrew ({@link #previous}), so the
 * admin route marks both versions' account-months (S7.1) on every call, a retry included: whatever
 * point a call died at, the retry marks what the change can have altered (issue 27 item 7).
 */
public interface MaintenanceWindowRepository {
    /**
     * Stores the window; a window with the same id is replaced. The version it replaces (a live one or
     * a withdrawn one) becomes {@link #previous}; saving the stored version again changes nothing.
     */
    void save(MaintenanceWindow window);

    /** The live window stored under {@code id}, if any (a withdrawn one is not). */
    Optional<MaintenanceWindow> find(String id);

    /**
     * Withdraws the window stored under {@code id}: it no longer applies ({@link #find} and
     * {@link #overlapping} leave it out) and becomes {@link #previous}, so a retried withdrawal still
     * knows what it withdrew. Nothing if there is no live window.
     */
    void delete(String id);

    /** The version the latest change of {@code id} replaced or withdrew; empty for a first recording or an unknown id. */
    Optional<MaintenanceWindow> previous(String id);

    /** Every window that overlaps {@code [from, to)}. */
    List<MaintenanceWindow> overlapping(Instant fromInclusive, Instant toExclusive);
}
