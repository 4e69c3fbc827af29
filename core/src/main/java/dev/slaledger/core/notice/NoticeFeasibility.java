package dev.slaledger.core.notice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * S9.4: whether every notice of a version can be sent at least {@code noticeDays} before its
 * {@code effectiveFrom} at the current quota, with one spare day for retries.
 *
 * <p>The notices owed at publication ({@code notices}: the accounts with a current or future term,
 * plus what earlier versions still owe) go out from the next clock hour on, {@link SendPlan#hourCap}
 * an hour (the plan's share of the rolling 24-hour quota; the hour of the publication is not
 * counted, it may be spent). The last of them goes out on day L (the version's zone); the spare
 * day is L + 1; the notice of that day must still come {@code noticeDays} before effectiveFrom, so
 * the earliest feasible effectiveFrom is L + 1 + noticeDays. With nothing to send it is S6.1's
 * publish date + noticeDays.
 *
 * @param earliestEffectiveFrom the earliest effectiveFrom this rule allows (empty: none, there is no quota)
 * @param lastNoticeOn          the day the last notice is expected out (empty: nothing to send, or no quota)
 */
public record NoticeFeasibility(boolean feasible, java.util.Optional<LocalDate> earliestEffectiveFrom,
        java.util.Optional<LocalDate> lastNoticeOn, long notices, long hourCap) {

    /**
     * @param effectiveFrom the candidate's effectiveFrom
     * @param noticeDays    the notice owed (S6.1: the longer of the new and the current version's)
     * @param zone          the candidate's time zone (S1.4)
     * @param publishedAt   now
     */
    public static NoticeFeasibility check(LocalDate effectiveFrom, int noticeDays, ZoneId zone, Instant publishedAt,
            long notices, long hourCap) {
        LocalDate publishedOn = LocalDate.ofInstant(publishedAt, zone);
        if (notices <= 0) {
            LocalDate earliest = publishedOn.plusDays(noticeDays);
            return new NoticeFeasibility(!effectiveFrom.isBefore(earliest), java.util.Optional.of(earliest),
                    java.util.Optional.empty(), 0, hourCap);
        }
        if (hourCap <= 0) {
            return new NoticeFeasibility(false, java.util.Optional.empty(), java.util.Optional.empty(), notices,
                    hourCap);
        }
        long hours = (notices + hourCap - 1) / hourCap;
        Instant firstHour = publishedAt.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        // the last hour's sends start at its beginning and end before the next hour
        Instant lastSend = firstHour.plus(hours, ChronoUnit.HOURS).minusNanos(1);
        LocalDate last = LocalDate.ofInstant(lastSend, zone);
        LocalDate earliest = last.plusDays(1).plusDays(noticeDays);
        return new NoticeFeasibility(!effectiveFrom.isBefore(earliest), java.util.Optional.of(earliest),
                java.util.Optional.of(last), notices, hourCap);
    }
}
