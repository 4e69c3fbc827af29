package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryClaimRepository;
import dev.slaledger.core.port.memory.InMemoryIdempotencyStore;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryRateLimiter;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.StatementEvidence;
import dev.slaledger.core.usecase.StatementService;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The claims handler on the core's in-memory twins (fast tests, the fuzz test). Default terms
 * (UTC): the window of October 2026 opens 2026-11-09T00:00Z and closes 2027-01-01T00:00Z.
 */
final class InMemoryClaims {
    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final Instant IN_WINDOW = Instant.parse("2026-11-10T08:00:00Z");

    final SettableClock clock = new SettableClock(IN_WINDOW);
    final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    final InMemoryRateLimiter rateLimiter;
    final List<Claim> announced = new CopyOnWriteArrayList<>();
    volatile RuntimeException eventFailure;
    private final AtomicInteger ids = new AtomicInteger();
    final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    final StatementEvidence evidence;
    final ClaimsHandler handler;

    /** With the default rate limit ({@value ClaimsConfig#DEFAULT_RATE_PER_MINUTE} requests per account per minute). */
    InMemoryClaims() {
        this(ClaimsConfig.DEFAULT_RATE_PER_MINUTE);
    }

    InMemoryClaims(int ratePerMinute) {
        rateLimiter = new InMemoryRateLimiter(ratePerMinute);
        StatementService statementService = new StatementService(accounts, aggregates, windows, statements,
                terms, new InMemoryNoticeRepository(), s -> { }, clock);
        ClaimService service = new ClaimService(statementService, statements, claims, c -> {
            RuntimeException failure = eventFailure;
            if (failure != null) {
                throw failure;
            }
            announced.add(c);
        }, clock, () -> String.format("00000000-0000-4000-8000-%012d", ids.incrementAndGet()), Duration.ofSeconds(30));
        evidence = new StatementEvidence(accounts, aggregates, windows, statements, terms, clock, Duration.ofDays(92));
        handler = new ClaimsHandler(new ClaimsApi(service, evidence, idempotency, rateLimiter, clock, "sub"));
    }

    /** An account with a term over Oct-Dec 2026 and an October fee. */
    InMemoryClaims account(String id, String fee, String voucherPaid) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of(fee, voucherPaid, "EUR"))));
        return this;
    }

    /** {@code n} October intervals where every request failed (50 -> A = 99.44%, the 10% tier). */
    InMemoryClaims errors(String id, int n) {
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        for (int i = 0; i < n; i++) {
            aggregates.add(new IntervalAggregate(id, Instant.ofEpochSecond(start + 300L * i),
                    new IntervalCounts(10, 10, 0, 0)));
        }
        return this;
    }

    APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }
}
