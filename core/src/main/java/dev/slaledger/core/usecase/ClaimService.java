package dev.slaledger.core.usecase;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.claim.ClaimPolicy;
import dev.slaledger.core.claim.RefusalReason;
import dev.slaledger.core.port.ClaimRepository;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.statement.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Claims of one account (issue 6): submits a claim for a month (S5.3, S4.4), reads a claim, the
 * account's vouchers and its current statement.
 *
 * <p>Before deciding, a month whose statement is stale (late data) or missing is recomputed with
 * {@link StatementService#recompute}, the code the month-end worker runs. A month that has not
 * ended yet in every time zone is never stored: its claim is decided on a computation that is
 * not kept (it is TOO_EARLY or NO_SERVICE_PERIOD, unless a window opens before the month ends
 * everywhere, in which case the statement is recomputed and stored like any other).
 *
 * <p>Once accepted, a claim stands: later claims of the month return it (S4.4), and its voucher
 * stays what it was decided on even when the statement is revised later (S5.5). Its
 * {@code VoucherIssued} announcement is an outbox on the claim record: owed when recorded, taken
 * under a lease by one request, cleared after delivery; a request that finds it still owed (the
 * announcer died, or delivery failed) announces it.
 */
public final class ClaimService {
    /**
     * How long a refused claim is kept after its decision (issue 15, docs/claims.md "Refused
     * claims expire"): a fixed time, so that no month asked for (9999-12, a month without any
     * service period) keeps one longer; longer than a default claim window (about 7 weeks), so a
     * refusal made while the window could still open or is open can be read back until it closed.
     */
    public static final Duration REFUSED_CLAIM_RETENTION = Duration.ofDays(90);

    /**
     * How long one announcer holds a voucher's {@code VoucherIssued} announcement: longer than a
     * claims API request (25 s), so every path that files claims (the API, the eligibility run
     * of S8.3) uses the same lease and never announces twice at once.
     */
    public static final Duration ANNOUNCE_LEASE = Duration.ofSeconds(30);

    /** The earliest UTC offset in use: a month has ended everywhere once it has ended there. */
    private static final ZoneOffset LAST_ZONE = ZoneOffset.ofHours(-12);

    /** What a submission returned: the claim that stands, and whether this request recorded it. */
    public record Submission(Claim claim, boolean created) {
    }

    /** What a statement read found. */
    public sealed interface StatementLookup permits Found, NoServicePeriod, NotYetComputed {
    }

    public record Found(Statement statement) implements StatementLookup {
    }

    public record NoServicePeriod() implements StatementLookup {
    }

    /** The month has not ended yet: its statement is computed after it ends. */
    public record NotYetComputed() implements StatementLookup {
    }

    /** The claim is accepted but its {@code VoucherIssued} event could not be sent; a retry sends it. */
    public static final class AnnouncementPending extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Claim claim;

        public AnnouncementPending(Claim claim, RuntimeException cause) {
            super("voucher of claim " + claim.claimId() + " is issued but not yet announced", cause);
            this.claim = claim;
        }

        public Claim claim() {
            return claim;
        }
    }

    private final StatementService statementService;
    private final StatementRepository statements;
    private final ClaimRepository claims;
    private final VoucherEvents events;
    private final Clock clock;
    private final Supplier<String> claimIds;
    private final Duration announceLease;

    public ClaimService(StatementService statementService, StatementRepository statements, ClaimRepository claims,
            VoucherEvents events, Clock clock, Supplier<String> claimIds, Duration announceLease) {
        this.statementService = Objects.requireNonNull(statementService);
        this.statements = Objects.requireNonNull(statements);
        this.claims = Objects.requireNonNull(claims);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.claimIds = Objects.requireNonNull(claimIds);
        this.announceLease = Objects.requireNonNull(announceLease);
    }

    /** A claim of {@code accountId} for the service period of {@code month} (S5.3). */
    public Submission submit(String accountId, YearMonth month) {
        Optional<Claim> standing = claims.acceptedClaim(accountId, month);
        if (standing.isPresent()) {
            announceIfOwed(standing.get());
            return new Submission(standing.get(), false);
        }
        Instant now = clock.instant();
        ClaimDecision decision;
        if (!monthOver(month, now)) {
            decision = ClaimPolicy.decide(statementService.compute(accountId, month), now);
            if (!decidedWithoutStatement(decision)) {
                decision = ClaimPolicy.decide(current(accountId, month), now);
            }
        } else {
            decision = ClaimPolicy.decide(current(accountId, month), now);
        }
        Claim claim = new Claim(claimIds.get(), accountId, month, now, decision);
        if (!decision.accepted()) {
            claims.recordRefused(claim, refusedClaimExpiry(claim));
            return new Submission(claim, true);
        }
        Claim winner = claims.recordAccepted(claim);
        announceIfOwed(winner);
        return new Submission(winner, winner.claimId().equals(claim.claimId()));
    }

    /** The current statement of the month, recomputed first when stale or missing (issue 6.3). */
    public StatementLookup statement(String accountId, YearMonth month) {
        if (!monthOver(month, clock.instant())) {
            // Not ended everywhere: nothing is stored for it, unless the month-end (in the terms'
            // zone) already stored a statement, which is then kept current like any other (S7.2).
            if (statements.latest(accountId, month).isEmpty()) {
                return new NotYetComputed();
            }
        }
        return current(accountId, month).<StatementLookup>map(Found::new).orElseGet(NoServicePeriod::new);
    }

    /**
     * The claim of the account with this id. A refused claim past its expiry is not found, like
     * an unknown one, whether or not the store has deleted it yet; an accepted claim is always found.
     */
    public Optional<Claim> find(String accountId, String claimId) {
        Instant now = clock.instant();
        return claims.find(accountId, claimId)
                .filter(c -> c.decision().accepted() || now.isBefore(refusedClaimExpiry(c)));
    }

    /** When a refused claim expires: {@link #REFUSED_CLAIM_RETENTION} after its decision. */
    public static Instant refusedClaimExpiry(Claim refused) {
        return refused.requestedAt().plus(REFUSED_CLAIM_RETENTION);
    }

    /** The accepted claims of the account that issued a voucher above zero, newest month first. */
    public List<Claim> vouchers(String accountId) {
        return claims.acceptedClaims(accountId).stream().filter(c -> c.decision().issuesVoucher()).toList();
    }

    /** The statement path claims take (the eligibility batch reads through it, S8). */
    StatementService statementService() {
        return statementService;
    }

    /** S7.2: the statement a decision or a read is made on, recomputed first if stale or missing. */
    private Optional<Statement> current(String accountId, YearMonth month) {
        return statementService.current(accountId, month);
    }

    private static boolean decidedWithoutStatement(ClaimDecision d) {
        return d.reason().map(r -> r == RefusalReason.TOO_EARLY || r == RefusalReason.NO_SERVICE_PERIOD)
                .orElse(false);
    }

    static boolean monthOver(YearMonth month, Instant now) {
        return !now.isBefore(month.plusMonths(1).atDay(1).atStartOfDay(LAST_ZONE).toInstant());
    }

    private void announceIfOwed(Claim claim) {
        if (!claim.decision().issuesVoucher()) {
            return; // S5.3: a zero voucher sends nothing
        }
        Instant now = clock.instant();
        if (!claims.leaseVoucherEvent(claim.accountId(), claim.month(), now, now.plus(announceLease))) {
            return; // already announced, or another request is announcing it now
        }
        try {
            events.voucherIssued(claim);
        } catch (RuntimeException e) {
            claims.releaseVoucherEvent(claim.accountId(), claim.month());
            throw new AnnouncementPending(claim, e);
        }
        claims.markVoucherEventSent(claim.accountId(), claim.month());
    }
}
