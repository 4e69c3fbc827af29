package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.StatementRepository.StaleEntry;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S7.2: the scheduled restatement run ({@link Restatement}) and the workers that take its messages. */
class RestatementTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final YearMonth NOV = YearMonth.of(2026, 11);

    record Message(YearMonth month, List<String> ids, StatementWorkQueue.Kind kind) {
    }

    /** The work queue in memory: what was enqueued, and whether it was flushed. */
    static class RecordingQueue implements StatementWorkQueue {
        final List<Message> sent = new ArrayList<>();
        int flushes;

        @Override
        public void enqueue(YearMonth month, List<String> accountIds, Kind kind) {
            sent.add(new Message(month, List.copyOf(accountIds), kind));
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final RecordingQueue queue = new RecordingQueue();
    private final SettableClock clock = new SettableClock("2026-12-15T03:00:00Z");

    private Restatement restatement(StatementRepository repo, AccountRepository accountRepo, int batchSize) {
        return new Restatement(repo, accountRepo, queue, clock, batchSize);
    }

    private void account(String id, String start, String end) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse(start), LocalDate.parse(end))),
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
    }

    private List<StaleEntry> staleList() {
        List<StaleEntry> entries = new ArrayList<>();
        statements.forEachStale(entries::add);
        return entries;
    }

    @Test
    @DisplayName("S7.2 nothing stale: one read of the stale list (O(1)), no account read, nothing enqueued")
    void nothingStale() {
        List<String> statementCalls = new ArrayList<>();
        StatementRepository counting = (StatementRepository) Proxy.newProxyInstance(
                StatementRepository.class.getClassLoader(), new Class<?>[] {StatementRepository.class},
                (proxy, method, args) -> {
                    statementCalls.add(method.getName());
                    try {
                        return method.invoke(statements, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> accountCalls = new ArrayList<>();
        AccountRepository noAccounts = (AccountRepository) Proxy.newProxyInstance(
                AccountRepository.class.getClassLoader(), new Class<?>[] {AccountRepository.class},
                (proxy, method, args) -> {
                    accountCalls.add(method.getName());
                    return null;
                });

        Restatement.Summary summary = restatement(counting, noAccounts, 10).run();

        assertThat(summary).isEqualTo(new Restatement.Summary(0, 0, 0, 0, 0));
        assertThat(statementCalls).containsExactly("forEachStale");
        assertThat(accountCalls).isEmpty();
        assertThat(queue.sent).isEmpty();
    }

    @Test
    @DisplayName("S7.2 stale account-months are grouped per month in batches of batchSize, as restatements")
    void groupedInBatches() {
        for (String id : List.of("a", "b", "c", "d", "e")) {
            statements.markStale(id, OCT);
        }
        statements.markStale("a", NOV);
        statements.markStale("a", NOV); // marked twice: one account-month

        Restatement.Summary summary = restatement(statements, accounts, 2).run();

        assertThat(summary).isEqualTo(new Restatement.Summary(6, 0, 6, 4, 0));
        assertThat(queue.sent).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(StatementWorkQueue.Kind.RESTATEMENT);
            assertThat(m.ids()).hasSizeBetween(1, 2).doesNotHaveDuplicates();
        });
        Map<YearMonth, List<String>> perMonth = new HashMap<>();
        Map<YearMonth, List<Integer>> sizes = new HashMap<>();
        for (Message m : queue.sent) {
            perMonth.computeIfAbsent(m.month(), k -> new ArrayList<>()).addAll(m.ids());
            sizes.computeIfAbsent(m.month(), k -> new ArrayList<>()).add(m.ids().size());
        }
        assertThat(perMonth.get(OCT)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(sizes.get(OCT)).containsExactly(2, 2, 1);
        assertThat(perMonth.get(NOV)).containsExactly("a");
        // months in order: October's messages before November's
        assertThat(queue.sent.get(queue.sent.size() - 1).month()).isEqualTo(NOV);
        assertThat(queue.flushes).isEqualTo(1);
        // the run itself clears no account-month mark: the workers do
        assertThat(staleList()).hasSize(6);
    }

    @Test
    @DisplayName("S7.2 a month not yet ended in UTC-12 is deferred to the month-end: not enqueued, its mark stays")
    void deferredUntilEndedEverywhere() {
        clock.set("2026-11-01T11:59:59Z"); // still October 31 in UTC-12
        statements.markStale("a", OCT);
        statements.markMonthStale(OCT);
        statements.markStale("b", YearMonth.of(2026, 9));

        Restatement.Summary summary = restatement(statements, accounts, 10).run();

        assertThat(summary).isEqualTo(new Restatement.Summary(1, 0, 1, 1, 2));
        assertThat(queue.sent).containsExactly(
                new Message(YearMonth.of(2026, 9), List.of("b"), StatementWorkQueue.Kind.RESTATEMENT));
        assertThat(statements.staleMark("a", OCT)).isPresent();
        assertThat(staleList()).extracting(StaleEntry::accountId).contains(Optional.empty());

        queue.sent.clear();
        clock.set("2026-11-01T12:00:00Z"); // October has ended everywhere
        account("a", "2026-10-01", "2026-12-31");
        assertThat(restatement(statements, accounts, 10).run().deferred()).isZero();
        assertThat(queue.sent).extracting(Message::month).contains(OCT);
    }

    @Test
    @DisplayName("S7.2/S2.4 a month-wide mark goes out as every account with a service period in the month, each once")
    void monthWideExpands() {
        account("a", "2026-10-01", "2026-12-31");
        account("b", "2026-09-15", "2026-10-02");
        account("c", "2026-11-01", "2027-01-31"); // no service in October
        statements.markMonthStale(OCT);
        statements.markStale("a", OCT);
        statements.markStale("x", OCT); // a listed window for an account without service: still handed out

        Restatement.Summary summary = restatement(statements, accounts, 10).run();

        assertThat(summary.wholeMonths()).isEqualTo(1);
        assertThat(summary.accountMonths()).isEqualTo(2);
        assertThat(summary.accounts()).isEqualTo(3);
        assertThat(queue.sent).hasSize(1);
        assertThat(queue.sent.get(0).ids()).containsExactlyInAnyOrder("a", "b", "x");
        // the month-wide entry left the list, the account marks stay for the workers, and the
        // month-wide mark itself still makes every account stale until recomputed
        assertThat(staleList()).extracting(StaleEntry::accountId)
                .containsExactlyInAnyOrder(Optional.of("a"), Optional.of("x"));
        assertThat(statements.monthMark(OCT)).isEqualTo(1);
        assertThat(statements.snapshot("b", OCT).stale(statements.monthMark(OCT))).isTrue();
    }

    @Test
    @DisplayName("S7.1/S9.2 (issue 27 item 7) a month marked as a whole is handed out under a checkpointed progress: a run"
            + " stopped by its time budget is continued by the next, every account once, the entry cleared at the end")
    void monthWideResumesAfterTheBudget() {
        for (int i = 0; i < 45; i++) {
            account(String.format("acct-%02d", i), "2026-10-01", "2026-12-31");
        }
        statements.markMonthStale(OCT);
        dev.slaledger.core.port.memory.InMemoryJobProgress progress =
                new dev.slaledger.core.port.memory.InMemoryJobProgress();
        Restatement run = new Restatement(statements, accounts, queue, progress, clock, 2);
        java.util.concurrent.atomic.AtomicInteger budget = new java.util.concurrent.atomic.AtomicInteger();
        List<Restatement.Summary> runs = new ArrayList<>();
        do {
            budget.set(1); // one checkpoint (10 messages of 2) per run
            runs.add(run.run(() -> budget.decrementAndGet() > 0));
            if (!runs.get(runs.size() - 1).complete()) {
                assertThat(staleList()).as("the month-wide entry stays until every account is out")
                        .containsExactly(new StaleEntry(Optional.empty(), OCT, 1));
            }
        } while (!runs.get(runs.size() - 1).complete());

        assertThat(runs).extracting(Restatement.Summary::accounts).containsExactly(20L, 20L, 5L);
        Map<String, Integer> times = new HashMap<>();
        queue.sent.forEach(m -> m.ids().forEach(id -> times.merge(id, 1, Integer::sum)));
        assertThat(times).hasSize(45).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(staleList()).isEmpty();
        assertThat(progress.progress(Restatement.key(OCT, 1))).hasValueSatisfying(p -> assertThat(p.complete()).isTrue());
    }

    @Test
    @DisplayName("S7.2 the month-wide entry leaves the list only after its accounts are enqueued and flushed")
    void monthWideClearedAfterFlush() {
        account("a", "2026-10-01", "2026-12-31");
        statements.markMonthStale(OCT);
        List<List<StaleEntry>> atFlush = new ArrayList<>();
        StatementWorkQueue checking = new RecordingQueue() {
            @Override
            public void flush() {
                atFlush.add(staleList());
                super.flush();
            }
        };
        new Restatement(statements, accounts, checking, clock, 10).run();
        assertThat(atFlush).isNotEmpty().allSatisfy(
                entries -> assertThat(entries).containsExactly(new StaleEntry(Optional.empty(), OCT, 1)));
        assertThat(staleList()).isEmpty();
    }

    @Test
    @DisplayName("S7.2 a failed flush (or enqueue) keeps the month-wide entry for the next run")
    void monthWideKeptWhenQueueFails() {
        account("a", "2026-10-01", "2026-12-31");
        statements.markMonthStale(OCT);
        StatementWorkQueue failingFlush = new RecordingQueue() {
            @Override
            public void flush() {
                throw new IllegalStateException("SQS down");
            }
        };
        assertThatThrownBy(() -> new Restatement(statements, accounts, failingFlush, clock, 10).run())
                .isInstanceOf(IllegalStateException.class);
        assertThat(staleList()).containsExactly(new StaleEntry(Optional.empty(), OCT, 1));

        StatementWorkQueue failingEnqueue = (month, ids, kind) -> {
            throw new IllegalStateException("SQS down");
        };
        assertThatThrownBy(() -> new Restatement(statements, accounts, failingEnqueue, clock, 10).run())
                .isInstanceOf(IllegalStateException.class);
        assertThat(staleList()).containsExactly(new StaleEntry(Optional.empty(), OCT, 1));
    }

    @Test
    @DisplayName("S7.1/S7.2 a window for all accounts recorded while the run enqueues leaves a new month-wide entry")
    void monthMarkedAgainDuringRun() {
        account("a", "2026-10-01", "2026-12-31");
        statements.markMonthStale(OCT);
        boolean[] once = {true};
        StatementWorkQueue marking = (month, ids, kind) -> {
            if (once[0]) {
                once[0] = false;
                statements.markMonthStale(OCT);
            }
        };
        new Restatement(statements, accounts, marking, clock, 10).run();
        assertThat(staleList()).containsExactly(new StaleEntry(Optional.empty(), OCT, 2));
    }

    @Test
    @DisplayName("S7.2 running twice enqueues twice, but the workers recompute only what is still stale")
    void runTwiceWorkersSkip() {
        account("a", "2026-10-01", "2026-12-31");
        account("b", "2026-10-01", "2026-12-31");
        InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
        Map<String, Integer> loads = new HashMap<>();
        AggregateRepository counting = (id, from, to) -> {
            loads.merge(id, 1, Integer::sum);
            return aggregates.load(id, from, to);
        };
        StatementService service = new StatementService(accounts, counting, new InMemoryMaintenanceWindowRepository(),
                statements, new InMemoryTermsRepository(DefaultTerms.version()), new InMemoryNoticeRepository(),
                s -> { }, clock);
        clock.set("2026-11-01T00:30:00Z");
        service.recomputeAll(List.of("a", "b"), OCT);
        loads.clear();

        clock.set("2026-11-03T03:00:00Z");
        for (int i = 0; i < 20; i++) {
            aggregates.add(new IntervalAggregate("a", Instant.parse("2026-10-05T00:00:00Z").plusSeconds(300L * i),
                    new IntervalCounts(10, 10, 0, 0)));
        }
        statements.markStale("a", OCT); // as ingest does for late traffic
        statements.markMonthStale(OCT); // and a window for all accounts

        Restatement run = restatement(statements, accounts, 10);
        run.run();
        assertThat(queue.sent).hasSize(1);
        assertThat(queue.sent.get(0).ids()).containsExactlyInAnyOrder("a", "b");
        run.run(); // before any worker: the month-wide entry is gone, a's own mark is still listed
        assertThat(queue.sent).hasSize(2);
        assertThat(queue.sent.get(1)).isEqualTo(new Message(OCT, List.of("a"), StatementWorkQueue.Kind.RESTATEMENT));
        queue.sent.add(queue.sent.get(0)); // and a duplicate delivery of the first message

        for (Message m : queue.sent) {
            assertThat(service.restateAll(m.ids(), m.month())).isEmpty();
        }

        assertThat(loads).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 1));
        assertThat(statements.history("a", OCT)).hasSize(2);
        assertThat(statements.latest("a", OCT).orElseThrow().compensable()).isTrue();
        assertThat(statements.history("b", OCT)).hasSize(1);
        assertThat(staleList()).isEmpty();
        queue.sent.clear();
        assertThat(run.run()).isEqualTo(new Restatement.Summary(0, 0, 0, 0, 0));
        assertThat(queue.sent).isEmpty();
    }

    @Test
    @DisplayName("S7.2 batchSize must be at least one")
    void batchSizeChecked() {
        assertThatThrownBy(() -> restatement(statements, accounts, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
