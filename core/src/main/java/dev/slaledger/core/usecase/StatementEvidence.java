package dev.slaledger.core.usecase;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.evidence.EvidenceCalculator;
import dev.slaledger.core.evidence.IntervalEvidence;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.traffic.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a statement is what it is, read-only (S9.6, S9.7): the intervals that count against it and
 * those whose errors were excluded, a page at a time; and its revisions with their causes and what
 * each changed. Nothing here writes: a stale statement is not recomputed (its page says it is not
 * up to date), a missing one is not computed.
 *
 * <p>The evidence of a statement is taken on the statement's own basis: its covered days
 * ({@code periodDays}) in the zone of its terms version, the maintenance windows as they stand, and
 * the aggregates read with the statement worker's Query ({@link AggregateRepository#load}), one day
 * of the period per request. While the statement is up to date (not stale) the listed rates sum
 * exactly to its {@code errorRateSum} (S3.2; {@code EvidenceProperties}).
 */
public final class StatementEvidence {
    /** Intervals per page unless asked otherwise (a day). */
    public static final int DEFAULT_LIMIT = 288;
    /** The most intervals one page lists. */
    public static final int MAX_LIMIT = 1000;
    /** How much of the period one aggregate Query reads. */
    static final long CHUNK_SECONDS = 24 * 3600;

    /** What a read found. */
    public sealed interface Lookup permits IntervalsPage, Revisions, NoServicePeriod, NotYetComputed, Expired {
    }

    /**
     * One page of the evidence.
     *
     * @param upToDate whether the statement is current (no stale mark): the listed rates then sum to
     *                 its {@code errorRateSum}; otherwise they are those of the next revision's inputs
     * @param next     where the next page starts (an interval start), empty on the last page
     */
    public record IntervalsPage(Statement statement, ZoneId zone, boolean upToDate, List<IntervalEvidence> counted,
            List<IntervalEvidence> excluded, Optional<Instant> next) implements Lookup {
    }

    /** Every revision, oldest first, each with what changed against the one before (none for the first). */
    public record Revisions(List<Revision> revisions) implements Lookup {
    }

    public record Revision(Statement statement, List<Change> changes) {
    }

    /** A field of S9.7 that changed: {@code availability}, {@code compensationPercent}, {@code base}, {@code voucherAmount}. */
    public record Change(String field, String from, String to) {
    }

    public record NoServicePeriod() implements Lookup {
    }

    /** The account has a service period in the month, but no statement yet (the month has not ended). */
    public record NotYetComputed() implements Lookup {
    }

    /** The month's aggregates are past their retention (S7.4): gone, or may be gone, since {@code expiredAt}. */
    public record Expired(Instant expiredAt) implements Lookup {
    }

    /** A cursor that is no interval start of the statement's period. */
    public static final class InvalidCursor extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidCursor(String message) {
            super(message);
        }
    }

    private final AccountRepository accounts;
    private final AggregateRepository aggregates;
    private final MaintenanceWindowRepository maintenance;
    private final StatementRepository statements;
    private final TermsRepository terms;
    private final Clock clock;
    private final Duration retentionMargin;

    /**
     * @param retentionMargin ingest's margin after the claim windows (S7.4, {@code RETENTION_MARGIN_DAYS}):
     *                        the aggregates of a month are kept until {@link Retention#keepUntil}
     */
    public StatementEvidence(AccountRepository accounts, AggregateRepository aggregates,
            MaintenanceWindowRepository maintenance, StatementRepository statements, TermsRepository terms,
            Clock clock, Duration retentionMargin) {
        this.accounts = Objects.requireNonNull(accounts);
        this.aggregates = Objects.requireNonNull(aggregates);
        this.maintenance = Objects.requireNonNull(maintenance);
        this.statements = Objects.requireNonNull(statements);
        this.terms = Objects.requireNonNull(terms);
        this.clock = Objects.requireNonNull(clock);
        this.retentionMargin = Objects.requireNonNull(retentionMargin);
    }

    /**
     * A page of the intervals behind the latest statement of the account-month (S9.6), from
     * {@code cursor} (an interval start; empty: the period's first) up to {@code limit} intervals.
     *
     * @throws InvalidCursor when the cursor is no interval start inside the period
     */
    public Lookup intervals(String accountId, YearMonth month, Optional<Instant> cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
        StatementRepository.Snapshot snapshot = statements.snapshot(accountId, month);
        if (snapshot.latest().isEmpty()) {
            return missing(accountId, month);
        }
        List<TermsVersion> published = terms.published();
        Instant expiry = Retention.fromTerms(published, retentionMargin).keepUntil(month);
        if (!clock.instant().isBefore(expiry)) {
            return new Expired(expiry);
        }
        Statement statement = snapshot.latest().get();
        boolean upToDate = !snapshot.stale(statements.monthMark(month));
        ZoneId zone = published.stream().filter(v -> v.version().equals(statement.termsVersion())).findFirst()
                .orElse(published.get(0)).timeZone();
        long[] bounds = new ServicePeriod(month, statement.periodDays()).epochSecondBounds(zone);
        long from = bounds[0];
        if (cursor.isPresent()) {
            from = cursor.get().getEpochSecond();
            if (!Intervals.isIntervalStart(cursor.get()) || !inPeriod(bounds, from)) {
                throw new InvalidCursor("the cursor " + cursor.get() + " is no interval start of the service period");
            }
        }
        List<MaintenanceWindow> windows = windows(month);
        List<IntervalEvidence> counted = new ArrayList<>();
        List<IntervalEvidence> excluded = new ArrayList<>();
        int taken = 0;
        for (int b = 0; b < bounds.length; b += 2) {
            long rangeEnd = bounds[b + 1];
            for (long chunk = Math.max(bounds[b], from); chunk < rangeEnd; chunk += CHUNK_SECONDS) {
                long chunkEnd = Math.min(rangeEnd, chunk + CHUNK_SECONDS);
                List<IntervalEvidence> found = new ArrayList<>();
                EvidenceCalculator.classify(accountId, bounds, windows, aggregates.load(accountId,
                        Instant.ofEpochSecond(chunk), Instant.ofEpochSecond(chunkEnd)), found::add);
                for (IntervalEvidence iv : found) {
                    if (taken == limit) {
                        return new IntervalsPage(statement, zone, upToDate, counted, excluded, Optional.of(iv.start()));
                    }
                    (iv.counts() ? counted : excluded).add(iv);
                    taken++;
                }
                if (taken == limit) {
                    Optional<Instant> next = nextStart(bounds, chunkEnd);
                    return new IntervalsPage(statement, zone, upToDate, counted, excluded, next);
                }
            }
        }
        return new IntervalsPage(statement, zone, upToDate, counted, excluded, Optional.empty());
    }

    /** The first instant of the period at or after {@code t}, if the period goes on. */
    private static Optional<Instant> nextStart(long[] bounds, long t) {
        for (int b = 0; b < bounds.length; b += 2) {
            if (t < bounds[b + 1]) {
                return Optional.of(Instant.ofEpochSecond(Math.max(t, bounds[b])));
            }
        }
        return Optional.empty();
    }

    private static boolean inPeriod(long[] bounds, long start) {
        for (int b = 0; b < bounds.length; b += 2) {
            if (start >= bounds[b] && start < bounds[b + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Windows overlapping the month in any zone, as the statement service reads them. */
    private List<MaintenanceWindow> windows(YearMonth month) {
        Instant from = month.atDay(1).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return maintenance.overlapping(from, to);
    }

    /**
     * The revisions of the account-month with their causes (S9.7) and, for each after the first, what
     * changed against the one before: availability, tier ({@code compensationPercent}), base, voucher.
     */
    public Lookup revisions(String accountId, YearMonth month) {
        if (statements.latest(accountId, month).isEmpty()) {
            return missing(accountId, month); // none yet, or its latest revision is void (no service period now)
        }
        List<Revision> out = new ArrayList<>();
        Statement previous = null;
        for (Statement s : statements.history(accountId, month)) {
            out.add(new Revision(s, previous == null ? List.of() : changes(previous, s)));
            previous = s;
        }
        return new Revisions(out);
    }

    static List<Change> changes(Statement before, Statement after) {
        List<Change> changes = new ArrayList<>();
        change(changes, "availability", before.availability().toPlainString(), after.availability().toPlainString());
        change(changes, "compensationPercent", before.compensationPercent().toPlainString(),
                after.compensationPercent().toPlainString());
        change(changes, "base", money(before.base()), money(after.base()));
        change(changes, "voucherAmount", money(before.voucherAmount()), money(after.voucherAmount()));
        return changes;
    }

    private static void change(List<Change> changes, String field, String from, String to) {
        if (!Objects.equals(from, to)) {
            changes.add(new Change(field, from, to));
        }
    }

    private static String money(Optional<Money> m) {
        return m.map(Money::toDecimalString).orElse(null);
    }

    private Lookup missing(String accountId, YearMonth month) {
        Optional<Account> account = accounts.find(accountId);
        boolean period = account.isPresent() && ServicePeriod.of(account.get().terms(), month).isPresent();
        return period ? new NotYetComputed() : new NoServicePeriod();
    }
}
