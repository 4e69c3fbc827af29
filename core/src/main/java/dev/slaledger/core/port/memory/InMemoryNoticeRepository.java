package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.NoticeRepository;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Notice deliveries in memory. */
public final class InMemoryNoticeRepository implements NoticeRepository {
    private record Key(String accountId, String version) {
    }

    private final Map<Key, Delivery> deliveries = new HashMap<>();

    @Override
    public synchronized Optional<Delivery> find(String accountId, String version) {
        return Optional.ofNullable(deliveries.get(new Key(accountId, version)));
    }

    @Override
    public synchronized boolean recordSent(Delivery delivery) {
        return deliveries.putIfAbsent(new Key(delivery.accountId(), delivery.version()), delivery) == null;
    }

    @Override
    public synchronized Map<String, LocalDate> sentDates(String accountId) {
        Map<String, LocalDate> out = new HashMap<>();
        deliveries.values().stream().filter(d -> d.accountId().equals(accountId))
                .forEach(d -> out.put(d.version(), d.sentOn()));
        return out;
    }
}
