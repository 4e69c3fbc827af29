package dev.slaledger.core.forecast;

import java.util.Optional;

/** Where an account's month stands against its commitment (S9.8), written as {@link #wireName()}. */
public enum ForecastStatus {
    /** The month-to-date rate, kept up to the month's end, stays within the error budget. */
    OK("ok"),
    /** The burn projected to the month's end at the month-to-date rate is above the error budget. */
    AT_RISK("at-risk"),
    /**
     * The error-rate sum so far is already above the budget: the commitment is missed whatever the
     * rest of the month brings (a voucher is owed once a fee is assessed).
     */
    COMPENSABLE("compensable");

    private final String wireName;

    ForecastStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ForecastStatus> parse(String wireName) {
        for (ForecastStatus s : values()) {
            if (s.wireName.equals(wireName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
