package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.Sleeper;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries.Record;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a notice leaves (S6.4, S8.2/S8.3 notices with it, S9.3): given what is stored for
 * the delivery key, skip it if already SENT or reserved by a live attempt, if the account has no
 * contact or an undeliverable one, or it bounced {@link #MAX_SENDS} times or was refused
 * {@link #MAX_REFUSALS} times; otherwise take a slot of the shared send schedule, render,
 * <em>reserve</em> (conditional write), send tagged with the attempt id, <em>complete</em>. A
 * refused send is released for a later try; a throttled one too, without using a try, and the rest
 * of the invocation defers its sends; a send whose outcome is unknown keeps its reservation
 * (docs/notices.md, "The guarantee"). Nothing is marked sent that the provider did not accept.
 */
public final class NoticeSender {
    /** The most sends of one notice to one account (more than one only after bounces). */
    public static final int MAX_SENDS = 3;
    /** The most refusals of one notice before it is given up (S9.2: bounded, then reported). */
    public static final int MAX_REFUSALS = 3;
    /** How long after a refusal a notice is tried again. */
    public static final Duration REFUSAL_RETRY = Duration.ofHours(1);

    /** What became of one notice; {@code parkUntil} when it is to be looked at again then. */
    public record Result(Outcome outcome, String detail, Optional<Instant> parkUntil) {
        static Result of(Outcome outcome, String detail) {
            return new Result(outcome, detail, Optional.empty());
        }

        static Result parked(Outcome outcome, String detail, Instant until) {
            return new Result(outcome, detail, Optional.of(until));
        }
    }

    /**
     * Shared by the accounts of one invocation: once the provider throttles or pauses, or the hour's
     * share is used, the rest of the invocation sends nothing and parks its sends (S9.3).
     */
    public static final class Deferral {
        private Optional<Instant> until = Optional.empty();
        private String why = "";

        void defer(Instant notBefore, String reason) {
            if (until.isEmpty() || until.get().isBefore(notBefore)) {
                until = Optional.of(notBefore);
                why = reason;
            }
        }

        public Optional<Instant> until() {
            return until;
        }

        public String why() {
            return why;
        }
    }

    private final NoticeDeliveries deliveries;
    private final UndeliverableContacts undeliverable;
    private final NoticeMailer mailer;
    private final SendThrottle throttle;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Supplier<String> attemptIds;
    private final Duration lease;

    public NoticeSender(NoticeDeliveries deliveries, UndeliverableContacts undeliverable, NoticeMailer mailer,
            SendThrottle throttle, Sleeper sleeper, Clock clock, Supplier<String> attemptIds, Duration lease) {
        this.deliveries = deliveries;
        this.undeliverable = undeliverable;
        this.mailer = mailer;
        this.throttle = throttle;
        this.sleeper = sleeper;
        this.clock = clock;
        this.attemptIds = attemptIds;
        this.lease = lease;
    }

    /**
     * What the stored record alone decides, before anything else is read (S9.2: a notice that needs
     * nothing costs the one read that found its record): empty when it may be owed.
     */
    public Optional<Result> settled(Optional<Record> stored) {
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Record r = stored.get();
        Instant now = clock.instant();
        if (r.state() == State.SENT) {
            return Optional.of(Result.of(Outcome.ALREADY_SENT, r.messageId().orElse("")));
        }
        if (r.state() == State.SENDING && now.isBefore(r.leaseUntil())) {
            return Optional.of(Result.parked(Outcome.IN_PROGRESS, "reserved until " + r.leaseUntil(), r.leaseUntil()));
        }
        if (r.state() == State.BOUNCED && r.sends() >= MAX_SENDS) {
            return Optional.of(Result.of(Outcome.UNDELIVERABLE,
                    "bounced " + r.sends() + " times: " + r.lastError().orElse("")));
        }
        if (r.state() == State.RETRY && r.failures() >= MAX_REFUSALS) {
            return Optional.of(Result.of(Outcome.GAVE_UP,
                    "refused " + r.failures() + " times: " + r.lastError().orElse("")));
        }
        return Optional.empty();
    }

    /**
     * Sends the notice {@code key} of the account once, unless {@link #settled} says otherwise.
     *
     * @param zone   the zone the date it is sent on is taken in (S1.4)
     * @param render the mail for an address, rendered only when it is about to be sent
     */
    public Result send(Account account, String key, ZoneId zone, Optional<Record> stored, Function<String, Mail> render,
            Deferral deferral, TimeBudget budget) {
        Optional<Result> settled = settled(stored);
        if (settled.isPresent()) {
            return settled.get();
        }
        String accountId = account.accountId();
        String email = account.email();
        if (email == null || email.isBlank()) {
            return Result.of(Outcome.NO_CONTACT, "no contact address");
        }
        Optional<UndeliverableContacts.Undeliverable> mark = undeliverable.find(email);
        if (mark.isPresent()) {
            return Result.of(Outcome.UNDELIVERABLE, mark.get().reason());
        }
        if (deferral.until().isPresent()) {
            return Result.parked(Outcome.DEFERRED, deferral.why(), deferral.until().get());
        }
        Optional<Result> noSlot = awaitSlot(deferral, budget);
        if (noSlot.isPresent()) {
            return noSlot.get();
        }
        Mail mail = render.apply(email);
        Instant now = clock.instant();
        Attempt attempt = new Attempt(accountId, key, attemptIds.get(), email, zone, now, now.plus(lease));
        if (!deliveries.reserve(attempt, stored)) {
            return Result.of(Outcome.TAKEN_BY_ANOTHER_RUN, "");
        }
        String messageId;
        try {
            messageId = mailer.send(mail, Map.of(NoticeMailer.ATTEMPT_TAG, attempt.attemptId()));
        } catch (NoticeMailer.MailNotSent e) {
            deliveries.release(accountId, key, attempt.attemptId(), e.getMessage(), !e.deferrable());
            if (e.deferrable()) {
                // the next run tries again; this invocation sends nothing more (S9.3)
                deferral.defer(clock.instant(), e.reason() + ": " + e.getMessage());
                return Result.parked(Outcome.DEFERRED, e.getMessage(), clock.instant());
            }
            int refusals = stored.map(Record::failures).orElse(0) + 1;
            if (refusals >= MAX_REFUSALS) {
                return Result.of(Outcome.GAVE_UP, "refused " + refusals + " times: " + e.getMessage());
            }
            return Result.parked(Outcome.FAILED, e.getMessage(), clock.instant().plus(REFUSAL_RETRY));
        } catch (NoticeMailer.MailOutcomeUnknown e) {
            return Result.parked(Outcome.OUTCOME_UNKNOWN, e.getMessage(), attempt.leaseUntil());
        }
        deliveries.complete(accountId, key, attempt.attemptId(), messageId, clock.instant(),
                LocalDate.now(clock.withZone(zone)));
        return Result.of(Outcome.SENT, messageId);
    }

    /** Takes a slot and waits for it; a result when no slot is to be had now. */
    private Optional<Result> awaitSlot(Deferral deferral, TimeBudget budget) {
        while (true) {
            SendThrottle.Answer answer = throttle.acquire(1, clock.instant());
            switch (answer) {
                case SendThrottle.Granted g -> {
                    sleeper.sleepUntil(g.first());
                    return Optional.empty();
                }
                case SendThrottle.Wait w -> {
                    if (budget.exhausted()) {
                        return Optional.of(Result.of(Outcome.NOT_ATTEMPTED, "time budget"));
                    }
                    sleeper.sleepUntil(w.retryAt());
                }
                case SendThrottle.Exhausted x -> {
                    deferral.defer(x.until(), x.why());
                    return Optional.of(Result.parked(Outcome.DEFERRED, x.why(), x.until()));
                }
            }
        }
    }
}
