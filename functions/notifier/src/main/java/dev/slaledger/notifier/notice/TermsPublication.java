package dev.slaledger.notifier.notice;

import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.notice.PublicationCheck;
import dev.slaledger.core.port.NotifierTrigger;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsException;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.LocalDate;

/**
 * Publishing a new terms version (D5): parse and validate it, refuse it when it takes effect
 * sooner than the notice owed after today (S6.1), store it, then start the notifier.
 * The publish date is the clock's date in the new version's time zone (S1.4).
 */
public final class TermsPublication {
    public sealed interface Result permits Published, Invalid, TooSoon, Duplicate {
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

    public TermsPublication(TermsRepository terms, NotifierTrigger trigger, Clock clock,
            TriggerFailures triggerFailures) {
        this.terms = terms;
        this.trigger = trigger;
        this.clock = clock;
        this.triggerFailures = triggerFailures;
    }

    public Result publish(String json) {
        TermsVersion candidate;
        try {
            candidate = TermsParser.parse(json == null ? "" : json);
        } catch (TermsException e) {
            return new Invalid(e.field(), e.value(), e.getMessage());
        }
        LocalDate today = LocalDate.now(clock.withZone(candidate.timeZone()));
        if (terms.published().stream().anyMatch(v -> v.version().equals(candidate.version()))) {
            return new Duplicate(candidate.version());
        }
        PublicationCheck check = NoticeRules.checkPublication(candidate, terms.current(), today);
        if (!check.allowed()) {
            return new TooSoon(check.field().orElse(""), check.value().orElse(""), check.message(), today,
                    check.earliestEffectiveFrom());
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
        return new Published(candidate, today, check.earliestEffectiveFrom(), triggered);
    }
}
