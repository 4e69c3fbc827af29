package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries.Record;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.notifier.notice.NoticeCampaign.Outcome;
import dev.slaledger.notifier.notice.NoticeCampaign.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a notice leaves (S6.4, and S8.2/S8.3 notices with it): per delivery key, skip it if
 * already SENT or reserved by a live attempt, if the account has no contact or an undeliverable
 * one, or it bounced {@link NoticeCampaign#MAX_SENDS} times; otherwise render, <em>reserve</em>
 * (conditional write), send tagged with the attempt id, <em>complete</em>. A refused send is
 * released for the next run; a send whose outcome is unknown keeps its reservation
 * (docs/notices.md, "The guarantee").
 */
final class NoticeDispatch {
    /** Thrown to stop a run (time budget, throttling); the run reports the reason. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop(String reason) {
            super(reason, null, false, false);
        }
    }

    private final NoticeDeliveries deliveries;
    private final UndeliverableContacts undeliverable;
    private final NoticeMailer mailer;
    private final Clock clock;
    private final Supplier<String> attemptIds;
    private final Duration lease;
    private final BooleanSupplier timeLeft;
    private int throttledInARow;

    NoticeDispatch(NoticeDeliveries deliveries, UndeliverableContacts undeliverable, NoticeMailer mailer, Clock clock,
            Supplier<String> attemptIds, Duration lease, BooleanSupplier timeLeft) {
        this.deliveries = deliveries;
        this.undeliverable = undeliverable;
        this.mailer = mailer;
        this.clock = clock;
        this.attemptIds = attemptIds;
        this.lease = lease;
        this.timeLeft = timeLeft;
    }

    /**
     * Sends the notice {@code key} of the account once.
     *
     * @param zone   the zone the date it is sent on is taken in (S1.4)
     * @param render the mail for an address, rendered only when it is about to be sent
     * @return the outcome, also added to {@code report}
     */
    Outcome send(Account account, String key, ZoneId zone, Function<String, Mail> render, Report report) {
        String accountId = account.accountId();
        Instant now = clock.instant();
        Optional<Record> stored = deliveries.stored(accountId, key);
        if (stored.isPresent()) {
            Record r = stored.get();
            if (r.state() == State.SENT) {
                return report.add(Outcome.ALREADY_SENT, accountId, key, r.messageId().orElse(""));
            }
            if (r.state() == State.SENDING && now.isBefore(r.leaseUntil())) {
                return report.add(Outcome.IN_PROGRESS, accountId, key, "reserved until " + r.leaseUntil());
            }
            if (r.state() == State.BOUNCED && r.sends() >= NoticeCampaign.MAX_SENDS) {
                return report.add(Outcome.UNDELIVERABLE, accountId, key,
                        "bounced " + r.sends() + " times: " + r.lastError().orElse(""));
            }
        }
        String email = account.email();
        if (email == null || email.isBlank()) {
            return report.add(Outcome.NO_CONTACT, accountId, key, "no contact address");
        }
        Optional<UndeliverableContacts.Undeliverable> mark = undeliverable.find(email);
        if (mark.isPresent()) {
            return report.add(Outcome.UNDELIVERABLE, accountId, key, mark.get().reason());
        }
        if (!timeLeft.getAsBoolean()) {
            report.add(Outcome.NOT_ATTEMPTED, accountId, key, "time budget");
            throw new Stop("time budget of the invocation is spent; the rest waits for the next run");
        }
        Mail mail = render.apply(email);
        Attempt attempt = new Attempt(accountId, key, attemptIds.get(), email, zone, now, now.plus(lease));
        if (!deliveries.reserve(attempt, stored)) {
            return report.add(Outcome.TAKEN_BY_ANOTHER_RUN, accountId, key, "");
        }
        String messageId;
        try {
            messageId = mailer.send(mail, Map.of(NoticeMailer.ATTEMPT_TAG, attempt.attemptId()));
        } catch (NoticeMailer.MailNotSent e) {
            deliveries.release(accountId, key, attempt.attemptId(), e.getMessage());
            report.add(Outcome.FAILED, accountId, key, e.getMessage());
            if (e.throttled() && ++throttledInARow >= NoticeCampaign.MAX_CONSECUTIVE_THROTTLES) {
                throw new Stop("the mail provider throttled " + NoticeCampaign.MAX_CONSECUTIVE_THROTTLES
                        + " sends in a row; the rest waits for the next run");
            }
            return Outcome.FAILED;
        } catch (NoticeMailer.MailOutcomeUnknown e) {
            return report.add(Outcome.OUTCOME_UNKNOWN, accountId, key, e.getMessage());
        }
        throttledInARow = 0;
        deliveries.complete(accountId, key, attempt.attemptId(), messageId, clock.instant(),
                LocalDate.now(clock.withZone(zone)));
        return report.add(Outcome.SENT, accountId, key, messageId);
    }
}
