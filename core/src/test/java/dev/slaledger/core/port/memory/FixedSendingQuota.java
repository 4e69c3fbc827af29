package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.SendingQuota;
import java.math.BigDecimal;

/** A sending quota a test sets (the provider's figures); counts its reads. */
public final class FixedSendingQuota implements SendingQuota {
    private volatile Quota quota;
    private volatile int reads;

    public FixedSendingQuota(Quota quota) {
        this.quota = quota;
    }

    /** SES's default production quota: 14 mails a second, 50,000 a day, nothing sent. */
    public static FixedSendingQuota sesDefault() {
        return new FixedSendingQuota(new Quota(BigDecimal.valueOf(14), 50_000, 0));
    }

    public void set(Quota q) {
        quota = q;
    }

    @Override
    public Quota read() {
        reads++;
        return quota;
    }

    public int reads() {
        return reads;
    }
}
