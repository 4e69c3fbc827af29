package dev.slaledger.core.port;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/** Which SLA-change notices were sent to whom (S6.2-S6.4); S6.3 reads the dates. */
public interface NoticeRepository {
    record Delivery(String accountId, String version, String messageId, Instant sentAt, LocalDate sentOn) {
    }

    Optional<Delivery> find(String accountId, String version);

    /** Records the delivery unless one is recorded for the account and version; false if one was. */
    boolean recordSent(Delivery delivery);

    /** Per version id, the date the account's notice was sent (S6.3). */
    Map<String, LocalDate> sentDates(String accountId);
}
