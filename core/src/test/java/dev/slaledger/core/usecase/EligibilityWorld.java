package dev.slaledger.core.usecase;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryClaimRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One account's October 2026 on the core's in-memory ports, with the default terms carrying the
 * given eligibility: the claim path and the eligibility decisions wired as in the functions.
 */
final class EligibilityWorld {
    static final YearMonth OCT = YearMonth.of(2026, 10);
    /** 6th working day of November 2026 (UTC, default terms): the window opens. */
    static final Instant OPENS = Instant.parse("2026-11-09T00:00:00Z");
    static final Instant CLOSES = Instant.parse("2027-01-01T00:00:00Z");

    final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    final InMemoryNoticeRepository notices = new InMemoryNoticeRepository();
    final InMemoryTermsRepository terms;
    final List<Claim> announced = new ArrayList<>();
    final SettableClock clock = new SettableClock(OPENS.minus(Duration.ofDays(3)));
    final StatementService statementService;
    final ClaimService claimService;
    final EligibilityService eligibility;
    private final AtomicInteger ids = new AtomicInteger();
    private int errorIntervals;

    EligibilityWorld(Eligibility flags) {
        terms = new InMemoryTermsRepository(DefaultTerms.version().withEligibility(flags));
        statementService = new StatementService(accounts, aggregates, new InMemoryMaintenanceWindowRepository(),
                statements, terms, notices, s -> { }, clock);
        claimService = new ClaimService(statementService, statements, claims, announced::add, clock,
                () -> "claim-" + ids.incrementAndGet(), Duration.ofSeconds(30));
        eligibility = new EligibilityService(claimService, claims, terms, accounts, notices, clock);
    }

    /** The account {@code id} with a term over Oct-Dec 2026 and October's fee. */
    void account(String id, String fee) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of(fee, "0.00", "EUR"))));
        statements.markStale(id, OCT);
    }

    /** {@code n} more fully failed intervals in October (each lowers availability), marked as late data. */
    void moreErrors(String id, int n) {
        long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < n; i++) {
            aggregates.add(new IntervalAggregate(id, Instant.ofEpochSecond(start + 300L * (errorIntervals++ + 1000)),
                    new IntervalCounts(10, 10, 0, 0)));
        }
        statements.markStale(id, OCT);
    }

    /** What the daily run does with a Notify: the notice is recorded as sent (its key). */
    void recordSent(String accountId, String key) {
        Instant now = clock.instant();
        notices.recordSent(new NoticeRepository.Delivery(accountId, key, "m-" + key, now,
                LocalDate.ofInstant(now, ZoneOffset.UTC)));
    }
}
