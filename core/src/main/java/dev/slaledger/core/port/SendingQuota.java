package dev.slaledger.core.port;

import java.math.BigDecimal;

/** The mail provider's sending quota for the account (S9.3): SES {@code GetAccount} in AWS. */
public interface SendingQuota {
    /**
     * @param maxSendRate     mails per second the provider accepts
     * @param max24HourSend   mails per rolling 24 hours
     * @param sentLast24Hours mails sent in the last 24 hours, by anyone using the account
     */
    record Quota(BigDecimal maxSendRate, long max24HourSend, long sentLast24Hours) {
        public Quota {
            if (maxSendRate.signum() < 0 || max24HourSend < 0 || sentLast24Hours < 0) {
                throw new IllegalArgumentException("a quota is not negative: " + maxSendRate + "/s, "
                        + max24HourSend + "/24h, " + sentLast24Hours + " sent");
            }
        }
    }

    /** Reads the quota now (one request to the provider). */
    Quota read();
}
