package dev.slaledger.notifier.notice;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.SendPlan;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeCursors;
import dev.slaledger.core.port.NoticeCursors.Cursor;
import dev.slaledger.core.port.NoticeWorkQueue;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.SendingQuota;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.EligibilityService;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The notice dispatcher (S9.1-S9.3): run hourly by the schedule and right after a publication. It
 * reads the terms and the provider's sending quota once, sets the shared send plan, and pages the
 * work that is owed onto the notice queue, oldest first, each sweep from where its cursor stopped:
 *
 * <ol>
 * <li>parked work that is due (sends deferred by the quota or by throttling, live reservations whose
 * lease ended, refusals to retry);</li>
 * <li>eligibility (S8): for each month whose claim window a version with eligibility on has opened,
 * from {@link #eligibilityStart} after the earliest opening (09:00 of the opening day by default),
 * every account with a service period in the month, once (a cursor per month): the workers decide
 * each cheaply and send what is owed; what becomes owed later comes by the StatementCompensable
 * event;</li>
 * <li>change notices (S6.2): for each published version after the original, every account with a
 * current or future term, once (a cursor per version), as many per run as this hour's share of the
 * quota can send (its later accounts wait for later runs); what becomes owed later (a new account, a
 * new contact) comes by the billing events;</li>
 * <li>once a day, the count of accounts a change would notify (the publication's check reads it, S9.4).</li>
 * </ol>
 *
 * A run stops paging when its time budget is spent (the next run continues from the cursors); a
 * page's units are sent to the queue before the cursor moves past them, so a crash hands some
 * accounts out twice (the workers' reservations make that harmless), never none.
 */
public final class NoticeDispatcher {
    /** Listing entries per page (one cursor write per page). */
    public static final int PAGE = 1000;
    /** Parked units handed back per request. */
    static final int PARKED_PAGE = 100;
    /** Dispatch a little more than the hour's share: some listed accounts turn out to need nothing. */
    static final double MARGIN = 1.05;

    /** What a run did. */
    public record Report(Optional<SendPlan> plan, long hourAllowance, int parkedRequeued,
            Map<String, Long> listed, long units, Optional<Long> audienceCounted, Optional<String> stoppedBecause,
            int rescued, int gaveUp) {
    }

    /** Configured caps below the provider's quota (S9.3). */
    public record Caps(Optional<BigDecimal> maxSendRate, Optional<Long> max24HourSend) {
        public static Caps none() {
            return new Caps(Optional.empty(), Optional.empty());
        }
    }

    private final TermsRepository terms;
    private final AccountRepository accounts;
    private final NoticeCursors cursors;
    private final NoticeBacklog backlog;
    private final NoticeWorkQueue queue;
    private final SendingQuota quota;
    private final SendThrottle throttle;
    private final Caps caps;
    private final boolean eligibilityWired;
    private final Duration eligibilityStart;
    private final int unitSize;
    private final Clock clock;

    /**
     * @param eligibilityWired whether the workers decide S8 (else eligibility sweeps are not listed)
     * @param eligibilityStart how long after a window's earliest opening (00:00 of its day) its sweep starts
     * @param unitSize         accounts per work unit
     */
    public NoticeDispatcher(TermsRepository terms, AccountRepository accounts, NoticeCursors cursors,
            NoticeBacklog backlog, NoticeWorkQueue queue, SendingQuota quota, SendThrottle throttle, Caps caps,
            boolean eligibilityWired, Duration eligibilityStart, int unitSize, Clock clock) {
        if (unitSize < 1) {
            throw new IllegalArgumentException("unitSize must be >= 1");
        }
        this.terms = terms;
        this.accounts = accounts;
        this.cursors = cursors;
        this.backlog = backlog;
        this.queue = queue;
        this.quota = quota;
        this.throttle = throttle;
        this.caps = caps;
        this.eligibilityWired = eligibilityWired;
        this.eligibilityStart = eligibilityStart;
        this.unitSize = unitSize;
        this.clock = clock;
    }

    public Duration eligibilityStart() {
        return eligibilityStart;
    }

    /** The send plan from the quota read now, the caps and our own sends of the last 24 hours. */
    public SendPlan plan(Instant now) {
        SendThrottle.Usage usage = throttle.usage(now);
        return SendPlan.of(quota.read(), caps.maxSendRate(), caps.max24HourSend(), usage.last24Hours(), now);
    }

    public Report run(TimeBudget budget) {
        Instant now = clock.instant();
        List<TermsVersion> published = terms.published();
        SendThrottle.Usage usage = throttle.usage(now);
        SendPlan plan = SendPlan.of(quota.read(), caps.maxSendRate(), caps.max24HourSend(), usage.last24Hours(), now);
        throttle.configure(plan);
        long allowance = (long) Math.ceil(Math.max(0, plan.hourCap() - usage.thisHour()) * MARGIN);
        Map<String, Cursor> byCampaign = new LinkedHashMap<>();
        cursors.all().forEach(c -> byCampaign.put(c.campaign(), c));
        Run run = new Run(budget, published.size());

        allowance -= requeueParked(run, now);
        if (eligibilityWired && published.stream().anyMatch(v -> v.eligibility().active())) {
            for (YearMonth month : candidateMonths(published, now)) {
                Optional<Instant> opens = EligibilityService.earliestOpening(published, month);
                if (opens.isEmpty() || now.isBefore(opens.get().plus(eligibilityStart))
                        || !EligibilityService.mayBeOpen(published, month, now)) {
                    continue;
                }
                String campaign = NoticeWork.Kind.ELIGIBILITY + "#" + month;
                Cursor cursor = byCampaign.getOrDefault(campaign,
                        Cursor.start(campaign, Optional.empty(), 0, now));
                sweep(run, cursor, Long.MAX_VALUE, (after, limit) -> accounts.pageAccountsWithServiceIn(month, after,
                        limit), ids -> NoticeWork.eligibility(month, ids, published.size()));
            }
        }
        Optional<Long> counted = Optional.empty();
        for (int i = 1; i < published.size(); i++) {
            TermsVersion version = published.get(i);
            String campaign = NoticeWork.Kind.CHANGE + "#" + version.version();
            Cursor cursor = byCampaign.get(campaign);
            if (cursor == null) {
                LocalDate from = LocalDate.now(clock.withZone(version.timeZone()));
                long audience = accounts.countTermsOnOrAfter(from);
                counted = Optional.of(audience);
                cursor = Cursor.start(campaign, Optional.of(from), audience, now);
            }
            LocalDate from = cursor.listFrom().orElseThrow();
            allowance -= sweep(run, cursor, allowance,
                    (after, limit) -> accounts.pageAccountsWithTermOnOrAfter(from, after, limit),
                    ids -> NoticeWork.change(version.version(), ids, published.size()));
        }
        counted = countAudience(run, published, counted);
        queue.flush();
        return new Report(Optional.of(plan), Math.max(0, plan.hourCap() - usage.thisHour()), run.parked, run.listed,
                run.units, counted, run.stopped, run.rescued, run.gaveUp);
    }

    private final class Run {
        final TimeBudget budget;
        final int versions;
        final Map<String, Long> listed = new LinkedHashMap<>();
        int parked;
        int rescued;
        int gaveUp;
        long units;
        Optional<String> stopped = Optional.empty();

        Run(TimeBudget budget, int versions) {
            this.budget = budget;
            this.versions = versions;
        }

        boolean stop() {
            if (budget.exhausted()) {
                if (stopped.isEmpty()) {
                    stopped = Optional.of("time budget of the invocation is spent; the next run continues from the"
                            + " cursors");
                }
                return true;
            }
            return false;
        }
    }

    /**
     * Hands due parked work back to the queue; the accounts it holds that may send. A due rescue
     * record is a unit whose last receive died or failed (its message went to the dead-letter queue):
     * it is listed again here, before new work; one beyond {@link NoticeWorker#MAX_ATTEMPTS} attempts is
     * given up instead, each account recorded for the operator (S9.2: bounded, never silent).
     */
    private long requeueParked(Run run, Instant now) {
        long accountsRequeued = 0;
        while (!run.stop()) {
            List<NoticeBacklog.Parked> due = backlog.due(now, PARKED_PAGE);
            if (due.isEmpty()) {
                break;
            }
            for (NoticeBacklog.Parked p : due) {
                if (p.work().attempt() > NoticeWorker.MAX_ATTEMPTS) {
                    for (String id : p.work().accountIds()) {
                        backlog.gaveUp(new NoticeBacklog.GaveUp(p.work().campaign(), id, p.work().attempt() - 1,
                                "its work unit failed " + (p.work().attempt() - 1) + " times (" + p.reason() + ")",
                                now));
                        run.gaveUp++;
                    }
                    continue;
                }
                queue.enqueue(p.work());
                run.units++;
                if (p.reason() != null && p.reason().startsWith(NoticeWorker.RESCUE)) {
                    run.rescued++;
                }
            }
            queue.flush(); // on the queue (or given up) before the backlog forgets them
            for (NoticeBacklog.Parked p : due) {
                backlog.remove(p);
                run.parked++;
                accountsRequeued += p.work().attempt() > NoticeWorker.MAX_ATTEMPTS ? 0 : p.work().accountIds().size();
            }
            if (due.size() < PARKED_PAGE) {
                break;
            }
        }
        return accountsRequeued;
    }

    @FunctionalInterface
    private interface Lister {
        AccountRepository.Page page(Optional<String> after, int limit);
    }

    /**
     * Pages a sweep from its cursor onto the queue, at most {@code allowance} listing entries.
     *
     * @return the entries listed
     */
    private long sweep(Run run, Cursor start, long allowance, Lister lister,
            java.util.function.Function<List<String>, NoticeWork> unit) {
        Cursor cursor = start;
        long listed = 0;
        while (!cursor.done() && listed < allowance && !run.stop()) {
            int limit = (int) Math.min(PAGE, allowance - listed);
            AccountRepository.Page page = lister.page(cursor.position(), limit);
            List<String> ids = page.accountIds();
            for (int from = 0; from < ids.size(); from += unitSize) {
                queue.enqueue(unit.apply(ids.subList(from, Math.min(ids.size(), from + unitSize))));
                run.units++;
            }
            queue.flush(); // on the queue before the cursor moves past them
            Cursor next = cursor.advanced(page.next(), page.entries(), page.next().isEmpty(), clock.instant());
            if (!cursors.save(next)) {
                // another run moved this cursor: it continues the sweep, this one leaves it
                break;
            }
            cursor = new Cursor(next.campaign(), next.listFrom(), next.position(), next.listed(), next.done(),
                    next.audience(), next.startedAt(), next.updatedAt(), next.revision() + 1);
            listed += page.entries();
            run.listed.merge(cursor.campaign(), (long) page.entries(), Long::sum);
        }
        return listed;
    }

    /** Once a day (the latest version's zone): how many accounts a change would notify now (S9.4). */
    private Optional<Long> countAudience(Run run, List<TermsVersion> published, Optional<Long> counted) {
        TermsVersion latest = published.get(published.size() - 1);
        LocalDate today = LocalDate.now(clock.withZone(latest.timeZone()));
        Optional<NoticeCursors.AudienceCount> stored = cursors.audience();
        if (stored.isPresent() && !stored.get().countedOn().isBefore(today)) {
            return counted;
        }
        if (run.stop()) {
            return counted;
        }
        long n = accounts.countTermsOnOrAfter(today);
        cursors.recordAudience(new NoticeCursors.AudienceCount(today, n, clock.instant()));
        return Optional.of(n);
    }

    /** The months whose claim window may be open now (latest version's zone), newest first. */
    static List<YearMonth> candidateMonths(List<TermsVersion> published, Instant now) {
        TermsVersion latest = published.get(published.size() - 1);
        YearMonth thisMonth = YearMonth.from(now.atZone(latest.timeZone()));
        int back = published.stream().mapToInt(v -> v.claim().closesMonthsAfterPeriodEnd()).max().orElse(2) + 1;
        List<YearMonth> out = new ArrayList<>();
        for (int i = 1; i <= back; i++) {
            out.add(thisMonth.minusMonths(i));
        }
        return out;
    }
}
