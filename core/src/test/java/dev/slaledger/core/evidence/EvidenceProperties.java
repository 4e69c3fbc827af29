package dev.slaledger.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.availability.AvailabilityCalculator;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StatementEvidence;
import dev.slaledger.core.usecase.StatementService;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * S9.6 over generated months: the intervals the evidence lists as counting against a statement,
 * read page by page through {@link StatementEvidence} (the claims route's use case), have rates
 * whose exact sum is the statement's exact error-rate sum, so written to the statement's 18
 * decimals it is its {@code errorRateSum}; pages are in order, never overlap, and list only
 * intervals of the service period. Months vary the zone (DST, a 45-minute offset), partial and
 * gapped periods, traffic at the month's edges, E >= V and V = 0, exclusion flags, and windows
 * announced in time or late, for the account or for others.
 */
class EvidenceProperties {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final long MONTH_START_UTC = OCT.atDay(1).atStartOfDay(ZoneId.of("UTC")).toEpochSecond();
    private static final String ACCOUNT = "acme";

    record Row(int index, long valid, long errors, long unreached, long flagged) {
    }

    record Window(int startMinute, int lengthMinutes, boolean inTime, boolean forAccount) {
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<Row> row = Combinators.combine(
                Arbitraries.integers().between(-300, 8928 + 300),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.longs().between(0, 0)),
                        Tuple.of(8, Arbitraries.longs().between(1, 1000)),
                        Tuple.of(1, Arbitraries.longs().between(1, 4_000_000_000L))),
                Arbitraries.longs().between(0, 40),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(0, 0)),
                        Tuple.of(2, Arbitraries.longs().between(1, 30))),
                Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.longs().between(0, 0)),
                        Tuple.of(3, Arbitraries.longs().between(1, 9))))
                .as((i, v, e, u, x) -> new Row(i, v, Math.min(e, v), u, x));
        return row.list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Window>> windows() {
        return Combinators.combine(Arbitraries.integers().between(-600, 44640 + 600),
                Arbitraries.integers().between(1, 3000), Arbitraries.of(true, true, false),
                Arbitraries.of(true, true, false)).as(Window::new).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of("UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Kathmandu");
    }

    @Provide
    Arbitrary<List<Integer>> termDays() {
        // first day, last day of a first term, and of a second one (gaps and overlaps both occur)
        return Arbitraries.integers().between(1, 31).list().ofSize(4);
    }

    @Property(tries = 200)
    void s9_6_listedRatesSumExactlyToTheStatementsErrorRateSum(@ForAll("rows") List<Row> rows,
            @ForAll("windows") List<Window> windowSpecs, @ForAll("zones") String zoneId,
            @ForAll("termDays") List<Integer> days, @ForAll @IntRange(min = 1, max = 40) int limit) {
        ZoneId zone = ZoneId.of(zoneId);
        TermsVersion d = DefaultTerms.version();
        TermsVersion terms = TermsVersion.validated("zoned", d.effectiveFrom(), zone, d.commitment(), d.tiers(),
                d.capPercent(), d.claim(), d.noticeDays(), d.holidays());
        List<Term> termList = List.of(term(days.get(0), days.get(1)), term(days.get(2), days.get(3)));
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        accounts.save(new Account(ACCOUNT, "ops@acme.test", Optional.empty(), termList,
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
        InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
        AccountMonthTraffic traffic = new AccountMonthTraffic();
        for (Row r : rows) {
            Instant start = Instant.ofEpochSecond(MONTH_START_UTC + 300L * r.index());
            IntervalCounts counts = new IntervalCounts(r.valid(), r.errors(), r.unreached(), r.flagged());
            aggregates.add(new IntervalAggregate(ACCOUNT, start, counts));
            traffic.add(start, counts);
        }
        InMemoryMaintenanceWindowRepository windowRepo = new InMemoryMaintenanceWindowRepository();
        List<MaintenanceWindow> windows = new ArrayList<>();
        for (int i = 0; i < windowSpecs.size(); i++) {
            Window w = windowSpecs.get(i);
            Instant start = Instant.ofEpochSecond(MONTH_START_UTC + 60L * w.startMinute());
            MaintenanceWindow window = new MaintenanceWindow("mw-" + i, start, start.plusSeconds(60L * w.lengthMinutes()),
                    w.inTime() ? start.minus(Duration.ofDays(2)) : start.plusSeconds(1),
                    w.forAccount() ? Optional.empty() : Optional.of(Set.of("someone-else")));
            windowRepo.save(window);
            windows.add(window);
        }
        InMemoryStatementRepository statements = new InMemoryStatementRepository();
        InMemoryTermsRepository termsRepo = new InMemoryTermsRepository(terms);
        SettableClock clock = new SettableClock(Instant.parse("2026-11-02T00:00:00Z"));
        new StatementService(accounts, aggregates, windowRepo, statements, termsRepo, new InMemoryNoticeRepository(),
                s -> { }, clock).recompute(ACCOUNT, OCT);
        Statement statement = statements.latest(ACCOUNT, OCT).orElseThrow();
        StatementEvidence evidence = new StatementEvidence(accounts, aggregates, windowRepo, statements, termsRepo,
                clock, Duration.ofDays(92));

        List<IntervalEvidence> all = new ArrayList<>();
        Optional<Instant> cursor = Optional.empty();
        int pages = 0;
        do {
            StatementEvidence.IntervalsPage page = (StatementEvidence.IntervalsPage) evidence.intervals(ACCOUNT, OCT,
                    cursor, limit);
            assertThat(page.upToDate()).isTrue();
            assertThat(page.counted().size() + page.excluded().size()).isLessThanOrEqualTo(limit);
            List<IntervalEvidence> listed = new ArrayList<>(page.counted());
            listed.addAll(page.excluded());
            listed.sort(java.util.Comparator.comparing(IntervalEvidence::start));
            for (IntervalEvidence iv : listed) {
                assertThat(cursor.map(c -> !iv.start().isBefore(c)).orElse(true)).isTrue();
                assertThat(all.isEmpty() || iv.start().isAfter(all.get(all.size() - 1).start())).isTrue();
                all.add(iv);
            }
            page.next().ifPresent(n -> assertThat(listed.isEmpty() || n.isAfter(listed.get(listed.size() - 1).start()))
                    .isTrue());
            cursor = page.next();
            assertThat(++pages).isLessThan(10_000);
        } while (cursor.isPresent());

        ServicePeriod period = ServicePeriod.of(termList, OCT).orElseThrow();
        long[] bounds = period.epochSecondBounds(zone);
        for (IntervalEvidence iv : all) {
            assertThat(EvidenceCalculator.inPeriod(bounds, iv.start().getEpochSecond())).isTrue();
            assertThat(iv.errors() > 0 || iv.flaggedErrors() > 0).isTrue();
            if (iv.counts()) {
                assertThat(iv.rate()[0].signum()).isPositive();
            }
        }
        BigInteger[] listedSum = EvidenceCalculator.exactSum(all);
        BigInteger[] exact = AvailabilityCalculator.compute(ACCOUNT, period, zone, traffic, windows)
                .exactErrorRateSum();
        assertThat(listedSum[0].multiply(exact[1])).isEqualTo(exact[0].multiply(listedSum[1]));
        BigDecimal written = new BigDecimal(listedSum[0]).divide(new BigDecimal(listedSum[1]), 18, RoundingMode.HALF_UP);
        assertThat(written).isEqualTo(statement.errorRateSum());
    }

    private static Term term(int a, int b) {
        LocalDate x = OCT.atDay(Math.min(a, b));
        LocalDate y = OCT.atDay(Math.max(a, b));
        return new Term(x, y);
    }
}
