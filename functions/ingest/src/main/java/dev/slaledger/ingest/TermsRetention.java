package dev.slaledger.ingest;

import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.traffic.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Ingest's retention (S7.4), derived from the published terms ({@link Retention#fromTerms}: the
 * longest {@code closesMonthsAfterPeriodEnd}, the default terms as a floor), read from the
 * Ledger table once per container and again when the value is older than {@link #REREAD_AFTER}.
 *
 * <p>Why a cache is enough: a version published later governs only service periods that start
 * at least its {@code noticeDays} after publication (S6.1, S6.3), and traffic of those periods
 * cannot arrive before they start; a container re-reads within the hour. Until then it keeps the
 * longest claim period it knew, never shorter than the default terms'. (Only a version published
 * with {@code noticeDays} 0 and a longer claim period could govern traffic a container stamps in
 * that hour with the shorter retention.)
 *
 * <p>{@link #refresh} is called once per batch: a first read that fails throws (the batch is
 * redelivered, it is transient); a later re-read that fails keeps the value read before and is
 * tried again on the next batch. {@link #current} never reads.
 */
public final class TermsRetention {
    static final Duration REREAD_AFTER = Duration.ofHours(1);

    private final TermsRepository terms;
    private final Duration margin;
    private final Clock clock;
    private Retention current;
    private Instant readAt;

    public TermsRetention(TermsRepository terms, Duration margin, Clock clock) {
        this.terms = Objects.requireNonNull(terms);
        this.margin = Objects.requireNonNull(margin);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The retention, read from the terms if never read or read more than an hour ago. */
    public synchronized Retention refresh() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(readAt.plus(REREAD_AFTER))) {
            try {
                current = Retention.fromTerms(terms.published(), margin);
                readAt = now;
            } catch (RuntimeException e) {
                if (current == null) {
                    throw e;
                }
                // keep the one read before; try again with the next batch
            }
        }
        return current;
    }

    /** The retention last read ({@link #refresh} if none was yet). */
    public synchronized Retention current() {
        return current != null ? current : refresh();
    }
}
