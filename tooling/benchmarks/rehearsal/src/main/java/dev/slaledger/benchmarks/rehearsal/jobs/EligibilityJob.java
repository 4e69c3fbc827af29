package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.notifier.NotifierWiring;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Eligibility notices and automatic claims (S8, S9.1): with terms that turn {@code eligibility} on,
 * the notice dispatcher's hourly schedule runs from the day October's claim window opens (the 6th
 * working day of November: 2026-11-09) for {@code days} days; the month's eligibility sweep starts at
 * 09:00 that day (a cursor per month) and the notice workers decide and send at the shared schedule. Every compensable account-month must get its notice
 * (or, with {@code autoClaim}, its claim and a credited notice) on the day the window opens, or at the
 * SES quota on the following days when the quota is smaller; none dropped, none twice.
 */
public final class EligibilityJob implements RehearsalJob {
    public static final Instant WINDOW_OPENS = Instant.parse("2026-11-09T00:00:00Z");
    /** When the month's eligibility sweep starts: the notifier's default hours after the opening. */
    static final Instant SWEEP_STARTS = WINDOW_OPENS.plus(
            Duration.ofHours(NotifierWiring.DEFAULT_ELIGIBILITY_START_HOURS));
    private final String name;
    private final int days;
    private final List<String> compensable = new ArrayList<>();

    public EligibilityJob(String name, int days) {
        this.name = name;
        this.days = days;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        for (int i = 0; i < stack.world.accounts; i++) {
            if (stack.world.aggregates.compensable(i)) {
                compensable.add(SyntheticWorld.accountId(i));
            }
        }
        Instant from = after.isAfter(WINDOW_OPENS) ? after : WINDOW_OPENS;
        stack.fireEvery("NotifierSchedule", from, from.plus(Duration.ofDays(days)), ZoneOffset.UTC, name);
    }

    /** When each compensable account's eligibility notice was sent (null: not yet). */
    private List<Instant> sentAt(RehearsalStack stack) {
        List<Instant> out = new ArrayList<>();
        for (String id : compensable) {
            Instant sent = null;
            for (Map.Entry<String, LocalDate> e : stack.world.noticeStore.sentDates(id).entrySet()) {
                if (e.getKey().startsWith(EligibilityService.KEY_PREFIX + MonthEndJob.MONTH)) {
                    sent = stack.world.noticeStore.stored(id, e.getKey()).flatMap(NoticeDeliveries.Record::sentAt)
                            .orElse(null);
                }
            }
            out.add(sent);
        }
        return out;
    }

    @Override
    public boolean finished(RehearsalStack stack) {
        return stack.sim.now().isAfter(SWEEP_STARTS) && stack.asyncDone(name)
                && stack.ses.accepted() >= compensable.size() * 0.99 && sentAt(stack).stream().allMatch(t -> t != null)
                && stack.rescuesPending() == 0;
    }

    @Override
    public Duration limit() {
        return Duration.ofDays(days + 8);
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        List<Instant> sent = sentAt(stack);
        long notified = sent.stream().filter(t -> t != null).count();
        Map<LocalDate, Long> perDay = new TreeMap<>();
        sent.stream().filter(t -> t != null).forEach(t -> perDay.merge(LocalDate.ofInstant(t, ZoneOffset.UTC), 1L,
                Long::sum));
        stack.aws.meter().job(name).add("accounts reached", notified);
        stack.aws.meter().job(name).add("compensable account-months", compensable.size());
        perDay.forEach((d, n) -> stack.aws.meter().job(name).notes.add(d + ": " + n + " eligibility notices sent"));
        int dispatches = 0;
        long units = 0;
        for (Object r : stack.results.getOrDefault(name, List.of())) {
            if (r instanceof Map<?, ?> m) {
                dispatches++;
                units += m.get("workUnits") instanceof Number n ? n.longValue() : 0;
            }
        }
        stack.aws.meter().job(name).notes.add(dispatches + " dispatcher runs (hourly), " + units
                + " work units onto the notice queue; StatementCompensable events reach the queue by the notice rule");
        long gaveUp = stack.world.backlogStore.gaveUp().size();
        return List.of(
                Check.of("every compensable account-month notified (S8.2), none dropped", notified == compensable.size(),
                        notified + " of " + compensable.size()),
                Check.of("no account given up on; every unit dead-lettered on the notice queue listed again from its"
                        + " rescue record, none left (S9.2)", gaveUp == 0 && stack.rescuesPending() == 0,
                        gaveUp + " given up, " + stack.noticeQueue.deadLetters().size() + " dead-lettered, "
                                + stack.rescued(name) + " listed again by the dispatcher, " + stack.rescuesPending()
                                + " rescue records left"),
                Check.of("no notice sent twice (S6.4, S8.2)", stack.ses.sentTwice() == 0,
                        stack.ses.sentTwice() + " sent twice"),
                Check.of("SES never accepted more than its maximum send rate in any second (S9.3)",
                        stack.ses.maxInAnySecond() <= Math.max(1, (long) stack.ses.maxSendRate()),
                        stack.ses.maxInAnySecond() + " in the busiest second"),
                Check.of("SES throttled no send: the schedule keeps the combined rate under its maximum (S9.3)",
                        stack.ses.throttled() == 0, stack.ses.throttled() + " sends throttled and retried"));
    }

    /**
     * S9.1 and S9.3 as the target reads them: every compensable account on the day its window opens
     * when that day's quota, from the sweep's start ({@link #SWEEP_STARTS}), can send them all; otherwise
     * continued at the quota, at least 90% of it used while work remains (S9.3), so the last notice goes
     * out no later than the sweep's start plus the hours that 90% of the quota's hourly share needs for
     * all of them, plus one hour for the hourly dispatcher. (The first version of this check gave the
     * opening day the whole 24-hour quota from midnight: at 1,000,000 accounts, 50,000 compensable and
     * the default quota of 50,000 a day, no schedule that respects the quota's rate could meet it.)
     */
    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        List<Instant> sent = sentAt(stack);
        double floorPerHour = 0.9 * stack.ses.max24HourSend() / 24.0;
        long hours = (long) Math.ceil(compensable.size() / floorPerHour);
        Instant endOfDay = WINDOW_OPENS.plus(Duration.ofDays(1));
        Instant atTheQuota = SWEEP_STARTS.plus(Duration.ofHours(hours + 1));
        Instant deadline = atTheQuota.isAfter(endOfDay) ? atTheQuota : endOfDay;
        long late = sent.stream().filter(t -> t == null || !t.isBefore(deadline)).count();
        Instant last = sent.stream().filter(t -> t != null).max(Instant::compareTo).orElse(WINDOW_OPENS);
        return List.of(Check.of("every compensable account notified on the day its window opens, or continued at the"
                + " quota (at least 90% of it, S9.3) on the following days: by " + deadline, late == 0,
                late + " notified later or not at all; the last at " + last));
    }
}
