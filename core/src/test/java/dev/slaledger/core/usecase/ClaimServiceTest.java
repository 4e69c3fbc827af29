package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.RefusalReason;
import dev.slaledger.core.money.Money;
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
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClaimServiceTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    /** 6th working day of November 2026 (UTC, default terms). */
    private static final Instant OPENS = Instant.parse("2026-11-09T00:00:00Z");
    private static final Instant CLOSES = Instant.parse("2027-01-01T00:00:00Z");

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    private final List<Claim> announced = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final SettableClock clock = new SettableClock(OPENS.plusSeconds(3600));
    private RuntimeException eventFailure;
    private final StatementService statementService = new StatementService(accounts, aggregates,
            new InMemoryMaintenanceWindowRepository(), statements, new InMemoryTermsRepository(DefaultTerms.version()),
            new InMemoryNoticeRepository(), s -> { }, clock);
    private final ClaimService service = new ClaimService(statementService, statements, claims, c -> {
        if (eventFailure != null) {
            throw eventFailure;
        }
        announced.add(c);
    }, clock, () -> "claim-" + ids.incrementAndGet(), Duration.ofSeconds(30));

    private void account(String id, String fee, String voucherPaid) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of(fee, voucherPaid, "EUR"))));
    }

    /** {@code n} intervals of October with every request failing. */
    private void errors(String id, int n) {
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < n; i++) {
            aggregates.add(new IntervalAggregate(id, Instant.ofEpochSecond(start + 300L * (i + 1000)),
                    new IntervalCounts(10, 10, 0, 0)));
        }
    }

    @Test
    @DisplayName("S5.3 refusals in order: no service period, then too early (opensAt), too late (closedAt), SLA met")
    void refusalOrder() {
        account("acme", "1000.00", "0.00");
        assertThat(service.submit("acme", YearMonth.of(2027, 3)).claim().decision().reason())
                .contains(RefusalReason.NO_SERVICE_PERIOD);
        assertThat(service.submit("nobody", OCT).claim().decision().reason()).contains(RefusalReason.NO_SERVICE_PERIOD);

        clock.set(OPENS.minusSeconds(1));
        Claim early = service.submit("acme", OCT).claim();
        assertThat(early.decision().reason()).contains(RefusalReason.TOO_EARLY);
        assertThat(early.decision().opensAt()).contains(OffsetDateTime.of(2026, 11, 9, 0, 0, 0, 0, ZoneOffset.UTC));

        clock.set(CLOSES);
        Claim late = service.submit("acme", OCT).claim();
        assertThat(late.decision().reason()).contains(RefusalReason.TOO_LATE);
        assertThat(late.decision().closedAt()).contains(OffsetDateTime.of(2027, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));

        clock.set(OPENS);
        assertThat(service.submit("acme", OCT).claim().decision().reason()).contains(RefusalReason.SLA_MET);
        assertThat(announced).isEmpty();
    }

    @Test
    @DisplayName("S5.3 a claim for a month not yet over is too early and stores no statement")
    void monthNotOver() {
        account("acme", "1000.00", "0.00");
        clock.set(Instant.parse("2026-10-20T00:00:00Z"));
        ClaimService.Submission s = service.submit("acme", OCT);
        assertThat(s.created()).isTrue();
        assertThat(s.claim().decision().reason()).contains(RefusalReason.TOO_EARLY);
        assertThat(statements.latest("acme", OCT)).isEmpty();
        assertThat(service.statement("acme", OCT)).isInstanceOf(ClaimService.NotYetComputed.class);
    }

    @Test
    @DisplayName("S4.4/S5.3 an accepted claim stands: repeating it returns it, one voucher, one announcement")
    void acceptedOnce() {
        account("acme", "1000.00", "0.00");
        errors("acme", 50); // A = 1 - 50/8928 = 99.44%: 10%
        ClaimService.Submission first = service.submit("acme", OCT);
        ClaimService.Submission again = service.submit("acme", OCT);
        assertThat(first.created()).isTrue();
        assertThat(first.claim().decision().voucher()).contains(Money.of("100.00", "EUR"));
        assertThat(again.created()).isFalse();
        assertThat(again.claim()).isEqualTo(first.claim());
        assertThat(announced).containsExactly(first.claim());
        assertThat(service.vouchers("acme")).containsExactly(first.claim());
        assertThat(service.find("acme", first.claim().claimId())).contains(first.claim());
        assertThat(service.find("other", first.claim().claimId())).isEmpty();
    }

    @Test
    @DisplayName("S5.3 a TOO_EARLY claim retried inside the window is decided anew")
    void retriedInWindow() {
        account("acme", "1000.00", "0.00");
        errors("acme", 50);
        clock.set(OPENS.minusSeconds(60));
        Claim early = service.submit("acme", OCT).claim();
        clock.set(OPENS);
        Claim accepted = service.submit("acme", OCT).claim();
        assertThat(early.decision().accepted()).isFalse();
        assertThat(accepted.decision().accepted()).isTrue();
        assertThat(accepted.claimId()).isNotEqualTo(early.claimId());
        assertThat(service.find("acme", early.claimId())).contains(early);
    }

    @Test
    @DisplayName("S5.3 a zero voucher (base 0) is accepted at zero and sends nothing to billing")
    void zeroVoucher() {
        account("acme", "100.00", "100.00");
        errors("acme", 50);
        Claim claim = service.submit("acme", OCT).claim();
        assertThat(claim.decision().accepted()).isTrue();
        assertThat(claim.decision().voucher()).contains(Money.of("0.00", "EUR"));
        assertThat(announced).isEmpty();
        assertThat(service.vouchers("acme")).isEmpty();
    }

    @Test
    @DisplayName("issue 6.3/S5.5 a stale statement is recomputed before the claim; a later revision leaves the voucher")
    void staleThenRevised() {
        account("acme", "1000.00", "0.00");
        assertThat(statementService.recompute("acme", OCT).statement().orElseThrow().compensable()).isFalse();
        errors("acme", 50); // late data
        statements.markStale("acme", OCT);
        Claim claim = service.submit("acme", OCT).claim();
        assertThat(claim.decision().accepted()).isTrue();
        assertThat(claim.decision().statementRevision()).contains(2);
        assertThat(statements.staleMark("acme", OCT)).isEmpty();

        errors("acme", 200); // more late data: A = 97.76%, 25% now
        statements.markStale("acme", OCT);
        ClaimService.Found revised = (ClaimService.Found) service.statement("acme", OCT);
        assertThat(revised.statement().revision()).isEqualTo(3);
        assertThat(revised.statement().voucherAmount()).contains(Money.of("250.00", "EUR"));
        Claim again = service.submit("acme", OCT).claim();
        assertThat(again).isEqualTo(claim);
        assertThat(again.decision().voucher()).contains(Money.of("100.00", "EUR"));
    }

    @Test
    @DisplayName("a failed announcement keeps it owed: the claim stands and the next request announces it")
    void announcementRetried() {
        account("acme", "1000.00", "0.00");
        errors("acme", 50);
        eventFailure = new IllegalStateException("EventBridge down");
        assertThatThrownBy(() -> service.submit("acme", OCT)).isInstanceOf(ClaimService.AnnouncementPending.class);
        assertThat(announced).isEmpty();
        eventFailure = null;
        ClaimService.Submission retry = service.submit("acme", OCT);
        assertThat(retry.created()).isFalse();
        assertThat(announced).containsExactly(retry.claim());
        service.submit("acme", OCT);
        assertThat(announced).hasSize(1);
    }

    @Test
    @DisplayName("issue 15 item 1: a refused claim is recorded to expire 90 days after its decision and is not found from then on; an accepted claim never expires")
    void refusedClaimsExpire() {
        account("acme", "1000.00", "0.00");
        errors("acme", 50);
        Instant decided = OPENS.minusSeconds(1);
        clock.set(decided);
        Claim early = service.submit("acme", OCT).claim();
        assertThat(early.decision().reason()).contains(RefusalReason.TOO_EARLY);
        Instant expiry = decided.plus(Duration.ofDays(90));
        assertThat(ClaimService.refusedClaimExpiry(early)).isEqualTo(expiry);
        assertThat(claims.expiresAt(early.claimId())).contains(expiry);

        clock.set(OPENS);
        Claim accepted = service.submit("acme", OCT).claim();
        assertThat(accepted.decision().accepted()).isTrue();
        assertThat(claims.expiresAt(accepted.claimId())).as("accepted: no expiry").isEmpty();

        clock.set(expiry.minusMillis(1));
        assertThat(service.find("acme", early.claimId())).contains(early);
        clock.set(expiry);
        assertThat(service.find("acme", early.claimId())).as("expired, though the store still holds it").isEmpty();
        assertThat(claims.find("acme", early.claimId())).isPresent();
        clock.set(OPENS.plus(Duration.ofDays(3650)));
        assertThat(service.find("acme", accepted.claimId())).contains(accepted);
    }
}
