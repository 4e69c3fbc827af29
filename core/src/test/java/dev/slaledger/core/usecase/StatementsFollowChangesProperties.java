package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.claim.ClaimPolicy;
import dev.slaledger.core.claim.RefusalReason;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StatementRepository.StaleEntry;
import dev.slaledger.core.port.StatementWorkQueue;
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
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * S7 end to end over the in-memory twins: a small world (1-3 accounts, October 2026, default
 * terms in UTC) whose inputs change in a random order before and after the month-end: subscriptions
 * bought late or changed, fees assessed late and corrected (increasing billing versions), maintenance
 * windows recorded late, for some or all accounts, changed and withdrawn, late traffic; interleaved
 * with the month-end, restatement runs, claims and statement reads while the clock moves through
 * November (the claim window opens 2026-11-09, the 6th working day).
 *
 * <p>Each input change goes through the in-memory repositories and is followed by the producer's
 * {@link StaleMarks} call ({@code markStale} for traffic, as ingest does). The model of the final
 * inputs is kept beside, so a from-scratch computation over fresh repositories gives what every
 * statement must end up as.
 */
class StatementsFollowChangesProperties {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant WORLD_START = Instant.parse("2026-10-29T00:00:00Z");
    /** The month-end runs when October has ended in the terms' zone (UTC). */
    private static final Instant MONTH_END = Instant.parse("2026-11-01T00:30:00Z");
    /** October has ended everywhere (UTC-12): claims and reads take {@code current}. */
    private static final Instant OVER_EVERYWHERE = Instant.parse("2026-11-01T12:00:00Z");
    /** 6th working day of November 2026. */
    private static final Instant WINDOW_OPENS = Instant.parse("2026-11-09T00:00:00Z");
    /** The clock never passes this while inputs change (the window closes 2027-01-01). */
    private static final Instant LAST_CHANGE = Instant.parse("2026-12-20T00:00:00Z");
    private static final int MAX_ACCOUNTS = 3;

    /** Subscription terms an account may have (S1.1); index 0 is none. */
    private static final List<Optional<Term>> TERMS = List.of(
            Optional.empty(),
            Optional.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
            Optional.of(new Term(LocalDate.parse("2026-10-11"), LocalDate.parse("2027-01-10"))),
            Optional.of(new Term(LocalDate.parse("2026-08-01"), LocalDate.parse("2026-10-15"))),
            Optional.of(new Term(LocalDate.parse("2026-09-01"), LocalDate.parse("2026-09-30"))));
    /** Terms that cover part of October. */
    private static final int FIRST_COVERING = 1;
    private static final int LAST_COVERING = 3;

    /** The fee billing assesses for October by billing version (1 the first, later ones corrections). */
    private static final Map<Integer, MonthlyFee> FEES = Map.of(
            1, MonthlyFee.of("1000.00", "0.00", "EUR"),
            2, MonthlyFee.of("1200.00", "100.00", "EUR"),
            3, MonthlyFee.of("900.00", "0.00", "EUR"),
            4, MonthlyFee.of("80.00", "80.00", "EUR"));

    /** Where traffic and windows lie in October: starts of some stretches of the month. */
    private static final List<Instant> ZONES = List.of(
            Instant.parse("2026-10-03T00:00:00Z"),
            Instant.parse("2026-10-12T00:00:00Z"),
            Instant.parse("2026-10-21T00:00:00Z"),
            Instant.parse("2026-10-28T00:00:00Z"));

    // ---- the world ------------------------------------------------------------------------

    sealed interface Op {
        /** Minutes the clock moves forward before the op. */
        long after();
    }

    /** A subscription bought, ended or changed: the account's term becomes {@code TERMS[option]}. */
    record SetTerm(int account, int option, long after) implements Op {
    }

    /** FeeAssessed for October with billing version {@code version} (older versions are ignored). */
    record Fee(int account, int version, long after) implements Op {
    }

    /**
     * A maintenance window recorded or changed; {@code accounts} 0 = all, else a bit mask;
     * {@code intervals} 0 = the whole of October (UTC), else that many intervals from the zone start.
     */
    record Window(int id, int zone, int intervals, boolean inTime, int accounts, long after) implements Op {
    }

    record Withdraw(int id, long after) implements Op {
    }

    /** Late (or on-time) traffic: {@code count} intervals from {@code offset} intervals after the zone start. */
    record Traffic(int account, int zone, int offset, int count, boolean allFail, long after) implements Op {
    }

    /** A contact change (S6.3 governance may change): marks every open month of the account. */
    record Contact(int account, long after) implements Op {
    }

    /** The month-end is run again (it runs once by itself at 2026-11-01T00:30Z). */
    record MonthEnd(long after) implements Op {
    }

    record Restate(long after) implements Op {
    }

    /**
     * A restatement run during which {@code change} is stored and marked by its producer, just before
     * the {@code position}-th account of the first batch that long reads its marks (after the accounts
     * before it in the batch were restated): a producer racing the workers.
     */
    record RaceRestate(Op change, int position, long after) implements Op {
    }

    record ClaimOp(int account, long after) implements Op {
    }

    record Read(int account, long after) implements Op {
    }

    record World(int accounts, List<Integer> initialTerms, List<Integer> initialFees, List<Traffic> initialTraffic,
            long startAfterMinutes, List<Op> ops, boolean dailyRestatement, boolean finalRestatement) {
    }

    // ---- generators -----------------------------------------------------------------------

    private static Arbitrary<Long> waits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0L)),
                Tuple.of(4, Arbitraries.longs().between(1, 12 * 60)),
                Tuple.of(3, Arbitraries.longs().between(12 * 60, 72 * 60)));
    }

    /** Minutes from 2026-10-29 to the first op: before the month-end, or around the window's opening. */
    private static Arbitrary<Long> starts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 3 * 24 * 60)),
                Tuple.of(7, Arbitraries.longs().between(8 * 24 * 60, 16 * 24 * 60)));
    }

    private static Arbitrary<Integer> account() {
        return Arbitraries.integers().between(0, MAX_ACCOUNTS - 1);
    }

    private static Arbitrary<Traffic> traffic() {
        return Combinators.combine(account(), Arbitraries.integers().between(0, ZONES.size() - 1),
                Arbitraries.integers().between(0, 120), Arbitraries.integers().between(1, 40),
                Arbitraries.of(true, true, false), waits()).as(Traffic::new);
    }

    private static Arbitrary<Op> ops(boolean coverageMayEnd, boolean races) {
        Arbitrary<Integer> options = coverageMayEnd
                ? Arbitraries.integers().between(0, TERMS.size() - 1)
                : Arbitraries.integers().between(FIRST_COVERING, LAST_COVERING);
        Arbitrary<Op> setTerm = Combinators.combine(account(), options, waits()).as(SetTerm::new);
        Arbitrary<Op> fee = Combinators.combine(account(), Arbitraries.integers().between(1, FEES.size()), waits())
                .as(Fee::new);
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(6, 120)),
                Tuple.of(1, Arbitraries.just(0)));
        Arbitrary<Integer> covered = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 7)));
        Arbitrary<Op> window = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2), length, Arbitraries.of(true, true, false), covered, waits())
                .as(Window::new);
        Arbitrary<Op> withdraw = Combinators.combine(Arbitraries.integers().between(0, 2), waits()).as(Withdraw::new);
        Arbitrary<Op> contact = Combinators.combine(account(), waits()).as(Contact::new);
        Arbitrary<Op> monthEnd = waits().map(MonthEnd::new);
        Arbitrary<Op> restate = waits().map(Restate::new);
        Arbitrary<Op> claim = Combinators.combine(account(), waits()).as(ClaimOp::new);
        Arbitrary<Op> read = Combinators.combine(account(), waits()).as(Read::new);
        // a racing producer: mostly windows for listed accounts, the input a batch shares
        Arbitrary<Op> listedWindow = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2), Arbitraries.of(0, 0, 0, 24, 120),
                Arbitraries.just(true), Arbitraries.integers().between(1, 7), waits()).as(Window::new);
        Arbitrary<Op> change = Arbitraries.frequencyOf(
                Tuple.of(1, traffic().map(t -> (Op) t)),
                Tuple.of(1, fee),
                Tuple.of(1, setTerm),
                Tuple.of(2, window),
                Tuple.of(4, listedWindow),
                Tuple.of(1, withdraw));
        Arbitrary<Op> race = Combinators.combine(change, Arbitraries.of(1, 2, 2, 2), waits())
                .as(RaceRestate::new);
        return Arbitraries.frequencyOf(
                Tuple.of(races ? 5 : 0, race),
                Tuple.of(4, traffic().map(t -> (Op) t)),
                Tuple.of(3, fee),
                Tuple.of(2, setTerm),
                Tuple.of(3, window),
                Tuple.of(1, withdraw),
                Tuple.of(1, contact),
                Tuple.of(1, monthEnd),
                Tuple.of(races ? 0 : 3, restate), // with races: only racing runs, so stale marks pile up
                Tuple.of(5, claim),
                Tuple.of(3, read));
    }

    private static Arbitrary<World> worlds(boolean coverageMayEnd, boolean races) {
        Arbitrary<List<Integer>> initialTerms = Arbitraries.integers().between(0, LAST_COVERING)
                .list().ofSize(MAX_ACCOUNTS);
        Arbitrary<List<Integer>> initialFees = Arbitraries.integers().between(0, 1).list().ofSize(MAX_ACCOUNTS);
        return Combinators.combine(Arbitraries.integers().between(races ? 2 : 1, MAX_ACCOUNTS), initialTerms, initialFees,
                races ? traffic().list().ofMinSize(2).ofMaxSize(6) : traffic().list().ofMaxSize(3), starts(),
                ops(coverageMayEnd, races).list().ofMinSize(3).ofMaxSize(30),
                races ? Arbitraries.just(false) : Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(World::new);
    }

    @Provide
    Arbitrary<World> worldsCoverageKept() {
        return worlds(false, false);
    }

    @Provide
    Arbitrary<World> worldsCoverageMayEnd() {
        return worlds(true, false);
    }

    @Provide
    Arbitrary<World> worldsWithRaces() {
        return worlds(false, true);
    }

    // ---- properties -----------------------------------------------------------------------

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    @Label("S7.1 S7.2 S7.3 S5.5 S4.4 statements follow every change in any order (subscriptions keep covering October)")
    void statementsFollowChanges(@ForAll("worldsCoverageKept") World world) {
        new Harness(world).play();
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    @Label("S7.1 S7.2 S5.3 statements follow every change, also a subscription that stops covering October")
    void statementsFollowChangesWhenCoverageEnds(@ForAll("worldsCoverageMayEnd") World world) {
        new Harness(world).play();
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    @Label("S7.1 S7.2 statements follow changes stored while a restatement batch runs (stale-mark protocol)")
    void statementsFollowChangesRacingRestatement(@ForAll("worldsWithRaces") World world) {
        new Harness(world).play();
    }

    // ---- the harness ----------------------------------------------------------------------

    /** A queue the harness drains itself, as the statement workers would. */
    private static final class DrainedQueue implements StatementWorkQueue {
        record Message(YearMonth month, List<String> ids, Kind kind) {
        }

        final List<Message> pending = new ArrayList<>();

        @Override
        public void enqueue(YearMonth month, List<String> accountIds, Kind kind) {
            pending.add(new Message(month, List.copyOf(accountIds), kind));
        }
    }

    private static final class Harness {
        private final World world;
        private final List<String> ids = new ArrayList<>();
        private final SettableClock clock = new SettableClock(WORLD_START);
        private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
        private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
        private final InMemoryStatementRepository stored = new InMemoryStatementRepository();
        /** A change a racing producer applies just before the n-th account of a batch reads its marks. */
        private Op race;
        private int racePosition;
        private int snapshotsInBatch;
        private final ForwardingStatementRepository statements = new ForwardingStatementRepository(stored) {
            @Override
            public Snapshot snapshot(String accountId, YearMonth month) {
                snapshotsInBatch++;
                if (race != null && snapshotsInBatch == racePosition) {
                    Statistics.label("race fired").collect("before account " + snapshotsInBatch + " of a batch");
                    Op change = race;
                    race = null;
                    trace.add(clock.instant() + " before the snapshot of " + accountId + " a producer applies " + change);
                    apply(change);
                }
                return super.snapshot(accountId, month);
            }
        };
        private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
        private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
        private final AtomicInteger claimIds = new AtomicInteger();
        private final StatementService statementService = new StatementService(accounts, aggregates, windows,
                statements, terms, new InMemoryNoticeRepository(), s -> { }, clock);
        private final ClaimService claimService = new ClaimService(statementService, statements, claims, c -> { },
                clock, () -> "claim-" + claimIds.incrementAndGet(), Duration.ofSeconds(30));
        private final StaleMarks staleMarks = new StaleMarks(statements, terms, clock);
        private final DrainedQueue queue = new DrainedQueue();
        private final Restatement restatement = new Restatement(statements, accounts, queue, clock, 2);

        // the model of the inputs, kept beside the repositories
        private final Map<String, Integer> termOf = new HashMap<>();
        private final Map<String, Integer> feeVersion = new HashMap<>();
        private final Map<String, Integer> contact = new HashMap<>();
        private final List<IntervalAggregate> trafficModel = new ArrayList<>();
        private final Map<String, MaintenanceWindow> windowModel = new TreeMap<>();

        // what was observed
        private final Map<String, List<Statement>> histories = new HashMap<>();
        private final Map<String, Claim> firstAccepted = new HashMap<>();
        private final Map<String, Set<RefusalReason>> changeableRefusals = new HashMap<>();
        private boolean monthEndDone;
        private Instant nextDaily = Instant.parse("2026-10-30T03:00:00Z");
        private int step;
        private String current = "initial state";

        Harness(World world) {
            this.world = world;
            for (int i = 0; i < world.accounts(); i++) {
                ids.add("a" + i);
            }
        }

        void play() {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                termOf.put(id, world.initialTerms().get(i));
                feeVersion.put(id, world.initialFees().get(i));
                contact.put(id, 0);
                accounts.save(account(id));
            }
            for (Traffic t : world.initialTraffic()) {
                apply(t);
            }
            advance(world.startAfterMinutes());
            for (Op op : world.ops()) {
                step++;
                current = op.toString();
                advance(op.after());
                apply(op);
                checkHistoriesOnlyGrow();
                checkStoredIsStaleOrUpToDate();
            }
            finish();
        }

        // ---- inputs --------------------------------------------------------------------

        private Account account(String id) {
            int v = feeVersion.get(id);
            return new Account(id, id + "+" + contact.get(id) + "@example.com", Optional.empty(),
                    TERMS.get(termOf.get(id)).stream().toList(), v == 0 ? Map.of() : Map.of(OCT, FEES.get(v)));
        }

        private String id(int account) {
            return ids.get(account % ids.size());
        }

        private void apply(Op op) {
            switch (op) {
                case SetTerm s -> {
                    String id = id(s.account());
                    Optional<Term> before = TERMS.get(termOf.get(id));
                    termOf.put(id, s.option());
                    accounts.save(account(id));
                    staleMarks.coverageChanged(id, before, TERMS.get(s.option()));
                }
                case Fee f -> {
                    String id = id(f.account());
                    if (f.version() > feeVersion.get(id)) {
                        feeVersion.put(id, f.version());
                        accounts.save(account(id));
                    }
                    staleMarks.feeChanged(id, OCT); // applied or redelivered
                }
                case Window w -> {
                    Instant start = w.intervals() == 0 ? OCT.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : ZONES.get(w.zone());
                    Instant end = w.intervals() == 0 ? OCT.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC)
                            .toInstant() : start.plusSeconds(300L * w.intervals());
                    Instant announced = w.inTime() ? start.minus(Duration.ofDays(1)) : start.plus(Duration.ofHours(1));
                    Optional<Set<String>> covered = Optional.empty();
                    if (w.accounts() != 0) {
                        Set<String> listed = new LinkedHashSet<>();
                        for (int bit = 0; bit < MAX_ACCOUNTS; bit++) {
                            if ((w.accounts() & (1 << bit)) != 0) {
                                listed.add("a" + bit); // may name an account that does not exist
                            }
                        }
                        covered = Optional.of(listed);
                    }
                    MaintenanceWindow window = new MaintenanceWindow("w" + w.id(), start, end, announced, covered);
                    Optional<MaintenanceWindow> before = windows.find(window.id());
                    windows.save(window);
                    windowModel.put(window.id(), window);
                    staleMarks.windowChanged(before, Optional.of(window));
                }
                case Withdraw w -> {
                    Optional<MaintenanceWindow> before = windows.find("w" + w.id());
                    windows.delete("w" + w.id());
                    windowModel.remove("w" + w.id());
                    staleMarks.windowChanged(before, Optional.empty());
                }
                case Traffic t -> {
                    String id = id(t.account());
                    Instant start = ZONES.get(t.zone());
                    for (int k = 0; k < t.count(); k++) {
                        IntervalAggregate a = new IntervalAggregate(id,
                                start.plusSeconds(300L * (t.offset() + k)),
                                t.allFail() ? new IntervalCounts(10, 10, 0, 0) : new IntervalCounts(10, 2, 1, 0));
                        aggregates.add(a);
                        trafficModel.add(a);
                    }
                    if (StaleMarks.markable(OCT, clock.instant(), 2)) {
                        statements.markStale(id, OCT); // as ingest does
                    }
                }
                case Contact c -> {
                    String id = id(c.account());
                    contact.merge(id, 1, Integer::sum);
                    accounts.save(account(id));
                    staleMarks.accountChanged(id);
                }
                case MonthEnd m -> {
                    if (!clock.instant().isBefore(MONTH_END)) {
                        runMonthEnd();
                    }
                }
                case Restate r -> runRestatement();
                case RaceRestate r -> {
                    race = r.change();
                    racePosition = r.position();
                    runRestatement();
                    Statistics.label("race").collect(race == null ? "during the run" : "after the run");
                    if (race != null) { // no batch had that many account-months: the change comes after
                        Op change = race;
                        race = null;
                        apply(change);
                    }
                }
                case ClaimOp c -> claim(id(c.account()));
                case Read r -> read(id(r.account()));
            }
        }

        // ---- time and scheduled runs ----------------------------------------------------

        private void advance(long minutes) {
            Instant target = clock.instant().plus(Duration.ofMinutes(minutes));
            if (target.isAfter(LAST_CHANGE)) {
                target = LAST_CHANGE.isAfter(clock.instant()) ? LAST_CHANGE : clock.instant();
            }
            while (true) {
                Instant next = null;
                boolean isMonthEnd = false;
                if (!monthEndDone && !MONTH_END.isAfter(target)) {
                    next = MONTH_END;
                    isMonthEnd = true;
                }
                if (world.dailyRestatement() && !nextDaily.isAfter(target) && (next == null || nextDaily.isBefore(next))) {
                    next = nextDaily;
                    isMonthEnd = false;
                }
                if (next == null) {
                    break;
                }
                clock.set(next);
                if (isMonthEnd) {
                    monthEndDone = true;
                    runMonthEnd();
                } else {
                    nextDaily = nextDaily.plus(Duration.ofDays(1));
                    runRestatement();
                }
            }
            clock.set(target);
        }

        private void runMonthEnd() {
            List<String> withService = new ArrayList<>();
            accounts.forEachAccountWithServiceIn(OCT, withService::add);
            if (!withService.isEmpty()) {
                trace.add(clock.instant() + " month-end " + withService);
                statementService.recomputeAll(withService, OCT);
            }
        }

        private void runRestatement() {
            restatement.run();
            List<DrainedQueue.Message> messages = List.copyOf(queue.pending);
            queue.pending.clear();
            for (DrainedQueue.Message m : messages) {
                assertThat(m.kind()).isEqualTo(StatementWorkQueue.Kind.RESTATEMENT);
                trace.add(clock.instant() + " restatement batch " + m.month() + " " + m.ids());
                snapshotsInBatch = 0;
                assertThat(statementService.restateAll(m.ids(), m.month())).as("failed ids at %s", where()).isEmpty();
            }
        }

        // ---- observations ---------------------------------------------------------------

        /** What the scheduled runs and racing producers did, for failure messages. */
        private final List<String> trace = new ArrayList<>();

        private String where() {
            return "step " + step + " (" + current + ") at " + clock.instant();
        }

        private String trace() {
            return String.join("\n   ", trace.subList(Math.max(0, trace.size() - 12), trace.size()));
        }

        private boolean overEverywhere() {
            return !clock.instant().isBefore(OVER_EVERYWHERE);
        }

        /** From scratch over the current inputs: the live input repositories, no stored statement. */
        private Optional<Statement> fromScratchNow(String id) {
            return new StatementService(accounts, aggregates, windows, new InMemoryStatementRepository(), terms,
                    new InMemoryNoticeRepository(), s -> { }, clock).compute(id, OCT);
        }

        /** From scratch over fresh repositories built from the model of the final inputs. */
        private Optional<Statement> fromScratchFinal(String id) {
            InMemoryAccountRepository freshAccounts = new InMemoryAccountRepository();
            ids.forEach(a -> freshAccounts.save(account(a)));
            InMemoryAggregateRepository freshAggregates = new InMemoryAggregateRepository();
            trafficModel.forEach(freshAggregates::add);
            InMemoryMaintenanceWindowRepository freshWindows = new InMemoryMaintenanceWindowRepository();
            windowModel.values().forEach(freshWindows::save);
            InMemoryStatementRepository freshStatements = new InMemoryStatementRepository();
            StatementService fresh = new StatementService(freshAccounts, freshAggregates, freshWindows,
                    freshStatements, new InMemoryTermsRepository(DefaultTerms.version()),
                    new InMemoryNoticeRepository(), s -> { }, clock);
            fresh.recompute(id, OCT);
            return freshStatements.latest(id, OCT);
        }

        private void claim(String id) {
            Optional<Claim> standing = claims.acceptedClaim(id, OCT);
            Optional<Statement> expected = fromScratchNow(id);
            ClaimService.Submission s = claimService.submit(id, OCT);
            ClaimDecision d = s.claim().decision();
            Statistics.label("claim").collect(d.reason().map(Enum::name).orElse("ACCEPTED"));
            if (standing.isPresent()) {
                // S4.4/S5.5: the accepted claim stands, unchanged
                assertThat(s.claim()).as("standing claim at %s", where()).isEqualTo(standing.get());
                assertThat(s.created()).isFalse();
            } else if (d.accepted()) {
                firstAccepted.put(id, s.claim());
                if (changeableRefusals.containsKey(id)) {
                    Statistics.label("S7.3").collect("refused " + changeableRefusals.get(id) + ", accepted later");
                }
                // the voucher is the one of the stored revision it was decided on
                int decidedRevision = d.statementRevision().orElseThrow();
                Statement decidedOn = statements.history(id, OCT).stream()
                        .filter(st -> st.revision() == decidedRevision).findFirst().orElseThrow();
                assertThat(d.voucher()).as("voucher vs revision at %s", where()).isEqualTo(decidedOn.voucherAmount());
            } else if (d.reason().get() == RefusalReason.FEE_NOT_ASSESSED || d.reason().get() == RefusalReason.SLA_MET) {
                changeableRefusals.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(d.reason().get());
            }
            if (firstAccepted.containsKey(id)) {
                assertThat(claims.acceptedClaim(id, OCT)).contains(firstAccepted.get(id));
                assertThat(claims.acceptedClaims(id)).containsExactly(firstAccepted.get(id));
            }
            if (standing.isEmpty() && overEverywhere()) {
                // S7.2/S7.3: decided on the current statement, i.e. as over the inputs as they are now
                ClaimDecision want = ClaimPolicy.decide(expected, clock.instant());
                assertThat(List.of(d.accepted(), d.reason(), d.voucher()))
                        .as("claim of %s at %s: got %s, a from-scratch statement gives %s", id, where(), d, want)
                        .isEqualTo(List.of(want.accepted(), want.reason(), want.voucher()));
            }
        }

        private void read(String id) {
            ClaimService.StatementLookup lookup = claimService.statement(id, OCT);
            if (overEverywhere()) {
                assertLookup(id, lookup, fromScratchNow(id));
            }
        }

        private void assertLookup(String id, ClaimService.StatementLookup lookup, Optional<Statement> expected) {
            if (expected.isEmpty()) {
                assertThat(lookup).as("read of %s at %s: no service period from scratch, got %s", id, where(), lookup)
                        .isInstanceOf(ClaimService.NoServicePeriod.class);
            } else {
                assertThat(lookup).as("read of %s at %s", id, where()).isInstanceOf(ClaimService.Found.class);
                Statement got = ((ClaimService.Found) lookup).statement();
                assertThat(got.sameContentAs(expected.get()))
                        .as("read of %s at %s:%n got      %s%n expected %s", id, where(), got, expected.get())
                        .isTrue();
            }
        }

        /** S5.5: a stored revision is never changed or removed; revisions only grow. */
        private void checkHistoriesOnlyGrow() {
            for (String id : ids) {
                List<Statement> now = statements.history(id, OCT);
                List<Statement> before = histories.getOrDefault(id, List.of());
                assertThat(now.size()).as("history of %s at %s", id, where()).isGreaterThanOrEqualTo(before.size());
                assertThat(now.subList(0, before.size())).as("history of %s at %s", id, where()).isEqualTo(before);
                // revision numbers increase; a void revision (no service period any more) leaves a gap
                for (int r = 1; r < now.size(); r++) {
                    assertThat(now.get(r).revision()).isGreaterThan(now.get(r - 1).revision());
                }
                histories.put(id, now);
            }
        }

        /**
         * The stale-mark protocol's promise, between any two steps: a stored statement is either
         * marked stale (its own mark, or a month-wide mark it has not recorded) or has the content a
         * from-scratch computation over the inputs as they are now gives.
         */
        private void checkStoredIsStaleOrUpToDate() {
            for (String id : ids) {
                Optional<Statement> latest = stored.latest(id, OCT);
                if (latest.isEmpty() || stored.snapshot(id, OCT).stale(stored.monthMark(OCT))) {
                    continue;
                }
                Optional<Statement> now = fromScratchNow(id);
                assertThat(now.isPresent() && latest.get().sameContentAs(now.get()))
                        .as("%s at %s is not marked stale, but its stored statement is not up to date:%n stored  %s%n"
                                + " expected %s%n recent runs:%n   %s", id, where(), latest.get(), now, trace())
                        .isTrue();
            }
        }

        // ---- the end --------------------------------------------------------------------

        private void finish() {
            step++;
            current = "final";
            Instant end = clock.instant().isBefore(WINDOW_OPENS) ? WINDOW_OPENS : clock.instant();
            long minutes = Duration.between(clock.instant(), end.plus(Duration.ofHours(1))).toMinutes();
            advance(minutes);
            Map<String, Optional<Statement>> expected = new HashMap<>();
            ids.forEach(id -> expected.put(id, fromScratchFinal(id)));
            ids.forEach(id -> assertThat(fromScratchNow(id).map(s -> s.withRevision(1).sameContentAs(
                    expected.get(id).orElseThrow())).orElse(expected.get(id).isEmpty()))
                    .as("the model of the inputs matches the repositories").isTrue());

            if (world.finalRestatement()) {
                current = "final restatement";
                runRestatement();
                List<StaleEntry> left = new ArrayList<>();
                statements.forEachStale(left::add);
                assertThat(left).as("stale list after the final restatement").isEmpty();
                for (String id : ids) {
                    // (a) the restatement alone brought every statement up to date
                    if (expected.get(id).isPresent()) {
                        Optional<Statement> latest = statements.latest(id, OCT);
                        assertThat(latest).as("latest of %s after the final restatement", id).isPresent();
                        assertThat(latest.get().sameContentAs(expected.get(id).get()))
                                .as("latest of %s after the final restatement:%n got      %s%n expected %s", id,
                                        latest.get(), expected.get(id).get())
                                .isTrue();
                    }
                }
            }
            // (a) the read path, read twice
            current = "final reads";
            for (String id : ids) {
                assertLookup(id, claimService.statement(id, OCT), expected.get(id));
                assertLookup(id, claimService.statement(id, OCT), expected.get(id));
                expected.get(id).ifPresent(e -> assertThat(statements.latest(id, OCT).orElseThrow().sameContentAs(e))
                        .as("latest of %s after the reads", id).isTrue());
            }
            checkHistoriesOnlyGrow();

            // (b) and (c): a claim made now, inside the window, after the last change
            current = "final claims";
            for (String id : ids) {
                Claim standing = firstAccepted.get(id);
                Claim got = claimService.submit(id, OCT).claim();
                if (standing != null) {
                    assertThat(got).as("accepted claim of %s never changes", id).isEqualTo(standing);
                    assertThat(claims.acceptedClaims(id)).containsExactly(standing);
                    Statistics.label("final").collect("accepted earlier");
                    continue;
                }
                ClaimDecision want = ClaimPolicy.decide(expected.get(id), clock.instant());
                Set<RefusalReason> refusedBefore = changeableRefusals.getOrDefault(id, Set.of());
                boolean owed = expected.get(id).map(s -> s.compensable() && s.feeAssessed()).orElse(false);
                if (owed && !refusedBefore.isEmpty()) {
                    // (c) S7.3: a refusal on missing or changeable input is not final
                    assertThat(got.decision().accepted())
                            .as("%s refused %s earlier, compensable with a fee now: %s", id, refusedBefore,
                                    got.decision())
                            .isTrue();
                    Statistics.label("S7.3").collect("refused " + refusedBefore + ", accepted by the final claim");
                } else {
                    Statistics.label("final").collect(owed ? "owed" : "not owed");
                }
                assertThat(List.of(got.decision().accepted(), got.decision().reason(), got.decision().voucher()))
                        .as("final claim of %s: got %s, from scratch %s", id, got.decision(), want)
                        .isEqualTo(List.of(want.accepted(), want.reason(), want.voucher()));
                if (got.decision().accepted()) {
                    assertThat(claimService.submit(id, OCT).claim()).isEqualTo(got);
                }
            }
        }
    }
}
