package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries.Record;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One run of the notifier (S6.2-S6.4): every account with a current or future term gets one
 * notice per published version (after the original terms) that it has not been sent yet.
 *
 * <p>Per account and version: skip if already SENT, or reserved by a run whose lease has not
 * ended; skip and report if the account has no contact or its address is undeliverable;
 * otherwise render the notice, <em>reserve</em> the delivery (conditional write), send, and
 * <em>complete</em> it with the message id. A refused send is released for the next run; a send
 * whose outcome is unknown keeps its reservation (see docs/notices.md for the guarantee).
 */
public final class NoticeCampaign {
    /** How long a reservation belongs to its attempt; see docs/notices.md ("the guarantee"). */
    public static final Duration DEFAULT_LEASE = Duration.ofHours(48);
    /** The most sends of one version to one account (more than one only after bounces). */
    public static final int MAX_SENDS = 3;
    /** A run stops after this many throttled sends in a row; the rest waits for the next run. */
    public static final int MAX_CONSECUTIVE_THROTTLES = 3;
    /** Each report list keeps this many entries; the counts are exact. */
    public static final int REPORT_SAMPLE = 100;

    public enum Outcome {
        /** Sent now. */
        SENT,
        /** Sent in an earlier run. */
        ALREADY_SENT,
        /** A later version governs every period this one could; not sent. */
        SUPERSEDED,
        /** The account has no contact address yet: reported, sent once it has one. */
        NO_CONTACT,
        /** The address hard-bounced or complained, or the notice bounced {@link #MAX_SENDS} times: reported. */
        UNDELIVERABLE,
        /** Reserved by another attempt whose lease has not ended (being sent, or outcome unknown). */
        IN_PROGRESS,
        /** The provider refused the mail; kept pending for the next run. */
        FAILED,
        /** The provider may have taken the mail; the reservation is kept (reconciled by the provider's events). */
        OUTCOME_UNKNOWN,
        /** Another run reserved it between our read and our write. */
        TAKEN_BY_ANOTHER_RUN,
        /** Not tried: the run stopped (time budget or throttling); pending for the next run. */
        NOT_ATTEMPTED
    }

    /** One account-version that a report lists. */
    public record Entry(String accountId, String version, String detail) {
    }

    /** What a run did. */
    public static final class Report {
        private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        private final Map<Outcome, List<Entry>> entries = new EnumMap<>(Outcome.class);
        private Optional<String> stoppedBecause = Optional.empty();

        void add(Outcome outcome, String accountId, String version, String detail) {
            counts.merge(outcome, 1, Integer::sum);
            List<Entry> list = entries.computeIfAbsent(outcome, o -> new ArrayList<>());
            if (list.size() < REPORT_SAMPLE) {
                list.add(new Entry(accountId, version, detail));
            }
        }

        public int count(Outcome outcome) {
            return counts.getOrDefault(outcome, 0);
        }

        public List<Entry> entries(Outcome outcome) {
            return List.copyOf(entries.getOrDefault(outcome, List.of()));
        }

        public Optional<String> stoppedBecause() {
            return stoppedBecause;
        }

        public Map<Outcome, Integer> counts() {
            return Map.copyOf(counts);
        }
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop(String reason) {
            super(reason, null, false, false);
        }
    }

    private final TermsRepository terms;
    private final AccountRepository accounts;
    private final NoticeDeliveries deliveries;
    private final NoticeRepository notices;
    private final UndeliverableContacts undeliverable;
    private final NoticeMailer mailer;
    private final NoticeRenderer renderer;
    private final Clock clock;
    private final Supplier<String> attemptIds;
    private final Duration lease;

    public NoticeCampaign(TermsRepository terms, AccountRepository accounts, NoticeDeliveries deliveries,
            NoticeRepository notices, UndeliverableContacts undeliverable, NoticeMailer mailer,
            NoticeRenderer renderer, Clock clock, Supplier<String> attemptIds, Duration lease) {
        this.terms = terms;
        this.accounts = accounts;
        this.deliveries = deliveries;
        this.notices = notices;
        this.undeliverable = undeliverable;
        this.mailer = mailer;
        this.renderer = renderer;
        this.clock = clock;
        this.attemptIds = attemptIds;
        this.lease = lease;
    }

    /** @param timeLeft false once the run must stop starting new sends (the Lambda's time budget) */
    public Report run(BooleanSupplier timeLeft) {
        Report report = new Report();
        List<TermsVersion> versions = terms.published();
        if (versions.size() < 2) {
            return report; // only the original terms: nothing to announce
        }
        TermsVersion latest = versions.get(versions.size() - 1);
        LocalDate today = LocalDate.now(clock.withZone(latest.timeZone()));
        int[] throttledInARow = {0};
        try {
            accounts.forEachAccountWithTermOnOrAfter(today,
                    account -> notifyAccount(account, versions, report, timeLeft, throttledInARow));
        } catch (Stop stop) {
            report.stoppedBecause = Optional.of(stop.getMessage());
        }
        return report;
    }

    private void notifyAccount(Account account, List<TermsVersion> versions, Report report, BooleanSupplier timeLeft,
            int[] throttledInARow) {
        Map<String, LocalDate> sent = new java.util.HashMap<>(notices.sentDates(account.accountId()));
        for (int i = 1; i < versions.size(); i++) {
            TermsVersion version = versions.get(i);
            if (supersededForAccount(versions, i, sent)) {
                if (!sent.containsKey(version.version())) {
                    report.add(Outcome.SUPERSEDED, account.accountId(), version.version(), "a later version governs first");
                }
                continue;
            }
            notifyOne(account, versions, i, sent, report, timeLeft, throttledInARow);
        }
    }

    /**
     * S6.3: v_i is pointless for this account when a later version would govern it from the
     * same date or earlier (sent now, or by its recorded notice), since the latest version in
     * force governs a period.
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

    private void notifyOne(Account account, List<TermsVersion> versions, int i, Map<String, LocalDate> sent,
            Report report, BooleanSupplier timeLeft, int[] throttledInARow) {
        TermsVersion version = versions.get(i);
        String accountId = account.accountId();
        Instant now = clock.instant();
        Optional<Record> stored = deliveries.stored(accountId, version.version());
        if (stored.isPresent()) {
            Record r = stored.get();
            if (r.state() == State.SENT) {
                report.add(Outcome.ALREADY_SENT, accountId, version.version(), r.messageId().orElse(""));
                return;
            }
            if (r.state() == State.SENDING && now.isBefore(r.leaseUntil())) {
                report.add(Outcome.IN_PROGRESS, accountId, version.version(), "reserved until " + r.leaseUntil());
                return;
            }
            if (r.state() == State.BOUNCED && r.sends() >= MAX_SENDS) {
                report.add(Outcome.UNDELIVERABLE, accountId, version.version(),
                        "bounced " + r.sends() + " times: " + r.lastError().orElse(""));
                return;
            }
        }
        String email = account.email();
        if (email == null || email.isBlank()) {
            report.add(Outcome.NO_CONTACT, accountId, version.version(), "no contact address");
            return;
        }
        Optional<UndeliverableContacts.Undeliverable> mark = undeliverable.find(email);
        if (mark.isPresent()) {
            report.add(Outcome.UNDELIVERABLE, accountId, version.version(), mark.get().reason());
            return;
        }
        if (!timeLeft.getAsBoolean()) {
            report.add(Outcome.NOT_ATTEMPTED, accountId, version.version(), "time budget");
            throw new Stop("time budget of the invocation is spent; the rest waits for the next run");
        }

        LocalDate today = today(version);
        LocalDate governsFrom = NoticeRules.governsFrom(version, today);
        TermsVersion before = NoticeRules.governing(versions.subList(0, i), sent, governsFrom);
        Mail mail = renderer.render(email, new NoticeRenderer.Notice(accountId, before, version, today, governsFrom,
                NoticeLanguage.of(account.locale())));

        Attempt attempt = new Attempt(accountId, version.version(), attemptIds.get(), email, version.timeZone(), now,
                now.plus(lease));
        if (!deliveries.reserve(attempt, stored)) {
            report.add(Outcome.TAKEN_BY_ANOTHER_RUN, accountId, version.version(), "");
            return;
        }
        String messageId;
        try {
            messageId = mailer.send(mail, Map.of(NoticeMailer.ATTEMPT_TAG, attempt.attemptId()));
        } catch (NoticeMailer.MailNotSent e) {
            deliveries.release(accountId, version.version(), attempt.attemptId(), e.getMessage());
            report.add(Outcome.FAILED, accountId, version.version(), e.getMessage());
            if (e.throttled() && ++throttledInARow[0] >= MAX_CONSECUTIVE_THROTTLES) {
                throw new Stop("the mail provider throttled " + MAX_CONSECUTIVE_THROTTLES
                        + " sends in a row; the rest waits for the next run");
            }
            return;
        } catch (NoticeMailer.MailOutcomeUnknown e) {
            report.add(Outcome.OUTCOME_UNKNOWN, accountId, version.version(), e.getMessage());
            return;
        }
        throttledInARow[0] = 0;
        deliveries.complete(accountId, version.version(), attempt.attemptId(), messageId, clock.instant(), today);
        sent.put(version.version(), today);
        report.add(Outcome.SENT, accountId, version.version(), messageId);
    }

    private LocalDate today(TermsVersion version) {
        return LocalDate.now(clock.withZone(version.timeZone()));
    }
}
