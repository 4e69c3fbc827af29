package dev.slaledger.core.traffic;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Announced maintenance (D4, S2.4). An interval that lies entirely inside the window,
 * for an account the window covers, loses all its errors, provided the window was
 * announced before it started. A late announcement excludes nothing.
 *
 * @param accounts the accounts covered; empty means all accounts
 */
public record MaintenanceWindow(String id, Instant start, Instant end, Instant announcedAt,
        Optional<Set<String>> accounts) {

    public MaintenanceWindow {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a maintenance window needs an id");
        }
        if (start == null || end == null || announcedAt == null) {
            throw new IllegalArgumentException("start, end and announcedAt are required");
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("window " + id + " ends (" + end + ") before it starts (" + start + ")");
        }
        accounts = accounts.map(Set::copyOf);
    }

    /** S2.4: announced before the window started (strictly). */
    public boolean announcedInTime() {
        return announcedAt.isBefore(start);
    }

    public boolean covers(String accountId) {
        return accounts.map(a -> a.contains(accountId)).orElse(true);
    }

    /** S2.4: whether the errors of the interval starting at {@code intervalStart} are excluded for the account. */
    public boolean excludes(String accountId, Instant intervalStart) {
        return announcedInTime() && covers(accountId)
                && !intervalStart.isBefore(start)
                && !intervalStart.plusSeconds(Intervals.SECONDS).isAfter(end);
    }
}
