package dev.slaledger.notifier.notice;

import dev.slaledger.core.notice.NoticeFeasibility;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.notice.PublicationCheck;
import dev.slaledger.core.port.NotifierTrigger;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsException;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Publishing a new terms version (D5): parse and validate it, refuse it when it takes effect
 * sooner than the notice owed after today (S6.1), or sooner than its notices can all be sent at
 * the current quota with a spare day (S9.4), store it, then start the notifier.
 * The publish date is the clock's date in the new version's time zone (S1.4). A refusal names the
 * earliest effectiveFrom both rules allow.
 */
public final class TermsPublication {
    public sealed interface Result permits Published, Invalid, TooSoon, Infeasible, Duplicate {
    }

    /** Stored. {@code notifierTriggered} is false if the trigger failed: the daily run sends the notices. */
    public record Published(TermsVersion version, LocalDate publishedOn, LocalDate earliestEffectiveFrom,
            boolean notifierTriggered) implements Result {
    }

    /** The document is not a valid terms version (D5). */
    public record Invalid(String field, String value, String message) implements Result {
    }

    /** S6.1 refuses it on this publish date. */
    public record TooSoon(String field, String value, String message, LocalDate publishedOn,
            LocalDate earliestEffectiveFrom) implements Result {
    }

    /**
     * S9.4 refuses it: its {@code notices} cannot all go out at {@code hourCap} an hour at least
     * noticeDays before its effectiveFrom with a spare day. {@code earliestEffectiveFrom} is empty
     * when no date is feasible (the account has no sending quota).
     */
    public record Infeasible(String value, String message, LocalDate publishedOn,
            Optional<LocalDate> earliestEffectiveFrom, long notices, long hourCap, Optional<LocalDate> lastNoticeOn)
            implements Result {
    }

    /** A version with this id is already published. */
    public record Duplicate(String version) implements Result {
    }

    /** Reports a trigger failure without failing the publication (the version is stored by then). */
    public interface TriggerFailures {
        void failed(TermsVersion version, RuntimeException e);
    }

    private final TermsRepository terms;
    private final NotifierTrigger trigger;
    private final Clock clock;
    private final TriggerFailures triggerFailures;
    /** Empty: S9.4 is not checked (a runtime without a sending quota to check against). */
    private final Optional<NoticeCapacity> capacity;

    public TermsPublication(TermsRepository terms, NotifierTrigger trigger, Clock clock,
            TriggerFailures triggerFailures, Optional<NoticeCapacity> capacity) {
        this.terms = terms;
        this.trigger = trigger;
        this.clock = clock;
        this.triggerFailures = triggerFailures;
        this.capacity = capacity;
    }

    /** Without the S9.4 check (tests of S6.1 alone). */
    public TermsPublication(TermsRepository terms, NotifierTrigger trigger, Clock clock,
            TriggerFailures triggerFailures) {
        this(terms, trigger, clock, triggerFailures, Optional.empty());
    }

    public Result publish(String json) {
        TermsVersion candidate;
        try {
            candidate = TermsParser.parse(json == null ? "" : json);
        } catch (TermsException e) {
            return new Invalid(e.field(), e.value(), e.getMessage());
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, candidate.timeZone());
        List<TermsVersion> published = terms.published();
        if (published.stream().anyMatch(v -> v.version().equals(candidate.version()))) {
            return new Duplicate(candidate.version());
        }
        Optional<TermsVersion> current = Optional.of(published.get(published.size() - 1));
        PublicationCheck check = NoticeRules.checkPublication(candidate, current, today);
        Optional<NoticeFeasibility> feasibility = capacity.map(c -> {
            NoticeCapacity.Estimate e = c.estimate(published, now, today);
            int noticeDays = Math.max(candidate.noticeDays(), current.get().noticeDays());
            return NoticeFeasibility.check(candidate.effectiveFrom(), noticeDays, candidate.timeZone(), now,
                    e.notices(), e.plan().hourCap());
        });
        // the earliest date both rules allow (S6.1's alone when S9.4 has no date to give)
        LocalDate earliest = feasibility.flatMap(NoticeFeasibility::earliestEffectiveFrom)
                .filter(d -> d.isAfter(check.earliestEffectiveFrom())).orElse(check.earliestEffectiveFrom());
        if (!check.allowed()) {
            return new TooSoon(check.field().orElse(""), check.value().orElse(""), check.message(), today, earliest);
        }
        if (feasibility.isPresent() && !feasibility.get().feasible()) {
            NoticeFeasibility f = feasibility.get();
            String message = f.earliestEffectiveFrom().isEmpty()
                    ? "the sending quota allows no notice now (" + f.hourCap() + " an hour): " + f.notices()
                            + " notices cannot be sent before any effectiveFrom"
                    : f.notices() + " notices at " + f.hourCap() + " an hour (" + (24 * f.hourCap())
                            + " a day, the SES quota's share) go out until " + f.lastNoticeOn().orElseThrow()
                            + "; with a spare day and " + Math.max(candidate.noticeDays(), current.get().noticeDays())
                            + " days of notice the earliest effectiveFrom is " + f.earliestEffectiveFrom().get();
            return new Infeasible(candidate.effectiveFrom().toString(), message, today,
                    f.earliestEffectiveFrom().map(d -> d.isAfter(earliest) ? d : earliest), f.notices(), f.hourCap(),
                    f.lastNoticeOn());
        }
        if (!terms.publish(candidate)) {
            return new Duplicate(candidate.version());
        }
        boolean triggered = true;
        try {
            trigger.termsPublished(candidate);
        } catch (RuntimeException e) {
            triggered = false;
            triggerFailures.failed(candidate, e);
        }
        return new Published(candidate, today, earliest, triggered);
    }
}
