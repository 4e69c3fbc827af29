package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.RefusalReason;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AggregateRepository;
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
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StatementService.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * S7.2: {@link StatementService#current} (the path claims and reads take) and
 * {@link StatementService#restate}/{@link StatementService#restateAll} (the restatement workers),
 * with the stale-mark protocol: marks read before inputs, only what was read cleared.
 */
class StatementServiceRestateTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant MONTH_END = Instant.parse("2026-11-01T00:30:00Z");
    /** October 2026 has ended in every zone. */
    private static final Instant NOV_3 = Instant.parse("2026-11-03T03:00:00Z");
    /** The default terms' claim window of October closes at 2027-01-01T00:00Z. */
    private static final Instant OCT_CLOSES = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant ERRORS_FROM = Instant.parse("2026-10-05T00:00:00Z");

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final InMemoryStatementRepository stored = new InMemoryStatementRepository();
    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final SettableClock clock = new SettableClock(MONTH_END);
    private final Map<String, Integer> loads = new HashMap<>();
    /** Runs after the aggregates of an account were read, as a producer racing the recomputation would. */
    private BiConsumer<String, Integer> afterLoad = (id, n) -> { };
    /** Runs after a revision was stored, as a producer racing a batch would. */
    private BiConsumer<Statement, Integer> afterSave = (s, n) -> { };
    private final AtomicInteger saves = new AtomicInteger();
    /** Runs before an account-month's snapshot (its marks and latest revision) is read. */
    private java.util.function.Consumer<String> beforeSnapshot = id -> { };

    private final AggregateRepository countingAggregates = new AggregateRepository() {
        @Override
        public AccountMonthTraffic load(String accountId, Instant from, Instant to) {
            int n = loads.merge(accountId, 1, Integer::sum);
            AccountMonthTraffic traffic = aggregates.load(accountId, from, to);
            afterLoad.accept(accountId, n);
            return traffic;
        }
    };
    private final ForwardingStatementRepository statements = new ForwardingStatementRepository(stored) {
        @Override
        public Snapshot snapshot(String accountId, YearMonth month) {
            beforeSnapshot.accept(accountId);
            return super.snapshot(accountId, month);
        }

        @Override
        public boolean saveRevision(Statement statement) {
            boolean saved = super.saveRevision(statement);
            afterSave.accept(statement, saves.incrementAndGet());
            return saved;
        }
    };
    private final StatementService service = new StatementService(accounts, countingAggregates, windows, statements,
            terms, new InMemoryNoticeRepository(), s -> { }, clock);
    private final StaleMarks staleMarks = new StaleMarks(statements, terms, clock);

    private void account(String id, Term term) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(), List.of(term),
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
    }

    private void account(String id) {
        account(id, new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31")));
    }

    /** {@code n} failing intervals from {@link #ERRORS_FROM} (+ {@code skip} intervals). */
    private void errors(String id, int skip, int n) {
        for (int i = 0; i < n; i++) {
            aggregates.add(new IntervalAggregate(id, ERRORS_FROM.plusSeconds(300L * (skip + i)),
                    new IntervalCounts(10, 10, 0, 0)));
        }
    }

    /** A window over the first {@code n} error intervals, announced a day before. */
    private static MaintenanceWindow windowOverErrors(String id, int n, Set<String> accountIds) {
        return new MaintenanceWindow(id, ERRORS_FROM, ERRORS_FROM.plusSeconds(300L * n),
                ERRORS_FROM.minus(Duration.ofDays(1)), Optional.ofNullable(accountIds));
    }

    /** What a fresh computation over the current inputs gives (no stored statement, no marks). */
    private Optional<Statement> fromScratch(String id) {
        return new StatementService(accounts, aggregates, windows, new InMemoryStatementRepository(), terms,
                new InMemoryNoticeRepository(), s -> { }, clock).compute(id, OCT);
    }

    @BeforeEach
    void monthEnd() {
        account("a");
        account("b");
        service.recomputeAll(List.of("a", "b"), OCT);
        assertThat(stored.history("a", OCT)).hasSize(1);
        loads.clear();
        clock.set(NOV_3);
    }

    @Nested
    class Current {
        @Test
        @DisplayName("S7.2 current returns the stored statement when nothing is stale: no read of inputs, no new revision")
        void notStale() {
            Statement before = stored.latest("a", OCT).orElseThrow();
            Statement current = service.current("a", OCT).orElseThrow();
            assertThat(current).isEqualTo(before);
            assertThat(current.computedAt()).isEqualTo(MONTH_END);
            assertThat(stored.history("a", OCT)).hasSize(1);
            assertThat(loads).isEmpty();
        }

        @Test
        @DisplayName("S7.2 current recomputes when the account-month's own mark is set (late traffic), then clears it")
        void ownMark() {
            errors("a", 0, 50);
            stored.markStale("a", OCT);
            Statement current = service.current("a", OCT).orElseThrow();
            assertThat(current.revision()).isEqualTo(2);
            assertThat(current.computedAt()).isEqualTo(NOV_3);
            assertThat(current.compensable()).isTrue();
            assertThat(current.sameContentAs(fromScratch("a").orElseThrow())).isTrue();
            assertThat(stored.staleMark("a", OCT)).isEmpty();
            assertThat(service.current("a", OCT)).contains(current);
            assertThat(loads).containsExactlyEntriesOf(Map.of("a", 1));
        }

        @Test
        @DisplayName("S7.2/S2.4 current recomputes when the month-wide mark is ahead (a window for all accounts), and records it done")
        void monthMark() {
            errors("a", 0, 50);
            service.recompute("a", OCT);
            assertThat(stored.latest("a", OCT).orElseThrow().compensable()).isTrue();
            loads.clear();

            MaintenanceWindow w = windowOverErrors("w", 50, null);
            windows.save(w);
            assertThat(staleMarks.windowChanged(Optional.empty(), Optional.of(w))).containsExactly(OCT);

            Statement current = service.current("a", OCT).orElseThrow();
            assertThat(current.revision()).isEqualTo(3);
            assertThat(current.compensable()).isFalse();
            assertThat(stored.snapshot("a", OCT).monthDone()).isEqualTo(stored.monthMark(OCT));
            assertThat(service.current("a", OCT)).contains(current);
            // b read the month-wide mark too: recomputed (unchanged content: no new revision), then done
            Statement b = service.current("b", OCT).orElseThrow();
            assertThat(b.revision()).isEqualTo(1);
            assertThat(stored.history("b", OCT)).hasSize(1);
            assertThat(loads).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 1));
            service.current("b", OCT);
            assertThat(loads).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 1));
        }

        @Test
        @DisplayName("S7.2 current computes and stores a missing statement (a backdated purchase)")
        void missing() {
            account("c");
            Statement c = service.current("c", OCT).orElseThrow();
            assertThat(c.revision()).isEqualTo(1);
            assertThat(stored.latest("c", OCT)).contains(c);
            assertThat(service.current("nobody", OCT)).isEmpty();
        }

        @Test
        @DisplayName("S7.1/S7.2 a mark set while current reads the inputs survives: the next read recomputes again")
        void markDuringCurrent() {
            stored.markStale("a", OCT);
            afterLoad = (id, n) -> {
                if (n == 1) {
                    errors(id, 0, 50); // late traffic stored after this read ...
                    stored.markStale(id, OCT); // ... then marked, as ingest does
                }
            };
            Statement first = service.current("a", OCT).orElseThrow();
            assertThat(first.compensable()).isFalse();
            assertThat(stored.staleMark("a", OCT)).isPresent();
            Statement second = service.current("a", OCT).orElseThrow();
            assertThat(second.compensable()).isTrue();
            assertThat(second.sameContentAs(fromScratch("a").orElseThrow())).isTrue();
            assertThat(stored.staleMark("a", OCT)).isEmpty();
        }
    }

    @Nested
    class Restate {
        @Test
        @DisplayName("S7.2 restate of an account-month that is not stale is NOT_STALE and reads no input")
        void notStale() {
            StatementService.Result r = service.restate("a", OCT);
            assertThat(r.outcome()).isEqualTo(Outcome.NOT_STALE);
            assertThat(r.statement()).isEqualTo(stored.latest("a", OCT));
            assertThat(loads).isEmpty();
            assertThat(stored.history("a", OCT)).hasSize(1);
        }

        @Test
        @DisplayName("S7.2 restate of a stale account-month recomputes, stores a revision and clears the mark")
        void stale() {
            errors("a", 0, 50);
            stored.markStale("a", OCT);
            StatementService.Result r = service.restate("a", OCT);
            assertThat(r.outcome()).isEqualTo(Outcome.REVISED);
            assertThat(r.statement().orElseThrow().revision()).isEqualTo(2);
            assertThat(stored.staleMark("a", OCT)).isEmpty();
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.NOT_STALE);

            stored.markStale("a", OCT); // a mark that changes nothing
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.UNCHANGED);
            assertThat(stored.staleMark("a", OCT)).isEmpty();
            assertThat(stored.history("a", OCT)).hasSize(2);
        }

        @Test
        @DisplayName("S7.2 restate with a month-wide mark ahead recomputes and records the month-wide mark done")
        void monthWide() {
            stored.markMonthStale(OCT);
            stored.markMonthStale(OCT);
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.UNCHANGED);
            assertThat(stored.snapshot("a", OCT).monthDone()).isEqualTo(2);
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.NOT_STALE);
            assertThat(stored.snapshot("b", OCT).monthDone()).isZero();
            assertThat(service.restateAll(List.of("a", "b"), OCT)).isEmpty();
            assertThat(stored.snapshot("b", OCT).monthDone()).isEqualTo(2);
            assertThat(loads).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 1));
        }

        @Test
        @DisplayName("S7.1/S7.4 a month whose claim window has closed: WINDOW_CLOSED, marks cleared, nothing stored or read")
        void windowClosed() {
            errors("a", 0, 50);
            stored.markStale("a", OCT);
            stored.markMonthStale(OCT);
            clock.set(OCT_CLOSES);
            StatementService.Result r = service.restate("a", OCT);
            assertThat(r.outcome()).isEqualTo(Outcome.WINDOW_CLOSED);
            assertThat(r.statement()).isEqualTo(stored.latest("a", OCT));
            assertThat(stored.history("a", OCT)).hasSize(1);
            assertThat(stored.staleMark("a", OCT)).isEmpty();
            assertThat(stored.snapshot("a", OCT).monthDone()).isEqualTo(1);
            assertThat(loads).isEmpty();
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.NOT_STALE);
        }

        @Test
        @DisplayName("S7.1/S7.4 no statement yet and the window has closed: WINDOW_CLOSED, nothing stored")
        void windowClosedNoStatement() {
            account("c");
            stored.markStale("c", OCT);
            clock.set(OCT_CLOSES.plusSeconds(1));
            assertThat(service.restate("c", OCT).outcome()).isEqualTo(Outcome.WINDOW_CLOSED);
            assertThat(stored.latest("c", OCT)).isEmpty();
            assertThat(stored.staleMark("c", OCT)).isEmpty();
        }

        @Test
        @DisplayName("S7.2 one second before the window closes a stale month is still restated")
        void lastSecondOfWindow() {
            errors("a", 0, 50);
            stored.markStale("a", OCT);
            clock.set(OCT_CLOSES.minusSeconds(1));
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.REVISED);
        }

        @Test
        @DisplayName("S7.1/S7.2 a mark set while restate reads the inputs survives the clear (no change missed)")
        void markDuringRestate() {
            stored.markStale("a", OCT);
            afterLoad = (id, n) -> {
                if (n == 1) {
                    errors(id, 0, 50);
                    stored.markStale(id, OCT);
                }
            };
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.UNCHANGED);
            assertThat(stored.staleMark("a", OCT)).isPresent();
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.REVISED);
            assertThat(stored.latest("a", OCT).orElseThrow().sameContentAs(fromScratch("a").orElseThrow())).isTrue();
        }

        @Test
        @DisplayName("S7.1/S7.2 a window for all accounts recorded while restate reads the inputs leaves the month stale")
        void monthMarkDuringRestate() {
            errors("a", 0, 50);
            stored.markStale("a", OCT);
            afterLoad = (id, n) -> {
                if (n == 1) {
                    MaintenanceWindow w = windowOverErrors("w", 50, null);
                    windows.save(w);
                    staleMarks.windowChanged(Optional.empty(), Optional.of(w));
                }
            };
            service.restate("a", OCT);
            assertThat(stored.snapshot("a", OCT).stale(stored.monthMark(OCT))).isTrue();
            service.restate("a", OCT);
            assertThat(stored.latest("a", OCT).orElseThrow().sameContentAs(fromScratch("a").orElseThrow())).isTrue();
            assertThat(stored.latest("a", OCT).orElseThrow().compensable()).isFalse();
        }

        /**
         * A batch reads the windows once (MonthContext) for all its accounts. A window for listed
         * accounts recorded after the batch read the windows, but before it reads the mark of a later
         * account of the batch, must not be lost: that account's mark is then read together with
         * windows older than it.
         */
        @Test
        @DisplayName("S7.1/S7.2 a window for listed accounts recorded during a batch is not missed by a later account of the batch")
        void windowDuringBatch() {
            errors("b", 0, 50);
            stored.markStale("a", OCT);
            stored.markStale("b", OCT);
            service.restateAll(List.of("b"), OCT);
            assertThat(stored.latest("b", OCT).orElseThrow().compensable()).isTrue();
            stored.markStale("a", OCT);
            windowForBWhenASaves();
            errors("a", 100, 1); // a changes, so it stores a revision (and the window is recorded then)

            assertThat(service.restateAll(List.of("a", "b"), OCT)).isEmpty();

            assertBStaleOrUpToDate();
        }

        /** When a's statement is saved, window w over b's errors is recorded, as its producer does. */
        private void windowForBWhenASaves() {
            afterSave = (s, n) -> {
                if (s.accountId().equals("a")) {
                    MaintenanceWindow w = windowOverErrors("w", 50, Set.of("b"));
                    windows.save(w); // the producer stores the window ...
                    staleMarks.windowChanged(Optional.empty(), Optional.of(w)); // ... then marks b
                }
            };
        }

        /** b's statement follows window w, or b is still marked: the window is never lost. */
        private void assertBStaleOrUpToDate() {
            boolean bStillStale = stored.snapshot("b", OCT).stale(stored.monthMark(OCT));
            boolean bUpToDate = stored.latest("b", OCT).orElseThrow().sameContentAs(fromScratch("b").orElseThrow());
            assertThat(bStillStale || bUpToDate)
                    .as("b's statement ignores window w (compensable=%s) yet its mark was cleared",
                            stored.latest("b", OCT).orElseThrow().compensable())
                    .isTrue();
        }

        @Test
        @DisplayName("S7.1/S7.2 the same for the month-end batch (recomputeAll)")
        void windowDuringMonthEndBatch() {
            errors("b", 0, 50);
            service.recompute("b", OCT);
            windowForBWhenASaves();
            errors("a", 100, 1);

            service.recomputeAll(List.of("a", "b"), OCT);

            assertBStaleOrUpToDate();
        }

        @Test
        @DisplayName("S7.5 restateAll continues past a failing account and returns its id; the others are restated")
        void failingAccount() {
            account("x");
            for (String id : List.of("a", "x", "b")) {
                errors(id, 0, 50);
                stored.markStale(id, OCT);
            }
            afterLoad = (id, n) -> {
                if (id.equals("x")) {
                    throw new IllegalStateException("throttled");
                }
            };
            assertThat(service.restateAll(List.of("a", "x", "b"), OCT)).containsExactly("x");
            assertThat(stored.latest("a", OCT).orElseThrow().compensable()).isTrue();
            assertThat(stored.latest("b", OCT).orElseThrow().compensable()).isTrue();
            assertThat(stored.staleMark("a", OCT)).isEmpty();
            assertThat(stored.staleMark("x", OCT)).isPresent();

            afterLoad = (id, n) -> { };
            assertThat(service.restateAll(List.of("a", "x", "b"), OCT)).isEmpty();
            assertThat(stored.latest("x", OCT).orElseThrow().compensable()).isTrue();
            assertThat(stored.staleMark("x", OCT)).isEmpty();
        }

        @Test
        @DisplayName("S7.5/S9.2 recomputeAll isolates each account from its first read: a snapshot that fails fails"
                + " that account only; the others of the message are computed")
        void failingSnapshotInMonthEndBatch() {
            account("x");
            for (String id : List.of("a", "x", "b")) {
                errors(id, 0, 50);
                stored.markStale(id, OCT);
            }
            beforeSnapshot = id -> {
                if (id.equals("x")) {
                    throw new IllegalStateException("the account-month's items cannot be read");
                }
            };
            List<StatementService.Result> results = service.recomputeAll(List.of("a", "x", "b"), OCT);
            assertThat(results).extracting(StatementService.Result::outcome)
                    .containsExactly(Outcome.REVISED, Outcome.FAILED, Outcome.REVISED);
            assertThat(stored.latest("a", OCT).orElseThrow().compensable()).isTrue();
            assertThat(stored.latest("b", OCT).orElseThrow().compensable()).isTrue();
            assertThat(stored.staleMark("x", OCT)).isPresent();

            beforeSnapshot = id -> { };
            assertThat(service.recomputeAll(List.of("a", "x", "b"), OCT)).extracting(StatementService.Result::outcome)
                    .containsExactly(Outcome.UNCHANGED, Outcome.CREATED, Outcome.UNCHANGED);
            assertThat(stored.staleMark("x", OCT)).isEmpty();
        }
    }

    /** A subscription changed so that the account has no service period in October any more. */
    @Nested
    class CoverageRemoved {
        private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
        private final AtomicInteger ids = new AtomicInteger();
        private final List<Claim> announced = new ArrayList<>();
        private final ClaimService claimService = new ClaimService(service, statements, claims, announced::add,
                clock, () -> "claim-" + ids.incrementAndGet(), Duration.ofSeconds(30));

        private void removeOctober() {
            Term before = accounts.find("a").orElseThrow().terms().get(0);
            Term after = new Term(LocalDate.parse("2026-09-01"), LocalDate.parse("2026-09-30"));
            account("a", after);
            assertThat(staleMarks.coverageChanged("a", Optional.of(before), Optional.of(after)))
                    .containsExactly(OCT.minusMonths(1), OCT);
        }

        @Test
        @DisplayName("S7.1/S7.2 after the term no longer covers October, every read says NO_SERVICE_PERIOD, not only the first")
        void readsAfterRemoval() {
            removeOctober();
            assertThat(fromScratch("a")).isEmpty();
            assertThat(claimService.statement("a", OCT)).isInstanceOf(ClaimService.NoServicePeriod.class);
            assertThat(claimService.statement("a", OCT)).isInstanceOf(ClaimService.NoServicePeriod.class);
        }

        @Test
        @DisplayName("S7.2/S5.3 after restatement of a term that no longer covers October, a read says NO_SERVICE_PERIOD")
        void restateAfterRemoval() {
            removeOctober();
            assertThat(service.restate("a", OCT).outcome()).isEqualTo(Outcome.NO_SERVICE_PERIOD);
            assertThat(service.current("a", OCT)).isEmpty();
        }

        @Test
        @DisplayName("S7.1/S5.3 a claim for October after the term no longer covers it is refused NO_SERVICE_PERIOD, every time")
        void claimAfterRemoval() {
            errors("a", 0, 50);
            stored.markStale("a", OCT);
            assertThat(service.current("a", OCT).orElseThrow().compensable()).isTrue();
            removeOctober();
            clock.set("2026-11-10T00:00:00Z"); // window open
            assertThat(claimService.submit("a", OCT).claim().decision().reason())
                    .contains(RefusalReason.NO_SERVICE_PERIOD);
            Claim second = claimService.submit("a", OCT).claim();
            assertThat(second.decision().reason()).as("second claim: %s", second.decision())
                    .contains(RefusalReason.NO_SERVICE_PERIOD);
            assertThat(claims.acceptedClaim("a", OCT)).isEmpty();
        }
    }

    @Test
    @DisplayName("S7.2 a statement read after the month-end but before the month ended everywhere answers with the late data")
    void readBeforeMonthEndedEverywhere() {
        InMemoryClaimRepository claims = new InMemoryClaimRepository();
        ClaimService claimService = new ClaimService(service, statements, claims, c -> { }, clock, () -> "c",
                Duration.ofSeconds(30));
        clock.set("2026-11-01T01:00:00Z"); // October ended in UTC (the terms' zone), not yet in UTC-12
        errors("a", 0, 50);
        assertThat(StaleMarks.markable(OCT, clock.instant(), 2)).isTrue();
        stored.markStale("a", OCT); // as ingest does
        ClaimService.StatementLookup read = claimService.statement("a", OCT);
        assertThat(read).isInstanceOf(ClaimService.Found.class);
        assertThat(((ClaimService.Found) read).statement().sameContentAs(fromScratch("a").orElseThrow()))
                .as("the read answers with the stale revision 1 (late traffic marked, not recomputed)")
                .isTrue();
    }
}
