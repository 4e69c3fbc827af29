package dev.slaledger.core.port.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.Fixtures;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.claim.ClaimPolicy;
import dev.slaledger.core.claim.RefusalReason;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.RateLimiter;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementCalculator;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemoryRepositoriesTest {
    private static final YearMonth MARCH = YearMonth.of(2026, 3);

    private static Statement statement(long failed) {
        Account acme = new Account("acme", "ops@acme.test", Optional.empty(),
                List.of(new Term(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31))),
                Map.of(MARCH, MonthlyFee.of("1000.00", "0.00", "EUR")));
        AccountMonthTraffic traffic = Fixtures.consecutive(MARCH, Fixtures.UTC, Fixtures.rows(failed, 1, 1));
        return StatementCalculator.compute(acme, MARCH, Fixtures.defaults(), traffic, List.of(), Instant.EPOCH)
                .orElseThrow();
    }

    private static Claim accepted(String id, Statement s) {
        return new Claim(id, "acme", MARCH, Instant.parse("2026-04-10T00:00:00Z"), ClaimDecision.accept(s));
    }

    @Test
    @DisplayName("S4.4 S5.3 recording an accepted claim twice returns the first: one voucher per account and period")
    void oneAcceptedClaim() {
        InMemoryClaimRepository claims = new InMemoryClaimRepository();
        Claim first = accepted("c1", statement(100));
        Claim second = accepted("c2", statement(500));
        assertThat(claims.recordAccepted(first)).isSameAs(first);
        assertThat(claims.recordAccepted(second)).isSameAs(first);
        assertThat(claims.acceptedClaim("acme", MARCH)).contains(first);
        assertThat(claims.acceptedClaims("acme")).containsExactly(first);
        assertThat(claims.find("acme", "c2")).isEmpty();
        assertThat(claims.find("other", "c1")).isEmpty();
    }

    @Test
    @DisplayName("S4.4 concurrent accepted claims for one period: exactly one stands")
    void concurrentClaims() throws Exception {
        InMemoryClaimRepository claims = new InMemoryClaimRepository();
        Statement s = statement(100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Claim>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                Claim c = accepted("c" + i, s);
                results.add(pool.submit(() -> claims.recordAccepted(c)));
            }
            Claim standing = claims.acceptedClaim("acme", MARCH).orElseThrow();
            for (Future<Claim> f : results) {
                assertThat(f.get()).isSameAs(standing);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @DisplayName("S5.3 a refused claim is recorded and may be made again, accepted later")
    void refusedThenAccepted() {
        InMemoryClaimRepository claims = new InMemoryClaimRepository();
        Statement s = statement(100);
        ClaimDecision early = ClaimPolicy.decide(Optional.of(s), Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(early.reason()).contains(RefusalReason.TOO_EARLY);
        Claim refused = new Claim("c1", "acme", MARCH, Instant.parse("2026-04-01T00:00:00Z"), early);
        claims.recordRefused(refused, Instant.parse("2026-06-30T00:00:00Z"));
        assertThat(claims.find("acme", "c1")).contains(refused);
        assertThat(claims.expiresAt("c1")).contains(Instant.parse("2026-06-30T00:00:00Z"));
        assertThat(claims.acceptedClaim("acme", MARCH)).isEmpty();
        ClaimDecision retried = ClaimPolicy.decide(Optional.of(s), Instant.parse("2026-04-10T00:00:00Z"));
        assertThat(retried.accepted()).isTrue();
        assertThat(claims.recordAccepted(accepted("c2", s)).claimId()).isEqualTo("c2");
        assertThat(claims.expiresAt("c2")).as("an accepted claim has no expiry").isEmpty();
        assertThatThrownBy(() -> claims.recordRefused(accepted("c3", s), Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> claims.recordAccepted(refused)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("S5.5 statements are kept as revisions; a revision already written is a conflict")
    void statementRevisions() {
        InMemoryStatementRepository statements = new InMemoryStatementRepository();
        Statement first = statement(100);
        Statement late = statement(200).withRevision(2);
        assertThat(statements.saveRevision(first)).isTrue();
        assertThat(statements.saveRevision(statement(150))).as("revision 1 again").isFalse();
        assertThat(statements.saveRevision(late.withRevision(3))).as("skipping revision 2").isFalse();
        assertThat(statements.saveRevision(late)).isTrue();
        assertThat(statements.latest("acme", MARCH)).contains(late);
        assertThat(statements.history("acme", MARCH)).containsExactly(first, late);
        assertThat(first.sameContentAs(statement(100).withRevision(7))).isTrue();
        assertThat(first.sameContentAs(late)).isFalse();
    }

    @Test
    @DisplayName("S5.5 a stale mark is cleared only with its own token")
    void staleMarks() {
        InMemoryStatementRepository statements = new InMemoryStatementRepository();
        statements.markStale("acme", MARCH);
        long mark = statements.staleMark("acme", MARCH).orElseThrow();
        statements.markStale("acme", MARCH);
        statements.clearStale("acme", MARCH, mark);
        assertThat(statements.staleMark("acme", MARCH)).isPresent();
        statements.clearStale("acme", MARCH, statements.staleMark("acme", MARCH).orElseThrow());
        assertThat(statements.staleMark("acme", MARCH)).isEmpty();
    }

    @Test
    @DisplayName("issue 15 item 2: the rate limiter twin grants the limit per account and clock minute; refusals do not count; windows start at whole UTC minutes")
    void rateLimiter() {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(3);
        Instant t = Instant.parse("2026-11-10T08:00:59.999Z");
        assertThat(List.of(limiter.tryAcquire("acme", t), limiter.tryAcquire("acme", t), limiter.tryAcquire("acme", t),
                limiter.tryAcquire("acme", t), limiter.tryAcquire("acme", t))).containsExactly(true, true, true, false, false);
        assertThat(limiter.granted("acme", t)).isEqualTo(3);
        assertThat(limiter.tryAcquire("globex", t)).isTrue();
        assertThat(limiter.tryAcquire("acme", Instant.parse("2026-11-10T08:01:00Z"))).isTrue();
        assertThat(RateLimiter.nextWindow(t)).isEqualTo(Instant.parse("2026-11-10T08:01:00Z"));
        assertThat(RateLimiter.window(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo(-1);
    }
}
