package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryClaimRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S7.6 on the in-memory twins: the claims API and the statement service record their events as
 * in production, a crash or a failure leaves them owed, and the sweep drains them.
 */
class OutboxSweepTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant OPENS = Instant.parse("2026-11-09T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration MIN_AGE = Duration.ofMinutes(2);

    /** The Lambda dying mid-request: not an exception the code handles. */
    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    private final SettableClock clock = new SettableClock(OPENS.plusSeconds(3600));
    private final AtomicInteger ids = new AtomicInteger();

    /** What reached the wire, in order. */
    private final List<Claim> vouchers = new ArrayList<>();
    private final List<Statement> statementEvents = new ArrayList<>();
    /** What the requests' ports do: send, crash (the Lambda dies), or fail (an exception). */
    private Runnable requestEvents = () -> { };
    /** What the sweep's ports do before sending; accounts listed here fail. */
    private final Set<String> sweepFailsFor = new HashSet<>();
    private Runnable onSweepSend = () -> { };

    private final StatementService requestStatements = new StatementService(accounts, aggregates,
            new InMemoryMaintenanceWindowRepository(), statements, new InMemoryTermsRepository(DefaultTerms.version()),
            new InMemoryNoticeRepository(), s -> {
                requestEvents.run();
                statementEvents.add(s);
            }, clock);
    private final ClaimService requests = new ClaimService(requestStatements, statements, claims, c -> {
        requestEvents.run();
        vouchers.add(c);
    }, clock, () -> "claim-" + ids.incrementAndGet(), LEASE);

    private OutboxSweep sweep(Duration budget) {
        return new OutboxSweep(statements, s -> {
            onSweepSend.run();
            if (sweepFailsFor.contains(s.accountId())) {
                throw new IllegalStateException("EventBridge refused the entry");
            }
            statementEvents.add(s);
        }, claims, c -> {
            onSweepSend.run();
            if (sweepFailsFor.contains(c.accountId())) {
                throw new IllegalStateException("EventBridge refused the entry");
            }
            vouchers.add(c);
        }, clock, MIN_AGE, LEASE, budget);
    }

    private final OutboxSweep sweep = sweep(Duration.ofMinutes(4));

    /** A compensable October (50 failed intervals: 10%, voucher 100.00 EUR of a 1000.00 fee). */
    private void compensable(String id) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 50; i++) {
            aggregates.add(new IntervalAggregate(id, Instant.ofEpochSecond(start + 300L * (i + 1000)),
                    new IntervalCounts(10, 10, 0, 0)));
        }
    }

    /** A claim whose request dies right after recording it: its statement announced, its voucher not. */
    private Claim claimThenCrash(String id) {
        compensable(id);
        requestStatements.recompute(id, OCT); // the statement and its event, announced
        requestEvents = () -> {
            throw new Crash();
        };
        assertThatThrownBy(() -> requests.submit(id, OCT)).isInstanceOf(Crash.class);
        requestEvents = () -> { };
        return claims.acceptedClaim(id, OCT).orElseThrow();
    }

    @Test
    @DisplayName("S7.6 a claim recorded by a request that died before announcing it is announced by the sweep, once, though the customer never calls again")
    void crashedVoucherAnnounced() {
        Claim claim = claimThenCrash("acme");
        assertThat(vouchers).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        OutboxSweep.Summary first = sweep.run();
        OutboxSweep.Summary second = sweep.run();

        assertThat(vouchers).containsExactly(claim);
        assertThat(first.vouchersSent()).isEqualTo(1);
        assertThat(first.failures()).isEmpty();
        assertThat(second).isEqualTo(new OutboxSweep.Summary(0, 0, 0, 0, List.of()));
        assertThat(claims.leaseVoucherEvent("acme", OCT, clock.instant(), clock.instant().plus(LEASE)))
                .as("nothing owed any more").isFalse();
    }

    @Test
    @DisplayName("S7.6 a compensable revision whose worker died before sending StatementCompensable is announced by the sweep, once")
    void crashedStatementAnnounced() {
        compensable("acme");
        requestEvents = () -> {
            throw new Crash();
        };
        assertThatThrownBy(() -> requestStatements.recompute("acme", OCT)).isInstanceOf(Crash.class);
        requestEvents = () -> { };
        Statement stored = statements.latest("acme", OCT).orElseThrow();
        assertThat(statements.eventPending("acme", OCT, stored.revision())).isTrue();

        clock.advance(Duration.ofMinutes(3));
        OutboxSweep.Summary first = sweep.run();
        OutboxSweep.Summary second = sweep.run();

        assertThat(statementEvents).containsExactly(stored);
        assertThat(first.statementsSent()).isEqualTo(1);
        assertThat(second.statementsSent()).isZero();
        assertThat(statements.eventPending("acme", OCT, stored.revision())).isFalse();
        assertThat(requestStatements.recompute("acme", OCT).outcome()).isEqualTo(StatementService.Outcome.UNCHANGED);
        assertThat(statementEvents).as("the next recomputation owes nothing either").hasSize(1);
    }

    @Test
    @DisplayName("S7.6 (issue 27 item 7) only an account-month's latest revision is announced: a compensable revision"
            + " superseded before its event went out is dropped from the outbox, not sent")
    void supersededRevisionDropped() {
        compensable("acme");
        requestEvents = () -> {
            throw new Crash();
        };
        assertThatThrownBy(() -> requestStatements.recompute("acme", OCT)).isInstanceOf(Crash.class);
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100; i++) { // late traffic: a higher tier
            aggregates.add(new IntervalAggregate("acme", Instant.ofEpochSecond(start + 300L * (i + 3000)),
                    new IntervalCounts(10, 10, 0, 0)));
        }
        statements.markStale("acme", OCT);
        assertThatThrownBy(() -> requestStatements.recompute("acme", OCT)).isInstanceOf(Crash.class);
        requestEvents = () -> { };
        assertThat(statements.history("acme", OCT)).hasSize(2);
        assertThat(statements.eventPending("acme", OCT, 1)).isTrue();
        assertThat(statements.eventPending("acme", OCT, 2)).isTrue();

        clock.advance(Duration.ofMinutes(3));
        OutboxSweep.Summary summary = sweep.run();

        assertThat(statementEvents).containsExactly(statements.latest("acme", OCT).orElseThrow());
        assertThat(statementEvents.get(0).revision()).isEqualTo(2);
        assertThat(summary.statementsSent()).isEqualTo(1);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(statements.eventPending("acme", OCT, 1)).isFalse();
        assertThat(statements.eventPending("acme", OCT, 2)).isFalse();
    }

    @Test
    @DisplayName("S7.6 entries younger than the minimum age are left to the request that recorded them")
    void youngEntriesLeft() {
        Claim claim = claimThenCrash("acme");
        compensable("beta");
        requestEvents = () -> {
            throw new Crash();
        };
        assertThatThrownBy(() -> requestStatements.recompute("beta", OCT)).isInstanceOf(Crash.class);
        requestEvents = () -> { };
        int before = statementEvents.size();

        clock.advance(MIN_AGE.minusSeconds(1));
        assertThat(sweep.run()).isEqualTo(new OutboxSweep.Summary(0, 0, 0, 0, List.of()));
        assertThat(vouchers).isEmpty();
        assertThat(statementEvents).hasSize(before);

        clock.advance(Duration.ofSeconds(1));
        assertThat(sweep.run().vouchersSent()).isEqualTo(1);
        assertThat(vouchers).containsExactly(claim);
        assertThat(statementEvents).hasSize(before + 1);
    }

    @Test
    @DisplayName("S7.6 a voucher a request is announcing right now (its lease) is left alone: announced once, by the request")
    void leasedVoucherLeftAlone() {
        Claim claim = claimThenCrash("acme");
        clock.advance(Duration.ofMinutes(5));
        // a new request for the month finds the announcement owed and takes the lease...
        Instant now = clock.instant();
        assertThat(claims.leaseVoucherEvent("acme", OCT, now, now.plus(LEASE))).isTrue();
        // ...while the sweep runs
        clock.advance(Duration.ofSeconds(10));
        OutboxSweep.Summary during = sweep.run();
        assertThat(during.skipped()).isEqualTo(1);
        assertThat(vouchers).isEmpty();
        // the request announces and marks it sent
        vouchers.add(claim);
        claims.markVoucherEventSent("acme", OCT);
        assertThat(sweep.run()).isEqualTo(new OutboxSweep.Summary(0, 0, 0, 0, List.of()));
        assertThat(vouchers).containsExactly(claim);
    }

    @Test
    @DisplayName("S7.6 a request that announces through the claims API (a repeated POST) is not doubled by a later sweep")
    void repeatedRequestThenSweep() {
        Claim claim = claimThenCrash("acme");
        clock.advance(Duration.ofMinutes(1)); // the dead request's lease ran out
        assertThat(requests.submit("acme", OCT).claim()).isEqualTo(claim);
        clock.advance(Duration.ofMinutes(5));
        sweep.run();
        assertThat(vouchers).containsExactly(claim);
    }

    @Test
    @DisplayName("S7.6 a failing entry does not stop the others; it stays owed (its lease given back) and the next sweep sends it")
    void failuresRetriedNextSweep() {
        Claim failing = claimThenCrash("acme");
        Claim other = claimThenCrash("beta");
        compensable("gamma");
        requestEvents = () -> {
            throw new IllegalStateException("EventBridge down"); // the worker's PutEvents fails
        };
        assertThatThrownBy(() -> requestStatements.recompute("gamma", OCT)).isInstanceOf(IllegalStateException.class);
        requestEvents = () -> { };
        Statement gamma = statements.latest("gamma", OCT).orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        sweepFailsFor.add("acme");
        sweepFailsFor.add("gamma");

        OutboxSweep.Summary first = sweep.run();

        assertThat(first.vouchersSent()).isEqualTo(1);
        assertThat(first.failed()).isEqualTo(2);
        assertThat(first.failures()).anySatisfy(f -> assertThat(f).startsWith("VoucherIssued acme 2026-10"))
                .anySatisfy(f -> assertThat(f).startsWith("StatementCompensable gamma 2026-10 revision 1"));
        assertThat(vouchers).containsExactly(other);
        assertThat(claims.leaseVoucherEvent("acme", OCT, clock.instant(), clock.instant().plus(LEASE)))
                .as("the lease was given back: a request may announce at once").isTrue();
        claims.releaseVoucherEvent("acme", OCT);
        assertThat(statements.eventPending("gamma", OCT, 1)).isTrue();

        sweepFailsFor.clear();
        clock.advance(Duration.ofMinutes(5));
        OutboxSweep.Summary second = sweep.run();

        assertThat(second.vouchersSent()).isEqualTo(1);
        assertThat(second.statementsSent()).isEqualTo(1);
        assertThat(second.failures()).isEmpty();
        assertThat(vouchers).containsExactly(other, failing);
        assertThat(statementEvents).endsWith(gamma);
        assertThat(sweep.run()).isEqualTo(new OutboxSweep.Summary(0, 0, 0, 0, List.of()));
    }

    @Test
    @DisplayName("S7.6 entries met after the sweep's time budget are left for the next sweep")
    void budgetDefers() {
        List<Claim> crashed = List.of(claimThenCrash("a1"), claimThenCrash("a2"), claimThenCrash("a3"));
        clock.advance(Duration.ofMinutes(5));
        onSweepSend = () -> clock.advance(Duration.ofMinutes(1)); // each send takes a minute
        OutboxSweep budgeted = sweep(Duration.ofSeconds(90));

        OutboxSweep.Summary first = budgeted.run();
        assertThat(first.vouchersSent()).isEqualTo(2);
        assertThat(first.deferred()).isEqualTo(1);
        OutboxSweep.Summary second = budgeted.run();
        assertThat(second.vouchersSent()).isEqualTo(1);
        assertThat(second.deferred()).isZero();
        assertThat(vouchers).containsExactlyInAnyOrderElementsOf(crashed);
    }
}
