package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.evidence.FlagCounts;
import dev.slaledger.core.evidence.IntervalEvidence;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S9.6: the evidence of a statement, read-only, a page at a time, with its edges. */
class StatementEvidenceTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant DAY5 = Instant.parse("2026-10-05T00:00:00Z");

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    /** The aggregates, counting the Queries the evidence sends. */
    private static final class CountingReads implements AggregateRepository {
        private final AggregateRepository delegate;
        private int loads;

        CountingReads(AggregateRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public AccountMonthTraffic load(String accountId, Instant from, Instant to) {
            loads++;
            return delegate.load(accountId, from, to);
        }

        int loads() {
            return loads;
        }
    }

    private final CountingReads reads = new CountingReads(aggregates);
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-01T00:30:00Z"));
    private final StatementService service = new StatementService(accounts, aggregates, windows, statements, terms,
            new InMemoryNoticeRepository(), s -> { }, clock);
    private final StatementEvidence evidence = new StatementEvidence(accounts, reads, windows, statements, terms,
            clock, Duration.ofDays(92));

    private void add(Instant start, long v, long e, long u, long x) {
        aggregates.add(new IntervalAggregate("a", start, new IntervalCounts(v, e, u, x)));
    }

    @BeforeEach
    void month() {
        accounts.save(new Account("a", "a@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
        add(DAY5, 3, 1, 0, 0); // r = 1/3
        add(DAY5.plusSeconds(300), 0, 0, 2, 0); // V = 0 < E: r = 1
        add(DAY5.plusSeconds(600), 100, 0, 0, 4); // flagged only: excluded, not counted
        add(DAY5.plusSeconds(900), 10, 10, 5, 1); // E > V: r = 1, with a flag
        add(Instant.parse("2026-10-20T10:00:00Z"), 10, 5, 0, 0); // inside the window below
        add(Instant.parse("2026-10-20T11:00:00Z"), 10, 0, 0, 0); // no errors: never listed
        windows.save(new MaintenanceWindow("mw-20", Instant.parse("2026-10-20T09:30:00Z"),
                Instant.parse("2026-10-20T10:30:00Z"), Instant.parse("2026-10-19T00:00:00Z"), Optional.empty()));
        service.recompute("a", OCT);
    }

    private StatementEvidence.IntervalsPage page(Optional<Instant> cursor, int limit) {
        return (StatementEvidence.IntervalsPage) evidence.intervals("a", OCT, cursor, limit);
    }

    @Test
    @DisplayName("S9.6 counted intervals with exact rates (1/3, V = 0 < E, E > V) and excluded ones by flag and by window id")
    void lists() {
        StatementEvidence.IntervalsPage page = page(Optional.empty(), 288);
        assertThat(page.upToDate()).isTrue();
        assertThat(page.next()).isEmpty();
        assertThat(page.counted()).extracting(IntervalEvidence::rateFraction).containsExactly("1/3", "1/1", "1/1");
        assertThat(page.counted().get(0).rateDecimal()).hasToString("0.333333333333333333");
        assertThat(page.counted().get(2).flaggedErrors()).isEqualTo(1);
        assertThat(page.excluded()).hasSize(2);
        assertThat(page.excluded().get(0).exclusion()).isEqualTo("flagged");
        assertThat(page.excluded().get(0).flaggedErrors()).isEqualTo(4);
        assertThat(page.excluded().get(1).exclusion()).isEqualTo("maintenance-window");
        assertThat(page.excluded().get(1).windowId()).contains("mw-20");
        Statement s = page.statement();
        assertThat(s.errorRateSum()).isEqualByComparingTo("2.333333333333333333");
        assertThat(reads.loads()).isEqualTo(31); // one Query per day of the period
    }

    @Test
    @DisplayName("S9.6 S2.4 an excluded interval carries its flag counts by kind (maintenance, customer-compromised, "
            + "content-ban; a pre-aggregated total of no known kind) and its window id")
    void flagCountsByKind() {
        Instant at = Instant.parse("2026-10-07T00:00:00Z");
        aggregates.add(new IntervalAggregate("a", at, new IntervalCounts(50, 0, 0, 6, 3, 2, 1)));
        aggregates.add(new IntervalAggregate("a", at, new IntervalCounts(0, 0, 0, 4))); // a pre-aggregated total
        Instant inWindow = Instant.parse("2026-10-20T10:05:00Z");
        aggregates.add(new IntervalAggregate("a", inWindow, new IntervalCounts(20, 2, 0, 1, 0, 0, 1)));
        service.recompute("a", OCT);

        StatementEvidence.IntervalsPage page = page(Optional.empty(), 288);
        IntervalEvidence flagged = page.excluded().stream().filter(iv -> iv.start().equals(at)).findFirst().orElseThrow();
        assertThat(flagged.exclusion()).isEqualTo("flagged");
        assertThat(flagged.flagged()).isEqualTo(new FlagCounts(3, 2, 1, 4));
        assertThat(flagged.flagged().byName()).containsExactly(entry("maintenance", 3L),
                entry("customer-compromised", 2L), entry("content-ban", 1L), entry("unspecified", 4L));
        assertThat(flagged.flaggedErrors()).isEqualTo(10);
        assertThat(flagged.windowId()).isEmpty();
        IntervalEvidence windowed = page.excluded().stream().filter(iv -> iv.start().equals(inWindow)).findFirst()
                .orElseThrow();
        assertThat(windowed.exclusion()).isEqualTo("maintenance-window");
        assertThat(windowed.windowId()).contains("mw-20");
        assertThat(windowed.flagged()).isEqualTo(new FlagCounts(0, 0, 1, 0));
        // the listed counted rates still sum exactly to the statement's errorRateSum
        assertThat(page.counted()).extracting(IntervalEvidence::rateFraction).containsExactly("1/3", "1/1", "1/1");
        assertThat(page.statement().errorRateSum()).isEqualByComparingTo("2.333333333333333333");
    }

    @Test
    @DisplayName("S9.6 pages: a cursor continues where the last page stopped; each page reads from its cursor on")
    void pages() {
        StatementEvidence.IntervalsPage first = page(Optional.empty(), 2);
        assertThat(first.counted()).hasSize(2);
        assertThat(first.next()).contains(DAY5.plusSeconds(600));
        StatementEvidence.IntervalsPage second = page(first.next(), 2);
        assertThat(second.excluded()).hasSize(1);
        assertThat(second.counted()).hasSize(1);
        // the page filled up with the last interval of the day it read: the next one starts after that day
        assertThat(second.next()).contains(Instant.parse("2026-10-06T00:10:00Z"));
        StatementEvidence.IntervalsPage third = page(second.next(), 2);
        assertThat(third.excluded()).extracting(iv -> iv.windowId().orElseThrow()).containsExactly("mw-20");
        assertThat(third.next()).isEmpty();
    }

    @Test
    @DisplayName("S9.6 a cursor that is no interval start of the period is refused")
    void badCursor() {
        assertThatThrownBy(() -> page(Optional.of(DAY5.plusSeconds(1)), 5))
                .isInstanceOf(StatementEvidence.InvalidCursor.class);
        assertThatThrownBy(() -> page(Optional.of(Instant.parse("2026-11-01T00:00:00Z")), 5))
                .isInstanceOf(StatementEvidence.InvalidCursor.class);
    }

    @Test
    @DisplayName("S9.6 a stale statement is not recomputed: its page says it is not up to date, and nothing is written")
    void staleIsNotRecomputed() {
        add(DAY5.plusSeconds(3000), 2, 1, 0, 0);
        statements.markStale("a", OCT);
        StatementEvidence.IntervalsPage page = page(Optional.empty(), 288);
        assertThat(page.upToDate()).isFalse();
        assertThat(page.counted()).hasSize(4);
        assertThat(statements.history("a", OCT)).hasSize(1);
        assertThat(statements.staleMark("a", OCT)).isPresent();
    }

    @Test
    @DisplayName("S7.4 past the aggregates' retention the evidence is gone: the date it expired")
    void expired() {
        clock.set(Instant.parse("2027-04-03T12:00:00Z"));
        StatementEvidence.Lookup gone = evidence.intervals("a", OCT, Optional.empty(), 10);
        assertThat(gone).isInstanceOf(StatementEvidence.Expired.class);
        // October's windows close at the start of January at UTC-12, plus 92 days
        assertThat(((StatementEvidence.Expired) gone).expiredAt()).isEqualTo(Instant.parse("2027-04-03T12:00:00Z"));
        clock.set(Instant.parse("2027-04-03T11:59:59Z"));
        assertThat(evidence.intervals("a", OCT, Optional.empty(), 10)).isInstanceOf(StatementEvidence.IntervalsPage.class);
    }

    @Test
    @DisplayName("S9.6 no statement: a month outside the periods, and one not yet computed")
    void missing() {
        assertThat(evidence.intervals("a", YearMonth.of(2027, 3), Optional.empty(), 10))
                .isInstanceOf(StatementEvidence.NoServicePeriod.class);
        assertThat(evidence.intervals("a", YearMonth.of(2026, 11), Optional.empty(), 10))
                .isInstanceOf(StatementEvidence.NotYetComputed.class);
        assertThat(evidence.intervals("someone-else", OCT, Optional.empty(), 10))
                .isInstanceOf(StatementEvidence.NoServicePeriod.class);
    }
}
