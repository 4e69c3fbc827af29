package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.SendingQuota.Quota;
import dev.slaledger.core.port.memory.FixedSendingQuota;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeBacklog;
import dev.slaledger.core.port.memory.InMemoryNoticeCursors;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryNoticeWorkQueue;
import dev.slaledger.core.port.memory.InMemorySendThrottle;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.EligibilityService;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The notices on the core's in-memory ports, wired as {@code NotifierWiring} wires them, on a
 * simulated clock: a test runs the dispatcher and drains the queue through the worker ({@link #run}),
 * as the hourly schedule and the queue's event source do.
 */
final class NoticeWorld {
    /** A mailer that keeps what it accepts, or fails as scripted. */
    static final class ScriptedMailer implements NoticeMailer {
        final List<Mail> sent = new ArrayList<>();
        final List<Map<String, String>> tags = new ArrayList<>();
        final Deque<RuntimeException> failures = new ArrayDeque<>();
        /** Fails every mail to these addresses so. */
        final Map<String, RuntimeException> failTo = new java.util.HashMap<>();
        int calls;

        @Override
        public synchronized String send(Mail mail, Map<String, String> tags) {
            calls++;
            if (failTo.containsKey(mail.to())) {
                throw failTo.get(mail.to());
            }
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            sent.add(mail);
            this.tags.add(tags);
            return "msg-" + sent.size();
        }

        long sentTo(String address) {
            return sent.stream().filter(m -> m.to().equals(address)).count();
        }
    }

    final SettableClock clock;
    final InMemoryTermsRepository terms;
    final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    /** What the worker reads accounts from (a test may put a faulty one in front). */
    dev.slaledger.core.port.AccountRepository workerAccounts = accounts;
    final InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
    final InMemoryUndeliverableContacts undeliverable = new InMemoryUndeliverableContacts();
    final InMemoryNoticeCursors cursors = new InMemoryNoticeCursors();
    final InMemoryNoticeBacklog backlog = new InMemoryNoticeBacklog();
    final InMemorySendThrottle throttle = new InMemorySendThrottle();
    final FixedSendingQuota quota = FixedSendingQuota.sesDefault();
    final InMemoryNoticeWorkQueue queue;
    final ScriptedMailer mailer = new ScriptedMailer();
    final NoticeRenderer renderer = new NoticeRenderer("the API service");
    private final AtomicInteger ids = new AtomicInteger();
    /** The eligibility decisions the worker takes (null: change notices only). */
    EligibilityService eligibility;
    NoticeDispatcher.Caps caps = NoticeDispatcher.Caps.none();
    int unitSize = 25;

    NoticeWorld(String now) {
        this(now, DefaultTerms.version());
    }

    NoticeWorld(String now, TermsVersion original) {
        clock = new SettableClock(now);
        terms = new InMemoryTermsRepository(original);
        queue = new InMemoryNoticeWorkQueue(clock);
    }

    final dev.slaledger.core.port.memory.InMemoryAggregateRepository aggregates =
            new dev.slaledger.core.port.memory.InMemoryAggregateRepository();
    final dev.slaledger.core.port.memory.InMemoryStatementRepository statements =
            new dev.slaledger.core.port.memory.InMemoryStatementRepository();
    final dev.slaledger.core.port.memory.InMemoryClaimRepository claims =
            new dev.slaledger.core.port.memory.InMemoryClaimRepository();
    final List<dev.slaledger.core.claim.Claim> announced = new ArrayList<>();
    /** The claims API's path (set by {@link #withEligibility}). */
    dev.slaledger.core.usecase.ClaimService claimService;

    /** Wires the eligibility decisions (S8) as the notifier does: the claims API's path on these ports. */
    NoticeWorld withEligibility() {
        dev.slaledger.core.usecase.StatementService statementService = new dev.slaledger.core.usecase.StatementService(
                accounts, aggregates, new dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository(),
                statements, terms, ledger, st -> { }, clock);
        dev.slaledger.core.usecase.ClaimService claimService = new dev.slaledger.core.usecase.ClaimService(
                statementService, statements, claims, announced::add, clock, () -> "claim-" + ids.incrementAndGet(),
                dev.slaledger.core.usecase.ClaimService.ANNOUNCE_LEASE);
        this.claimService = claimService;
        eligibility = new EligibilityService(claimService, claims, terms, accounts, ledger, clock);
        return this;
    }

    NoticeDispatcher dispatcher() {
        return new NoticeDispatcher(terms, accounts, cursors, backlog, queue, quota, throttle, caps,
                eligibility != null, Duration.ofHours(9), unitSize, clock);
    }

    NoticeSender sender() {
        return new NoticeSender(ledger, undeliverable, mailer, throttle, this::sleepUntil, clock,
                () -> "attempt-" + ids.incrementAndGet(), Duration.ofHours(48));
    }

    /** The simulated wait for a send slot: the clock moves to it. */
    synchronized void sleepUntil(java.time.Instant when) {
        if (when.isAfter(clock.instant())) {
            clock.set(when);
        }
    }

    NoticeWorker worker() {
        return new NoticeWorker(terms, workerAccounts, ledger, eligibility, sender(), renderer,
                new EligibilityRenderer(null, null), queue, backlog, clock);
    }

    /** One dispatcher run, then the worker drains what is visible (its report). */
    NoticeReport run() {
        return run(TimeBudget.unlimited());
    }

    NoticeReport run(TimeBudget workerBudget) {
        dispatcher().run(TimeBudget.unlimited());
        return drain(workerBudget);
    }

    /** The worker takes every visible unit, one invocation each. */
    NoticeReport drain(TimeBudget budget) {
        NoticeReport total = new NoticeReport();
        NoticeWorker worker = worker();
        for (Optional<NoticeWork> w = queue.take(); w.isPresent(); w = queue.take()) {
            total.addAll(worker.handle(w.get(), budget));
        }
        return total;
    }

    NoticeReport drain() {
        return drain(TimeBudget.unlimited());
    }

    void quota(String rate, long max24, long sent) {
        quota.set(new Quota(new BigDecimal(rate), max24, sent));
    }

    static Account account(String id, String email, String locale, String start, String end) {
        return new Account(id, email, Optional.ofNullable(locale).map(Locale::forLanguageTag),
                List.of(new Term(LocalDate.parse(start), LocalDate.parse(end))), Map.of());
    }

    void account(String id, String email) {
        accounts.save(account(id, email, null, "2026-01-01", "2027-12-31"));
    }
}
