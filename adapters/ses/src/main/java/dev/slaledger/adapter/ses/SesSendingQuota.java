package dev.slaledger.adapter.ses;

import dev.slaledger.core.port.SendingQuota;
import java.math.BigDecimal;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.GetAccountResponse;
import software.amazon.awssdk.services.sesv2.model.SendQuota;

/**
 * The SES account's sending quota (S9.3): SES v2 {@code GetAccount}, its {@code SendQuota}
 * ({@code MaxSendRate}, {@code Max24HourSend}, {@code SentLast24Hours}). An account whose sending
 * is disabled ({@code SendingEnabled: false}), or an answer without a quota, has no quota to send
 * with: rate and 24-hour maximum 0 (nothing is sent; the dispatcher reports the plan).
 */
public final class SesSendingQuota implements SendingQuota {
    private final SesV2Client ses;

    public SesSendingQuota(SesV2Client ses) {
        this.ses = ses;
    }

    @Override
    public Quota read() {
        GetAccountResponse account = ses.getAccount(b -> { });
        SendQuota q = account.sendQuota();
        if (q == null) {
            // not an answer SES gives; nothing to send with is the safe reading
            return new Quota(BigDecimal.ZERO, 0, 0);
        }
        double rate = q.maxSendRate() == null ? 0 : q.maxSendRate();
        // -1 is SES's "unlimited" 24-hour quota
        long max24 = q.max24HourSend() == null ? 0
                : q.max24HourSend() < 0 ? Long.MAX_VALUE : (long) Math.floor(q.max24HourSend());
        long sent = q.sentLast24Hours() == null ? 0 : (long) Math.ceil(q.sentLast24Hours());
        if (Boolean.FALSE.equals(account.sendingEnabled())) {
            return new Quota(BigDecimal.ZERO, 0, sent);
        }
        return new Quota(BigDecimal.valueOf(rate).stripTrailingZeros(), max24, sent);
    }
}
