package dev.slaledger.core.usecase;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.port.ClaimRepository;
import dev.slaledger.core.port.ClaimRepository.PendingVoucher;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.StatementRepository.PendingEvent;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.statement.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduled outbox sweep (S7.6): every outbox drains by itself. Lists the {@code VoucherIssued}
 * announcements and {@code StatementCompensable} events still owed for longer than
 * {@code minAge} (no Scan: O(1) requests when nothing is owed), sends each through the same
 * ports as the requests that recorded them, and marks it sent. A request that recorded an event
 * and died before sending it, or whose delivery failed, is thus made good within minutes, even
 * if the customer never calls again.
 *
 * <p>{@code minAge} is at least the longest run of a function that records outbox entries (the
 * statement worker's timeout), so an entry the sweep takes is not one its writer is still about to
 * send. A voucher is announced only under the claim's announcement lease
 * ({@link ClaimRepository#leaseVoucherEvent}), the one the claims API takes: a request
 * announcing it right now keeps it, and a sweep failing to send gives the lease back. A statement
 * event is sent only while its revision still owes it. One failing entry does not stop the
 * others; it stays owed and the next sweep tries it again. Delivery is at least once (a sweep
 * that dies between sending and marking, or a recomputation re-announcing an owed revision at the
 * same moment, sends it again): consumers deduplicate on {@code claimId} (VoucherIssued) and on
 * {@code accountId}, {@code month}, {@code revision} (StatementCompensable). Only an account-month's
 * latest revision is announced: an owed revision that a later one superseded is dropped from the
 * outbox unsent (one more read per owed statement event, issue 27 item 7).
 *
 * <p>Entries met after {@code budget} has run out are left for the next sweep ({@code deferred}),
 * so a backlog (an EventBridge outage at month-end) drains over several runs, each inside its
 * function's timeout.
 */
public final class OutboxSweep {
    /** The statement worker's timeout (2 minutes): no writer of an entry this old is still running. */
    public static final Duration DEFAULT_MIN_AGE = Duration.ofMinutes(2);
    /** The claims API's announcement lease: how long a sweep holds a voucher it is announcing. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /**
     * @param vouchersSent   VoucherIssued events sent and marked
     * @param statementsSent StatementCompensable events sent and marked
     * @param skipped        entries listed but not sent: already sent (the list lags), or a request holds the lease
     * @param deferred       entries left for the next sweep (budget spent)
     * @param failures       one line per entry whose sending failed (it stays owed)
     */
    public record Summary(long vouchersSent, long statementsSent, long skipped, long deferred, List<String> failures) {
        public Summary {
            failures = List.copyOf(failures);
        }

        public long failed() {
            return failures.size();
        }
    }

    private final StatementRepository statements;
    private final StatementEvents statementEvents;
    private final ClaimRepository claims;
    private final VoucherEvents voucherEvents;
    private final Clock clock;
    private final Duration minAge;
    private final Duration lease;
    private final Duration budget;

    public OutboxSweep(StatementRepository statements, StatementEvents statementEvents, ClaimRepository claims,
            VoucherEvents voucherEvents, Clock clock, Duration minAge, Duration lease, Duration budget) {
        this.statements = Objects.requireNonNull(statements);
        this.statementEvents = Objects.requireNonNull(statementEvents);
        this.claims = Objects.requireNonNull(claims);
        this.voucherEvents = Objects.requireNonNull(voucherEvents);
        this.clock = Objects.requireNonNull(clock);
        if (minAge.isNegative() || lease.isNegative() || lease.isZero() || budget.isNegative()) {
            throw new IllegalArgumentException("minAge and budget must be >= 0, lease > 0");
        }
        this.minAge = minAge;
        this.lease = lease;
        this.budget = budget;
    }

    /** One sweep: vouchers first (money promised to a customer), then statement events. */
    public Summary run() {
        Instant start = clock.instant();
        Instant olderThan = start.minus(minAge);
        Instant deadline = start.plus(budget);
        Run run = new Run(deadline);
        claims.forEachPendingVoucherEvent(olderThan, v -> run.entry("VoucherIssued " + v.accountId() + " " + v.month(),
                () -> announceVoucher(v)));
        statements.forEachPendingEvent(olderThan, e -> run.entry("StatementCompensable " + e.accountId() + " "
                + e.month() + " revision " + e.revision(), () -> announceStatement(e)));
        return new Summary(run.vouchers, run.statements, run.skipped, run.deferred, run.failures);
    }

    private enum Sent { VOUCHER, STATEMENT, NOTHING }

    private final class Run {
        private final Instant deadline;
        private long vouchers;
        private long statements;
        private long skipped;
        private long deferred;
        private final List<String> failures = new ArrayList<>();

        Run(Instant deadline) {
            this.deadline = deadline;
        }

        void entry(String what, java.util.function.Supplier<Sent> send) {
            if (clock.instant().isAfter(deadline)) {
                deferred++;
                return;
            }
            try {
                switch (send.get()) {
                    case VOUCHER -> vouchers++;
                    case STATEMENT -> statements++;
                    case NOTHING -> skipped++;
                }
            } catch (RuntimeException e) {
                failures.add(what + ": " + e);
            }
        }
    }

    /** Under the announcement lease, as the claims API announces (ClaimService). */
    private Sent announceVoucher(PendingVoucher pending) {
        Instant now = clock.instant();
        if (!claims.leaseVoucherEvent(pending.accountId(), pending.month(), now, now.plus(lease))) {
            return Sent.NOTHING; // already announced, or a request is announcing it now
        }
        Claim claim;
        try {
            claim = claims.acceptedClaim(pending.accountId(), pending.month()).orElseThrow(
                    () -> new IllegalStateException("an announcement is owed but no accepted claim is recorded"));
            if (claim.decision().issuesVoucher()) {
                voucherEvents.voucherIssued(claim);
            }
        } catch (RuntimeException e) {
            release(pending, e);
            throw e;
        }
        claims.markVoucherEventSent(pending.accountId(), pending.month());
        return claim.decision().issuesVoucher() ? Sent.VOUCHER : Sent.NOTHING; // S5.3: a zero voucher sends nothing
    }

    private void release(PendingVoucher pending, RuntimeException failure) {
        try {
            claims.releaseVoucherEvent(pending.accountId(), pending.month());
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // the lease runs out by itself
        }
    }

    /** As a recomputation announces an owed revision (StatementService), from the stored revision. */
    private Sent announceStatement(PendingEvent pending) {
        if (!statements.eventPending(pending.accountId(), pending.month(), pending.revision())) {
            return Sent.NOTHING; // sent meanwhile
        }
        Optional<Statement> statement = statements.revision(pending.accountId(), pending.month(), pending.revision());
        if (statement.isEmpty()) {
            throw new IllegalStateException("an event is owed but the revision is not stored");
        }
        if (!statement.get().compensable()) {
            statements.markEventSent(pending.accountId(), pending.month(), pending.revision());
            return Sent.NOTHING; // never owed: only compensable revisions are announced
        }
        if (statements.snapshot(pending.accountId(), pending.month()).latestRevision() > pending.revision()) {
            // superseded before it went out: billing learns the account-month from its latest revision only
            statements.markEventSent(pending.accountId(), pending.month(), pending.revision());
            return Sent.NOTHING;
        }
        statementEvents.compensableStatement(statement.get());
        statements.markEventSent(pending.accountId(), pending.month(), pending.revision());
        return Sent.STATEMENT;
    }
}
