package dev.slaledger.core.port;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Email addresses that hard-bounced or complained (S6.4): no notice is sent to them again;
 * the accounts using them are reported instead. Addresses compare case-insensitively.
 */
public interface UndeliverableContacts {
    /**
     * @param reason    e.g. {@code Bounce/Permanent/General} or {@code Complaint/abuse}
     * @param messageId the provider message that revealed it
     */
    record Undeliverable(String email, String reason, Instant at, String messageId) {
    }

    Optional<Undeliverable> find(String email);

    /** Records the mark; a later mark of the same address replaces it. */
    void mark(Undeliverable undeliverable);

    static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
