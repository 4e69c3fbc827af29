package dev.slaledger.core.notice;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The answer of S6.1 for a version about to be published.
 *
 * @param earliestEffectiveFrom the earliest effectiveFrom that would be allowed on this publish date
 */
public record PublicationCheck(boolean allowed, Optional<String> field, Optional<String> value,
        Optional<String> problem, LocalDate earliestEffectiveFrom) {

    static PublicationCheck allowed(LocalDate earliest) {
        return new PublicationCheck(true, Optional.empty(), Optional.empty(), Optional.empty(), earliest);
    }

    static PublicationCheck refused(String field, String value, String problem, LocalDate earliest) {
        return new PublicationCheck(false, Optional.of(field), Optional.of(value), Optional.of(problem), earliest);
    }

    public String message() {
        return allowed ? "allowed" : field.orElse("") + " = " + value.orElse("") + ": " + problem.orElse("");
    }
}
