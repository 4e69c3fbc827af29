package dev.slaledger.core.notice;

import dev.slaledger.core.port.SendingQuota.Quota;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fast and how much the notice senders may send (S9.3), decided at the start of a run from the
 * provider's quota read then, the configured caps and what this system sent in the last 24 hours.
 *
 * <ul>
 * <li><b>Rate</b>: min(90% of the quota's max send rate, configured cap), mails per
 * second; every send of every worker takes a slot of one shared schedule spaced {@link #intervalMicros}
 * apart ({@code SendThrottle}), so the combined rate never exceeds it. The margin under SES's rate: a
 * send reaches SES a request or two after its slot (the reservation's write), and SES counts its rate
 * in one-second windows; slots at exactly the rate let a window see one more now and then (throttled,
 * retried). The daily pace is bound by {@link #hourCap}, not by the rate, so the margin costs no day.</li>
 * <li><b>24-hour quota</b>: a rolling 24-hour window meets at most {@value #WINDOW_HOURS} clock hours,
 * so if no clock hour holds more than {@link #hourCap} of our sends, no 24-hour window holds more
 * than {@value #WINDOW_HOURS} x hourCap (plus the sends a slot granted at an hour's end carries
 * into the next, at most {@link #slack}). hourCap = floor((daily - others - slack) / 25), where
 * daily = min(quota's 24-hour maximum, configured cap) and others = what the account sent in the
 * last 24 hours that was not ours (the provider's count minus our own). Used fully that is 24/25
 * of the day's quota: above the 90% S9.3 asks for. No hour holds more than rate x 3600 either
 * (SES reports an unlimited 24-hour quota as -1: the rate alone then bounds a day).</li>
 * </ul>
 *
 * @param ratePerSecond  the combined send rate, mails per second
 * @param intervalMicros the spacing of send slots, microseconds (1e6 / rate, rounded up)
 * @param hourCap        the most of our sends in one clock hour (UTC)
 * @param daily          the 24-hour quota in force (the provider's, or the lower cap)
 * @param others         sends of the last 24 hours that were not ours, at {@code readAt}
 * @param slack          sends kept back for slots that straddle an hour's end
 * @param quota          the provider's figures as read
 * @param readAt         when the quota was read
 */
public record SendPlan(BigDecimal ratePerSecond, long intervalMicros, long hourCap, long daily, long others,
        long slack, Quota quota, Instant readAt) {
    /** The share of SES's maximum send rate the schedule uses (the margin absorbs the latency after a slot). */
    public static final BigDecimal RATE_SHARE = new BigDecimal("0.9");
    /** Clock hours a rolling 24-hour window can meet. */
    public static final int WINDOW_HOURS = 25;
    /** How far ahead of now a send slot may be granted (a worker waits for its slot at most this long). */
    public static final Duration HORIZON = Duration.ofSeconds(2);

    /**
     * @param capRate      a configured maximum rate below the provider's (empty: none)
     * @param capDaily     a configured maximum per 24 hours below the provider's (empty: none)
     * @param ourLast24h   our own sends in the last 24 hours (the throttle's hourly counts)
     */
    public static SendPlan of(Quota quota, Optional<BigDecimal> capRate, Optional<Long> capDaily, long ourLast24h,
            Instant readAt) {
        BigDecimal sesRate = quota.maxSendRate().multiply(RATE_SHARE).stripTrailingZeros();
        BigDecimal rate = capRate.filter(c -> c.compareTo(sesRate) < 0).orElse(sesRate);
        long daily = Math.min(quota.max24HourSend(), capDaily.orElse(Long.MAX_VALUE));
        long others = Math.max(0, quota.sentLast24Hours() - ourLast24h);
        if (rate.signum() <= 0 || daily <= 0) {
            return new SendPlan(rate.max(BigDecimal.ZERO), 1_000_000, 0, Math.max(daily, 0), others, 0, quota, readAt);
        }
        long interval = BigDecimal.valueOf(1_000_000).divide(rate, 0, RoundingMode.CEILING).longValueExact();
        long slack = rate.multiply(BigDecimal.valueOf(HORIZON.toMillis()))
                .divide(BigDecimal.valueOf(1000), 0, RoundingMode.CEILING).longValueExact() + 1;
        // an hour cannot send more than the rate allows in it (an unlimited 24-hour quota: the rate alone)
        long hourByRate = rate.multiply(BigDecimal.valueOf(3600)).setScale(0, RoundingMode.FLOOR).longValueExact();
        long hourCap = Math.min(hourByRate, Math.max(0, (daily - others - slack) / WINDOW_HOURS));
        return new SendPlan(rate, Math.max(1, interval), hourCap, daily, others, slack, quota, readAt);
    }

    /** Our sends in a day at this plan: 24 clock hours at {@link #hourCap}. */
    public long perDay() {
        return 24 * hourCap;
    }
}
