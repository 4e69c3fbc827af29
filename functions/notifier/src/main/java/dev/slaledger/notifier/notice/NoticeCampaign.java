package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Duration;
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

        Outcome add(Outcome outcome, String accountId, String version, String detail) {
            counts.merge(outcome, 1, Integer::sum);
            List<Entry> list = entries.computeIfAbsent(outcome, o -> new ArrayList<>());
            if (list.size() < REPORT_SAMPLE) {
                list.add(new Entry(accountId, version, detail));
            }
            return outcome;
        }

        void stopped(String reason) {
            stoppedBecause = Optional.of(reason);
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
        NoticeDispatch dispatch = dispatch(timeLeft);
        try {
            accounts.forEachAccountWithTermOnOrAfter(today,
                    account -> notifyAccount(account, versions, report, dispatch));
        } catch (NoticeDispatch.Stop stop) {
            report.stopped(stop.getMessage());
        }
        return report;
    }

    /** A dispatcher on this campaign's deliveries, mailer and lease, for one run. */
    NoticeDispatch dispatch(BooleanSupplier timeLeft) {
        return new NoticeDispatch(deliveries, undeliverable, mailer, clock, attemptIds, lease, timeLeft);
    }

    private void notifyAccount(Account account, List<TermsVersion> versions, Report report,
            NoticeDispatch dispatch) {
        Map<String, LocalDate> sent = new java.util.HashMap<>(notices.sentDates(account.accountId()));
        for (int i = 1; i < versions.size(); i++) {
            TermsVersion version = versions.get(i);
            if (supersededForAccount(versions, i, sent)) {
                if (!sent.containsKey(version.version())) {
                    report.add(Outcome.SUPERSEDED, account.accountId(), version.version(), "a later version governs first");
                }
                continue;
            }
            notifyOne(account, versions, i, sent, report, dispatch);
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
            Report report, NoticeDispatch dispatch) {
        TermsVersion version = versions.get(i);
        LocalDate today = today(version);
        LocalDate governsFrom = NoticeRules.governsFrom(version, today);
        Outcome outcome = dispatch.send(account, version.version(), version.timeZone(), email -> {
            TermsVersion before = NoticeRules.governing(versions.subList(0, i), sent, governsFrom);
            return renderer.render(email, new NoticeRenderer.Notice(account.accountId(), before, version, today,
                    governsFrom, NoticeLanguage.of(account.locale())));
        }, report);
        if (outcome == Outcome.SENT) {
            sent.put(version.version(), today);
        }
    }

    private LocalDate today(TermsVersion version) {
        return LocalDate.now(clock.withZone(version.timeZone()));
    }
}
