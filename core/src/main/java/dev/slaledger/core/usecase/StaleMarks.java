package dev.slaledger.core.usecase;

import dev.slaledger.core.billing.ApplyResult;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * S7.1: which account-months a change of an input marks stale. The one policy every producer
 * (accounts function, maintenance-window route) applies after it has stored its change; ingest
 * marks late traffic by the same reading of the terms' zones (its {@code LateData}).
 *
 * <p>A month is marked only while a statement of it may exist and its claim window may still be
 * open: it has ended in the zone of some published version (S1.4; the earliest such end), and the
 * latest close any published terms version allows (the end of month
 * {@code M + closesMonthsAfterPeriodEnd} in the latest zone, UTC-12) has not passed. The second
 * bound over-marks by a day at most, never misses: a mark on a month that needs none costs one
 * recomputation that changes nothing. (The first used to be UTC+14 whatever the terms, which
 * marked every change of a month's last 14 hours UTC before its month-end: issue 27.)
 *
 * <p>Every mark carries its cause (S9.7): the kind of change, the id of the event that brought it
 * (a billing event's id, a window's id) and the clock's instant, which the recomputation records
 * on the revision it stores.
 */
public final class StaleMarks {
    /** The earliest zone: a month has ended somewhere once it has ended here. */
    static final ZoneOffset FIRST_ZONE = ZoneOffset.ofHours(14);
    /** The latest zone: a window has closed everywhere once it has closed here. */
    static final ZoneOffset LAST_ZONE = ZoneOffset.ofHours(-12);

    private final StalenessMarker marker;
    private final TermsRepository terms;
    private final Clock clock;

    public StaleMarks(StalenessMarker marker, TermsRepository terms, Clock clock) {
        this.marker = marker;
        this.terms = terms;
        this.clock = clock;
    }

    /**
     * Whether {@code month} may hold a statement whose claim window may be open at {@code now}, in
     * any zone a month can be taken in (UTC+14 ends it first).
     */
    public static boolean markable(YearMonth month, Instant now, int closesMonthsAfterPeriodEnd) {
        return markable(month, now, closesMonthsAfterPeriodEnd, List.of());
    }

    /**
     * {@link #markable(YearMonth, Instant, int)} for terms in {@code zones} (the published versions'
     * zones, S1.4): the month has ended in one of them; none given, in UTC+14.
     */
    public static boolean markable(YearMonth month, Instant now, int closesMonthsAfterPeriodEnd,
            Collection<ZoneId> zones) {
        LocalDate next = month.plusMonths(1).atDay(1);
        boolean ended = zones.isEmpty() ? !now.isBefore(next.atStartOfDay(FIRST_ZONE).toInstant())
                : zones.stream().anyMatch(zone -> !now.isBefore(next.atStartOfDay(zone).toInstant()));
        boolean mayBeOpen = now.isBefore(month.plusMonths(closesMonthsAfterPeriodEnd + 1L).atDay(1)
                .atStartOfDay(LAST_ZONE).toInstant());
        return ended && mayBeOpen;
    }

    /** The longest claim period of any published version (the default terms' when none is). */
    static int longestClaimPeriod(List<TermsVersion> published) {
        return published.stream().mapToInt(v -> v.claim().closesMonthsAfterPeriodEnd()).max()
                .orElse(dev.slaledger.core.terms.DefaultTerms.version().claim().closesMonthsAfterPeriodEnd());
    }

    /** Every markable month now, oldest first: at most {@code closesMonthsAfterPeriodEnd + 1} of them. */
    public List<YearMonth> markableMonths() {
        Instant now = clock.instant();
        List<TermsVersion> published = terms.published();
        int k = longestClaimPeriod(published);
        List<ZoneId> zones = published.stream().map(TermsVersion::timeZone).distinct().toList();
        List<YearMonth> months = new ArrayList<>();
        YearMonth newest = YearMonth.from(now.atOffset(FIRST_ZONE));
        for (YearMonth m = newest.minusMonths(k + 1L); !m.isAfter(newest); m = m.plusMonths(1)) {
            if (markable(m, now, k, zones)) {
                months.add(m);
            }
        }
        return months;
    }

    /** A fee was assessed or corrected for {@code month} (FeeAssessed applied or redelivered). */
    public List<YearMonth> feeChanged(String accountId, YearMonth month) {
        return feeChanged(accountId, month, null);
    }

    /**
     * {@link #feeChanged(String, YearMonth)} by the billing event {@code eventId}. Recorded as
     * {@code fee-assessed}; the recomputation calls it {@code fee-corrected} when the statement it
     * revises already had a fee.
     */
    public List<YearMonth> feeChanged(String accountId, YearMonth month, String eventId) {
        List<YearMonth> marked = markableMonths().contains(month) ? List.of(month) : List.of();
        RevisionCause cause = cause(RevisionCause.Kind.FEE_ASSESSED, eventId);
        marked.forEach(m -> marker.markStale(accountId, m, cause));
        return marked;
    }

    private RevisionCause cause(RevisionCause.Kind kind, String eventId) {
        return RevisionCause.of(kind, eventId, clock.instant());
    }

    /**
     * A subscription changed from {@code before} to {@code after} (either empty when there was no
     * term or is none now): every markable month that either term touches may have changed its
     * covered days (S1.2).
     */
    public List<YearMonth> coverageChanged(String accountId, Optional<Term> before, Optional<Term> after) {
        return coverageChanged(accountId, before, after, null);
    }

    /** {@link #coverageChanged(String, Optional, Optional)} by the billing event {@code eventId}. */
    public List<YearMonth> coverageChanged(String accountId, Optional<Term> before, Optional<Term> after,
            String eventId) {
        RevisionCause cause = cause(RevisionCause.Kind.SUBSCRIPTION_CHANGED, eventId);
        Set<YearMonth> touched = new TreeSet<>();
        for (YearMonth m : markableMonths()) {
            if (touches(before, m) || touches(after, m)) {
                touched.add(m);
            }
        }
        touched.forEach(m -> marker.markStale(accountId, m, cause));
        return List.copyOf(touched);
    }

    /**
     * Something of the account changed whose effect on each month is not known here (a contact
     * change, which can change who was notified and so S6.3 governance; a redelivered event whose
     * previous state is gone): every markable month.
     */
    public List<YearMonth> accountChanged(String accountId) {
        return accountChanged(accountId, RevisionCause.Kind.UNRECORDED, null);
    }

    private List<YearMonth> accountChanged(String accountId, RevisionCause.Kind kind, String eventId) {
        RevisionCause cause = cause(kind, eventId);
        List<YearMonth> months = markableMonths();
        months.forEach(m -> marker.markStale(accountId, m, cause));
        return months;
    }

    /**
     * The account's contact changed: who was notified of a terms change, and so which version
     * governs a period (S6.3), can change, so every markable month is marked; with a single
     * published version nothing depends on notices (the original terms bind everyone), and
     * nothing is marked.
     */
    public List<YearMonth> contactChanged(String accountId) {
        return contactChanged(accountId, null);
    }

    /** {@link #contactChanged(String)} by the billing event {@code eventId}: a {@code terms-governance} cause. */
    public List<YearMonth> contactChanged(String accountId, String eventId) {
        return terms.published().size() > 1 ? accountChanged(accountId, RevisionCause.Kind.TERMS_GOVERNANCE, eventId)
                : List.of();
    }

    /**
     * A maintenance window was recorded, changed or withdrawn (S2.4 applies windows when
     * statements are computed): for each of its versions (the stored one it replaces, if any,
     * and the new one), every markable month it overlaps in any zone is marked for the accounts
     * it lists, or as a whole month when it covers all accounts.
     */
    public List<YearMonth> windowChanged(Optional<MaintenanceWindow> before, Optional<MaintenanceWindow> after) {
        Set<YearMonth> marked = new TreeSet<>();
        List<YearMonth> markable = markableMonths();
        RevisionCause cause = cause(before.isEmpty() ? RevisionCause.Kind.WINDOW_RECORDED
                : after.isEmpty() ? RevisionCause.Kind.WINDOW_WITHDRAWN : RevisionCause.Kind.WINDOW_CHANGED,
                after.or(() -> before).map(MaintenanceWindow::id).orElse(null));
        Set<YearMonth> wholeMonths = new TreeSet<>();
        Set<java.util.Map.Entry<String, YearMonth>> accountMonths = new java.util.LinkedHashSet<>();
        for (Optional<MaintenanceWindow> version : List.of(before, after)) {
            if (version.isEmpty()) {
                continue;
            }
            MaintenanceWindow w = version.get();
            for (YearMonth m : markable) {
                if (!overlaps(w, m)) {
                    continue;
                }
                marked.add(m);
                if (w.accounts().isEmpty()) {
                    wholeMonths.add(m);
                } else {
                    w.accounts().get().forEach(a -> accountMonths.add(java.util.Map.entry(a, m)));
                }
            }
        }
        // each once, though both versions cover it: one change, one mark, one cause (S9.7)
        wholeMonths.forEach(m -> marker.markMonthStale(m, cause));
        accountMonths.forEach(am -> marker.markStale(am.getKey(), am.getValue(), cause));
        return List.copyOf(marked);
    }

    /**
     * A billing event was stored ({@code APPLIED}) or found already stored ({@code REPLAY}: a
     * redelivery, whose first delivery may have died before marking): marks what it can change.
     * A fee: its month. A subscription: every month its old or new term touches; on a replay the
     * old term is gone, so every open month of the account. A contact change:
     * {@link #contactChanged}. An older version ({@code STALE}) changed nothing and marks nothing.
     *
     * @return the months marked
     */
    public List<YearMonth> billingEventApplied(BillingEvent event, ApplyResult result) {
        if (result.outcome() == ApplyResult.Outcome.STALE) {
            return List.of();
        }
        boolean redelivered = result.outcome() == ApplyResult.Outcome.REPLAY;
        String id = event.eventId();
        return switch (event) {
            case FeeAssessed f -> feeChanged(f.accountId(), f.month(), id);
            case SubscriptionPurchased p -> redelivered
                    ? accountChanged(p.accountId(), RevisionCause.Kind.SUBSCRIPTION_CHANGED, id)
                    : coverageChanged(p.accountId(), result.replacedTerm(), Optional.of(p.term()), id);
            case SubscriptionEnded e -> redelivered
                    ? accountChanged(e.accountId(), RevisionCause.Kind.SUBSCRIPTION_CHANGED, id)
                    : coverageChanged(e.accountId(), result.replacedTerm(), e.term(), id);
            case ContactChanged c -> contactChanged(c.accountId(), id);
        };
    }

    private static boolean touches(Optional<Term> term, YearMonth m) {
        return term.map(t -> !t.start().isAfter(m.atEndOfMonth()) && !t.end().isBefore(m.atDay(1))).orElse(false);
    }

    /** The window overlaps month {@code m} taken in some zone (UTC+14 .. UTC-12). */
    static boolean overlaps(MaintenanceWindow w, YearMonth m) {
        Instant from = m.atDay(1).atStartOfDay(FIRST_ZONE).toInstant();
        Instant to = m.plusMonths(1).atDay(1).atStartOfDay(LAST_ZONE).toInstant();
        return w.start().isBefore(to) && w.end().isAfter(from);
    }
}
