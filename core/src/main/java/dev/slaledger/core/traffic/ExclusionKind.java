package dev.slaledger.core.traffic;

import java.util.Optional;

/**
 * The exclusions a D1 request record may carry (S2.4, the SLA's 1.2 (i)-(iii)): a failed request so
 * flagged is not an error.
 * Each is written in the record as its {@link #wireName()}; any other value is quarantined
 * ({@link QuarantineReason#UNKNOWN_EXCLUSION}).
 */
public enum ExclusionKind {
    /** (i) Upgrades, changes or maintenance the provider initiated. */
    MAINTENANCE("maintenance"),
    /** (ii) Restricted because the customer's application was hacked. */
    CUSTOMER_COMPROMISED("customer-compromised"),
    /** (iii) A domain banned for content violations or other reasons. */
    CONTENT_BAN("content-ban");

    private final String wireName;

    ExclusionKind(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the record's {@code exclusion} field. */
    public String wireName() {
        return wireName;
    }

    /** The kind a record's {@code exclusion} value names; empty for any other value. */
    public static Optional<ExclusionKind> parse(String value) {
        for (ExclusionKind k : values()) {
            if (k.wireName.equals(value)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
