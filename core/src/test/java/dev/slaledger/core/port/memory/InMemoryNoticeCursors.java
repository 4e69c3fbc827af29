package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.NoticeCursors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Notice sweep cursors in memory, with the conditional save of the Ledger's. */
public final class InMemoryNoticeCursors implements NoticeCursors {
    private final Map<String, Cursor> cursors = new TreeMap<>();
    private AudienceCount audience;

    @Override
    public synchronized List<Cursor> all() {
        return List.copyOf(cursors.values());
    }

    @Override
    public synchronized Optional<Cursor> find(String campaign) {
        return Optional.ofNullable(cursors.get(campaign));
    }

    @Override
    public synchronized boolean save(Cursor next) {
        Cursor stored = cursors.get(next.campaign());
        long storedRevision = stored == null ? 0 : stored.revision();
        if (storedRevision != next.revision()) {
            return false;
        }
        cursors.put(next.campaign(), new Cursor(next.campaign(), next.listFrom(), next.position(), next.listed(),
                next.done(), next.audience(), next.startedAt(), next.updatedAt(), storedRevision + 1));
        return true;
    }

    @Override
    public synchronized Optional<AudienceCount> audience() {
        return Optional.ofNullable(audience);
    }

    @Override
    public synchronized void recordAudience(AudienceCount count) {
        audience = count;
    }
}
