package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeDeliveries.Record;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeWorkQueue;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The notice worker (S6.2-S6.4, S8, S9.2, S9.3): takes one unit of notice work and, account by
 * account, decides what is owed and sends it through {@link NoticeSender}.
 *
 * <ul>
 * <li>{@link NoticeWork.Kind#CHANGE}: the notice of one version (the version's sweep). The account's
 * delivery records are read first (one Query): a notice already sent, reserved or superseded costs
 * that one read; the account is read only when something may be sent.</li>
 * <li>{@link NoticeWork.Kind#ELIGIBILITY}: S8 for one month ({@link EligibilityService#decide} within a
 * batch that shares the terms and the month's mark): an account-month that needs nothing costs its
 * statement read, and its claim read when it could be owed a voucher.</li>
 * <li>{@link NoticeWork.Kind#ACCOUNT}: everything owed to the account (each version's notice, and S8 for
 * every month whose window is open), after billing changed it.</li>
 * </ul>
 *
 * <p>Before every account the time budget is checked, whatever the account turns out to need; when
 * it is spent, the accounts not looked at are handed on as a new unit. An account whose check fails
 * (an exception) does not stop the others: it is handed on alone, one attempt further, and after
 * {@value #MAX_ATTEMPTS} attempts recorded as given up (an alarm watches the count). What may not be
 * sent now (the hour's share used, the provider throttling, a reservation still live, a refusal to
 * retry) is parked in the backlog until it may. Every hand-on and park is written before the unit is
 * acknowledged, so a crash at any point loses nothing; the reservations make a second look send
 * nothing twice.
 */
public final class NoticeWorker {
    /** Attempts of one account's check before it is given up. */
    public static final int MAX_ATTEMPTS = 3;
    /** Delay of a retried account, times its attempt. */
    public static final Duration RETRY_DELAY = Duration.ofMinutes(1);
    /** The reason of a rescue record in the backlog (a unit's last receive, S9.2). */
    public static final String RESCUE = "RESCUE";

    private final TermsRepository terms;
    private final AccountRepository accounts;
    private final NoticeDeliveries deliveries;
    /** Null when this worker sends change notices only (S8 not wired). */
    private final EligibilityService eligibility;
    private final NoticeSender sender;
    private final NoticeRenderer renderer;
    private final EligibilityRenderer eligibilityRenderer;
    private final NoticeWorkQueue queue;
    private final NoticeBacklog backlog;
    private final Clock clock;
    /** The published terms as last read (immutable versions, append-only: the count names the list). */
    private List<TermsVersion> published;

    public NoticeWorker(TermsRepository terms, AccountRepository accounts, NoticeDeliveries deliveries,
            EligibilityService eligibility, NoticeSender sender, NoticeRenderer renderer,
            EligibilityRenderer eligibilityRenderer, NoticeWorkQueue queue, NoticeBacklog backlog, Clock clock) {
        this.terms = terms;
        this.accounts = accounts;
        this.deliveries = deliveries;
        this.eligibility = eligibility;
        this.sender = sender;
        this.renderer = renderer;
        this.eligibilityRenderer = eligibilityRenderer;
        this.queue = queue;
        this.backlog = backlog;
        this.clock = clock;
    }

    /** One invocation (a batch of units): shares the terms read and the deferral of sends. */
    public Invocation invocation(TimeBudget budget) {
        return new Invocation(budget);
    }

    /** Handles one unit in an invocation of its own. */
    public NoticeReport handle(NoticeWork work, TimeBudget budget) {
        return invocation(budget).handle(work);
    }

    /** See {@link #invocation}. */
    public final class Invocation {
        private final TimeBudget budget;
        private final NoticeSender.Deferral deferral = new NoticeSender.Deferral();
        private boolean termsRead;

        private Invocation(TimeBudget budget) {
            this.budget = budget;
        }

        /**
         * S9.2: before the last receive of a message SQS will deliver (the next failure moves it to the
         * dead-letter queue, past every cursor), a rescue record of its work, one attempt further, due when
         * the message's visibility timeout ends, so the dispatcher lists its accounts again, before new
         * work, if this invocation dies or fails. Remove it with {@link #rescued} once the unit's outcome
         * (sends, parks, hand-ons) is written. A rescued unit beyond {@value #MAX_ATTEMPTS} attempts is
         * given up by the dispatcher (recorded, alarmed): nothing is retried forever.
         */
        public NoticeBacklog.Parked rescue(NoticeWork work, Duration visibility, String messageId) {
            return backlog.park(work.retry(work.accountIds()), clock.instant().plus(visibility),
                    RESCUE + ": last receive of message " + messageId);
        }

        /** The unit of {@code rescue} is done: its rescue record goes. */
        public void rescued(NoticeBacklog.Parked rescue) {
            backlog.remove(rescue);
        }

        /** The provider throttled or the hour's share is used: what this invocation defers to. */
        public NoticeSender.Deferral deferral() {
            return deferral;
        }

        /**
         * The terms the unit was listed with: read again only if the unit knows more versions than
         * the last read, or (units from events, which do not say) once per invocation.
         */
        private List<TermsVersion> published(int versions) {
            if (published == null || published.size() < versions || (versions == 0 && !termsRead)) {
                published = terms.published();
                termsRead = true;
            }
            return published;
        }

        public NoticeReport handle(NoticeWork work) {
            NoticeReport report = new NoticeReport();
            List<String> ids = work.accountIds();
            List<String> errors = new ArrayList<>();
            Map<Instant, List<String>> parks = new LinkedHashMap<>();
            Map<Instant, String> parkReasons = new HashMap<>();
            Map<YearMonth, EligibilityService.Batch> batches = new HashMap<>();
            List<TermsVersion> versions = published(work.versions());
            for (int i = 0; i < ids.size(); i++) {
                String accountId = ids.get(i);
                if (budget.exhausted()) {
                    handOn(work, ids.subList(i, ids.size()), report, "time budget");
                    break;
                }
                List<Step> steps;
                try {
                    steps = account(work, accountId, versions, batches);
                } catch (RuntimeException e) {
                    report.add(Outcome.ERROR, accountId, work.campaign(), e.toString());
                    errors.add(accountId);
                    continue;
                }
                boolean handedOn = false;
                for (Step s : steps) {
                    if (s.result().outcome() == Outcome.NOT_ATTEMPTED) {
                        handOn(work, ids.subList(i, ids.size()), report, "time budget (waiting for a send slot)");
                        handedOn = true;
                        break;
                    }
                    report.add(s.result().outcome(), accountId, s.key(), s.result().detail());
                    if (s.result().outcome() == Outcome.GAVE_UP) {
                        backlog.gaveUp(new NoticeBacklog.GaveUp(work.campaign(), accountId, work.attempt(),
                                s.key() + ": " + s.result().detail(), clock.instant()));
                    }
                    s.result().parkUntil().ifPresent(until -> {
                        List<String> parked = parks.computeIfAbsent(until, u -> new ArrayList<>());
                        if (!parked.contains(accountId)) {
                            parked.add(accountId);
                        }
                        parkReasons.putIfAbsent(until, s.result().outcome() + ": " + s.result().detail());
                    });
                }
                if (handedOn) {
                    break;
                }
            }
            parks.forEach((until, parked) -> backlog.park(work.withAccounts(parked), until, parkReasons.get(until)));
            retry(work, errors, report);
            queue.flush();
            return report;
        }

        private void handOn(NoticeWork work, List<String> rest, NoticeReport report, String why) {
            queue.enqueue(work.withAccounts(List.copyOf(rest)));
            for (String id : rest) {
                report.add(Outcome.NOT_ATTEMPTED, id, work.campaign(), why);
            }
            report.stopped(why + ": " + rest.size() + " accounts handed on");
        }

        private void retry(NoticeWork work, List<String> errors, NoticeReport report) {
            if (errors.isEmpty()) {
                return;
            }
            if (work.attempt() < MAX_ATTEMPTS) {
                queue.enqueue(work.retry(errors), RETRY_DELAY.multipliedBy(work.attempt()));
                return;
            }
            for (String id : errors) {
                String error = report.entries(Outcome.ERROR).stream().filter(e -> e.accountId().equals(id))
                        .map(NoticeReport.Entry::detail).findFirst().orElse("failed");
                backlog.gaveUp(new NoticeBacklog.GaveUp(work.campaign(), id, work.attempt(), error, clock.instant()));
                report.add(Outcome.GAVE_UP, id, work.campaign(), "failed " + work.attempt() + " times: " + error);
            }
        }

        private List<Step> account(NoticeWork work, String accountId, List<TermsVersion> versions,
                Map<YearMonth, EligibilityService.Batch> batches) {
            return switch (work.kind()) {
                case CHANGE -> changeNotices(accountId, versions, Optional.of(work.key()), this);
                case ELIGIBILITY -> eligibilityNotices(accountId, YearMonth.parse(work.key()), versions, batches, this);
                case ACCOUNT -> {
                    List<Step> steps = new ArrayList<>(changeNotices(accountId, versions, Optional.empty(), this));
                    if (eligibility != null) {
                        Instant now = clock.instant();
                        for (YearMonth m : candidateMonths(versions)) {
                            if (EligibilityService.mayBeOpen(versions, m, now)) {
                                steps.addAll(eligibilityNotices(accountId, m, versions, batches, this));
                            }
                        }
                    }
                    yield steps;
                }
            };
        }
    }

    /** One decision about one delivery key of an account. */
    private record Step(String key, NoticeSender.Result result) {
    }

    // ------------------------------------------------------------------ change notices (S6.2-S6.4)

    private List<Step> changeNotices(String accountId, List<TermsVersion> versions, Optional<String> only,
            Invocation inv) {
        Map<String, Record> records = byKey(deliveries.records(accountId));
        Map<String, LocalDate> sent = sentDates(records);
        List<Step> steps = new ArrayList<>();
        Optional<Account> account = null;
        for (int i = 1; i < versions.size(); i++) {
            TermsVersion version = versions.get(i);
            if (only.isPresent() && !only.get().equals(version.version())) {
                continue;
            }
            Optional<Record> stored = Optional.ofNullable(records.get(version.version()));
            Optional<NoticeSender.Result> settled = sender.settled(stored);
            if (settled.isPresent()) {
                steps.add(new Step(version.version(), settled.get()));
                continue;
            }
            if (supersededForAccount(versions, i, sent)) {
                steps.add(new Step(version.version(),
                        NoticeSender.Result.of(Outcome.SUPERSEDED, "a later version governs first")));
                continue;
            }
            if (account == null) {
                account = accounts.find(accountId);
            }
            LocalDate today = today(version);
            if (account.isEmpty()) {
                steps.add(new Step(version.version(), NoticeSender.Result.of(Outcome.NOTHING_OWED, "not in the registry")));
                continue;
            }
            if (account.get().terms().stream().map(Term::end).allMatch(end -> end.isBefore(today))) {
                steps.add(new Step(version.version(),
                        NoticeSender.Result.of(Outcome.NOTHING_OWED, "no current or future term")));
                continue;
            }
            Account a = account.get();
            int index = i;
            LocalDate governsFrom = NoticeRules.governsFrom(version, today);
            NoticeSender.Result result = sender.send(a, version.version(), version.timeZone(), stored, email -> {
                TermsVersion before = NoticeRules.governing(versions.subList(0, index), sent, governsFrom);
                return renderer.render(email, new NoticeRenderer.Notice(accountId, before, version, today,
                        governsFrom, NoticeLanguage.of(a.locale())));
            }, inv.deferral, inv.budget);
            if (result.outcome() == Outcome.SENT) {
                sent.put(version.version(), today);
            }
            steps.add(new Step(version.version(), result));
            if (result.outcome() == Outcome.NOT_ATTEMPTED) {
                break;
            }
        }
        if (only.isPresent() && steps.isEmpty()) {
            // the unit names a version this worker does not know (published after the read, or unknown)
            steps.add(new Step(only.get(), NoticeSender.Result.of(Outcome.NOTHING_OWED, "not a published version")));
        }
        return steps;
    }

    /**
     * S6.3: v_i is pointless for this account when a later version would govern it from the same
     * date or earlier (sent now, or by its recorded notice), since the latest version in force
     * governs a period.
     */
    private boolean supersededForAccount(List<TermsVersion> versions, int i, Map<String, LocalDate> sent) {
        TermsVersion v = versions.get(i);
        LocalDate from = NoticeRules.governsFrom(v, today(v));
        for (int j = i + 1; j < versions.size(); j++) {
            TermsVersion later = versions.get(j);
            LocalDate laterSent = sent.getOrDefault(later.version(), today(later));
            if (!NoticeRules.governsFrom(later, laterSent).isAfter(from)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ eligibility notices (S8)

    private List<Step> eligibilityNotices(String accountId, YearMonth month, List<TermsVersion> versions,
            Map<YearMonth, EligibilityService.Batch> batches, Invocation inv) {
        String what = EligibilityService.KEY_PREFIX + month;
        if (eligibility == null) {
            return List.of(new Step(what, NoticeSender.Result.of(Outcome.NOTHING_OWED, "eligibility is not wired")));
        }
        // a StatementCompensable event reaches the queue whatever the terms say (the bus rule cannot see their
        // flags): decided here from the terms already read, without a DynamoDB request
        if (versions.stream().noneMatch(v -> v.eligibility().active())) {
            return List.of(new Step(what, NoticeSender.Result.of(Outcome.NOTHING_OWED,
                    "no published version turns eligibility on (S8.1)")));
        }
        if (!EligibilityService.mayBeOpen(versions, month, clock.instant())) {
            return List.of(new Step(what, NoticeSender.Result.of(Outcome.NOTHING_OWED,
                    "the month's claim window is not open (its sweep decides it when it opens)")));
        }
        EligibilityService.Batch batch = batches.computeIfAbsent(month, m -> eligibility.batch(m, versions));
        Supplier<Map<String, Record>> records = memoize(() -> byKey(deliveries.records(accountId)));
        EligibilityService.Action action = eligibility.decide(accountId, batch, () -> sentDates(records.get()));
        String key;
        TermsVersion terms;
        java.util.function.Function<Account, java.util.function.Function<String, dev.slaledger.core.port.MailSender.Mail>> render;
        if (action instanceof EligibilityService.Notify n) {
            key = n.deliveryKey();
            terms = n.terms();
            render = a -> to -> eligibilityRenderer.render(to, new EligibilityRenderer.Notice(accountId, n.statement(),
                    n.terms(), n.voucher(), Optional.empty(), NoticeLanguage.of(a.locale())));
        } else if (action instanceof EligibilityService.Credited c) {
            key = c.deliveryKey();
            terms = c.terms();
            render = a -> to -> eligibilityRenderer.render(to, new EligibilityRenderer.Notice(accountId, c.statement(),
                    c.terms(), c.claim().decision().voucher().orElseThrow(), Optional.of(c.claim()),
                    NoticeLanguage.of(a.locale())));
        } else {
            return List.of(new Step(what, NoticeSender.Result.of(Outcome.NOTHING_OWED,
                    ((EligibilityService.Nothing) action).why())));
        }
        Optional<Record> stored = Optional.ofNullable(records.get().get(key));
        Optional<NoticeSender.Result> settled = sender.settled(stored);
        if (settled.isPresent()) {
            return List.of(new Step(key, settled.get()));
        }
        Optional<Account> account = accounts.find(accountId);
        if (account.isEmpty()) {
            return List.of(new Step(key, NoticeSender.Result.of(Outcome.NO_CONTACT, "account not in the registry")));
        }
        return List.of(new Step(key, sender.send(account.get(), key, terms.timeZone(), stored,
                render.apply(account.get()), inv.deferral, inv.budget)));
    }

    /**
     * The months whose claim window may be open today (taken in the latest version's zone): from
     * the last month back as far as the longest {@code closesMonthsAfterPeriodEnd} of any version.
     * Newest first.
     */
    public List<YearMonth> candidateMonths(List<TermsVersion> versions) {
        TermsVersion latest = versions.get(versions.size() - 1);
        YearMonth thisMonth = YearMonth.from(LocalDate.now(clock.withZone(latest.timeZone())));
        int back = versions.stream().mapToInt(v -> v.claim().closesMonthsAfterPeriodEnd()).max().orElse(2) + 1;
        List<YearMonth> out = new ArrayList<>();
        for (int i = 1; i <= back; i++) {
            out.add(thisMonth.minusMonths(i));
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private LocalDate today(TermsVersion version) {
        return LocalDate.now(clock.withZone(version.timeZone()));
    }

    private static Map<String, Record> byKey(List<Record> records) {
        Map<String, Record> out = new HashMap<>();
        records.forEach(r -> out.put(r.version(), r));
        return out;
    }

    private static Map<String, LocalDate> sentDates(Map<String, Record> records) {
        Map<String, LocalDate> out = new HashMap<>();
        records.values().stream().filter(r -> r.state() == State.SENT && r.sentOn().isPresent())
                .forEach(r -> out.put(r.version(), r.sentOn().get()));
        return out;
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }
}
