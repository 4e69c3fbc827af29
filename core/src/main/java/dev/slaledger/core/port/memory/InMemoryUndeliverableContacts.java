package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.UndeliverableContacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Undeliverable addresses in memory. */
public final class InMemoryUndeliverableContacts implements UndeliverableContacts {
    private final Map<String, Undeliverable> marks = new HashMap<>();

    @Override
    public synchronized Optional<Undeliverable> find(String email) {
        return Optional.ofNullable(marks.get(UndeliverableContacts.normalize(email)));
    }

    @Override
    public synchronized void mark(Undeliverable u) {
        marks.put(UndeliverableContacts.normalize(u.email()), u);
    }
}
