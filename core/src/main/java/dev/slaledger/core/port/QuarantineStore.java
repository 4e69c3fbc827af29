package dev.slaledger.core.port;

import dev.slaledger.core.traffic.QuarantineEntry;
import java.util.List;
import java.util.Set;

/** Records that failed validation (D1), kept with their reason and payload: never dropped. */
public interface QuarantineStore {
    /**
     * Stores the entries (idempotent: an entry is keyed by its stream position).
     *
     * @return the {@code index} of every entry that could not be stored (to be redelivered)
     */
    Set<Integer> storeAll(List<QuarantineEntry> entries);

    /** Write requests sent so far (they are the bill). */
    int writesSent();
}
