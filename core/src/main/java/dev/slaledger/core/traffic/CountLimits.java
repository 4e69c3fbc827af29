package dev.slaledger.core.traffic;

/**
 * The largest value each count field of D1 ({@code valid}, {@code errors}, {@code unreachedErrors},
 * {@code excludedErrors}) may take in one record, and in one stored five-minute aggregate (S7.5).
 * A record above either is quarantined {@link QuarantineReason#COUNT_OUT_OF_RANGE}.
 *
 * <p>Why these numbers. A statement reads one account's service period: at most 31 days of at
 * most 300 intervals (a 25-hour DST day), 9,300 intervals. With every field of every interval at
 * {@link #PER_INTERVAL} (10^12), a month's sum of one field is at most 9.3 x 10^15, of E = e + u
 * 1.86 x 10^16, of all four fields 3.72 x 10^16: about 250 times below {@code Long.MAX_VALUE}
 * (9.22 x 10^18), so no reader's sum can overflow a Java long. 10^12 is also below 2^52, so a
 * rate E / V of one interval is taken on exactly representable doubles (the fast path of
 * {@code AvailabilityCalculator}). One record may carry {@link #PER_RECORD} (10^9): a delivery
 * holds at most {@code Integer.MAX_VALUE} records, whose sum (2.1 x 10^18) still fits a long,
 * so summing a batch cannot overflow either.
 *
 * <p>For scale: 10^9 requests in one pre-aggregated record are 3.3 million requests per second
 * for five minutes from one collector; 10^12 in one interval are 3.3 billion per second for one
 * account. Anything near either is a broken producer, not traffic.
 */
public final class CountLimits {
    /** The largest count one D1 record may carry, per field. */
    public static final long PER_RECORD = 1_000_000_000L;
    /** The largest count one (account, interval) aggregate may hold, per field, over all deliveries. */
    public static final long PER_INTERVAL = 1_000_000_000_000L;

    private CountLimits() {
    }
}
