package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.RehearsalStack;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SLA-change notices (S6.2, S9.1-S9.3), as the notices flow on main: a new terms version is
 * published; the TermsPublished rule invokes the notice dispatcher (the "notifier" function) at
 * once, and its hourly schedule (schedules.json) every hour after, for up to {@code days} days. Each
 * dispatcher run reads the SES quota (GetAccount), sets the shared send schedule and pages this
 * hour's share of the accounts from the version's cursor onto the notice queue; the notice workers
 * (its SQS mapping, deployment.json) send at the schedule. Target (item 6): the last notice within
 * 1.1 x the quota's floor (accounts / 24-hour quota days), the send rate never above the quota,
 * nothing sent twice.
 */
public final class ChangeNoticesJob implements RehearsalJob {
    private final String name;
    private final int days;
    private final String version;
    private Instant published;
    private Instant lastSend;
    private final List<String> runs = new ArrayList<>();

    public ChangeNoticesJob(String name, int days) {
        this.name = name;
        this.days = days;
        this.version = "2027-02";
    }

    @Override
    public String name() {
        return name;
    }

    /** The published version: effective 90 days after publication, noticeDays 30. */
    static TermsVersion version(String id, LocalDate effectiveFrom) {
        return TermsParser.parse(TermsParser.toJson(DefaultTerms.version())
                .replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\":\"" + id + "\"")
                .replace("2026-01-01", effectiveFrom.toString()));
    }

    @Override
    public void start(RehearsalStack stack, Instant after) {
        published = after.plusSeconds(3600);
        LocalDate effective = LocalDate.ofInstant(published, ZoneOffset.UTC).plusDays(90);
        stack.sim.at(published, () -> {
            stack.world.termsStore.publish(version(version, effective));
            stack.fireTarget("notifier", published.plusSeconds(1), name); // the TermsPublished rule
        });
        // the hourly schedule (its zone: the terms', here UTC)
        stack.fireEvery("NotifierSchedule", published, published.plus(Duration.ofDays(days)), ZoneOffset.UTC, name);
    }

    @Override
    public boolean finished(RehearsalStack stack) {
        // cheap first: not before SES took a mail for nearly every account
        return stack.sim.now().isAfter(published) && stack.asyncDone(name)
                && stack.ses.accepted() >= stack.world.accounts * 0.99 && remaining(stack) == 0
                && stack.rescuesPending() == 0;
    }

    /** Accounts still owed the notice: neither SENT nor given up (bounced). */
    private long remaining(RehearsalStack stack) {
        long owed = 0;
        SyntheticWorld w = stack.world;
        for (int i = 0; i < w.accounts; i++) {
            Optional<NoticeDeliveries.Record> r = w.noticeStore.stored(SyntheticWorld.accountId(i), version);
            if (r.isEmpty() || (r.get().state() != NoticeDeliveries.State.SENT
                    && r.get().state() != NoticeDeliveries.State.BOUNCED)) {
                owed++;
            }
        }
        return owed;
    }

    @Override
    public Duration limit() {
        return Duration.ofDays(days).plusHours(2);
    }

    @Override
    public List<Check> checks(RehearsalStack stack) {
        long owed = remaining(stack);
        long notified = stack.world.accounts - owed;
        stack.aws.meter().job(name).add("accounts reached", notified);
        // the dispatcher's runs (its own reports): how many, how many stopped early, what they listed
        int dispatches = 0;
        int stopped = 0;
        long units = 0;
        for (Object r : stack.results.getOrDefault(name, List.of())) {
            if (r instanceof Map<?, ?> m) {
                dispatches++;
                stopped += m.containsKey("stoppedBecause") ? 1 : 0;
                units += m.get("workUnits") instanceof Number n ? n.longValue() : 0;
            }
        }
        runs.add(dispatches + " dispatcher runs (the TermsPublished rule, then hourly), " + units
                + " work units onto the notice queue, " + stopped + " stopped by their time budget");
        java.util.TreeMap<LocalDate, Long> perDay = new java.util.TreeMap<>();
        for (int i = 0; i < stack.world.accounts; i++) {
            stack.world.noticeStore.stored(SyntheticWorld.accountId(i), version).flatMap(NoticeDeliveries.Record::sentOn)
                    .ifPresent(d -> perDay.merge(d, 1L, Long::sum));
        }
        perDay.forEach((d, n) -> runs.add(d + ": " + n + " notices sent"));
        stack.aws.meter().job(name).notes.addAll(runs);
        long gaveUp = stack.world.backlogStore.gaveUp().size();
        return List.of(
                Check.of("every account notified of the new version", owed == 0,
                        notified + " of " + stack.world.accounts + " after " + dispatches + " dispatcher runs"),
                Check.of("no account given up on; every unit dead-lettered on the notice queue listed again from its"
                        + " rescue record, none left (S9.2)", gaveUp == 0 && stack.rescuesPending() == 0,
                        gaveUp + " given up, " + stack.noticeQueue.deadLetters().size() + " dead-lettered, "
                                + stack.rescued(name) + " listed again by the dispatcher, " + stack.rescuesPending()
                                + " rescue records left"),
                Check.of("no notice sent twice (S6.4)", stack.ses.sentTwice() == 0,
                        stack.ses.sentTwice() + " sent twice"),
                Check.of("SES never accepted more than its maximum send rate in any second (S9.3)",
                        stack.ses.maxInAnySecond() <= Math.max(1, (long) stack.ses.maxSendRate()),
                        stack.ses.maxInAnySecond() + " in the busiest second; " + stack.ses.throttled()
                                + " sends throttled and retried"),
                Check.of("SES throttled no send: the schedule keeps the combined rate under its maximum (S9.3)",
                        stack.ses.throttled() == 0, stack.ses.throttled() + " sends throttled and retried"));
    }

    @Override
    public List<Check> targets(RehearsalStack stack, Meter.Job figures) {
        double floorDays = (double) stack.world.accounts / stack.ses.max24HourSend();
        Instant last = stack.ses.lastAccepted() == null ? published : stack.ses.lastAccepted();
        Duration took = Duration.between(published, last);
        double tookDays = took.toSeconds() / 86_400.0;
        boolean done = remaining(stack) == 0;
        return List.of(Check.of(String.format(java.util.Locale.ROOT,
                "the last notice within 1.1 x the quota's floor (%.1f days)", floorDays), done
                && tookDays <= 1.1 * Math.max(floorDays, 1.0 / 24),
                done ? Report.duration(took) : "not finished after " + Report.duration(took)));
    }
}
