package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.statement.RevisionCause.Kind;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S9.7: every statement revision records what caused it, carried from the stale mark the change left
 * (StaleMarks, ingest) to the revision the recomputation stores, with the event's id and instant.
 */
class RevisionCausesTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant MONTH_END = Instant.parse("2026-11-01T00:30:00Z");
    private static final Instant ERRORS_FROM = Instant.parse("2026-10-05T00:00:00Z");

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final SettableClock clock = new SettableClock(MONTH_END);
    private final List<Statement> announced = new ArrayList<>();
    private final StatementService service = new StatementService(accounts, aggregates, windows, statements, terms,
            new InMemoryNoticeRepository(), announced::add, clock);
    private final StaleMarks marks = new StaleMarks(statements, terms, clock);
    private final Map<YearMonth, MonthlyFee> fees = new HashMap<>();

    private void account(String id) {
        accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))), fees));
    }

    private void errors(String id, int skip, int n) {
        for (int i = 0; i < n; i++) {
            aggregates.add(new IntervalAggregate(id, ERRORS_FROM.plusSeconds(300L * (skip + i)),
                    new IntervalCounts(10, 10, 0, 0)));
        }
    }

    /** Marks a's October stale for a late record at stream {@code position} that arrived {@code at}: its cause. */
    private RevisionCause markLate(String position, Instant at) {
        RevisionCause cause = RevisionCause.lateTraffic(position, at);
        statements.markStale("a", OCT, cause);
        return cause;
    }

    private Statement restate(String id) {
        clock.set(clock.instant().plus(Duration.ofHours(1)));
        service.restate(id, OCT);
        return statements.latest(id, OCT).orElseThrow();
    }

    @BeforeEach
    void monthEnd() {
        fees.put(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"));
        account("a");
        account("b");
        service.recomputeAll(List.of("a", "b"), OCT);
        clock.set(Instant.parse("2026-11-03T03:00:00Z"));
    }

    @Test
    @DisplayName("S9.7 the first revision's cause is the month-end: the month, and when it ended in the terms' zone")
    void firstRevision() {
        Statement first = statements.latest("a", OCT).orElseThrow();
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.causes()).containsExactly(
                RevisionCause.of(Kind.MONTH_END, "2026-10", Instant.parse("2026-11-01T00:00:00Z")));
    }

    @Test
    @DisplayName("S9.7 late traffic: the revision names the first late record's stream position and arrival")
    void lateTraffic() {
        errors("a", 0, 50);
        Instant arrived = Instant.parse("2026-11-03T02:10:00Z");
        markLate("shardId-000000000000:4959", arrived);
        markLate("shardId-000000000000:4960", arrived.plusSeconds(60));
        Statement revised = restate("a");
        assertThat(revised.revision()).isEqualTo(2);
        assertThat(revised.causes()).containsExactly(new RevisionCause(Kind.LATE_TRAFFIC,
                Optional.of("shardId-000000000000:4960"), arrived.plusSeconds(60), 2));
    }

    @Test
    @DisplayName("S9.7 a fee assessed (none before) and a fee corrected, with the billing event's id and instant")
    void fees() {
        fees.remove(OCT);
        account("c");
        service.recompute("c", OCT);
        fees.put(OCT, MonthlyFee.of("500.00", "0.00", "EUR"));
        account("c");
        marks.feeChanged("c", OCT, "evt-fee-1");
        Instant assessedAt = clock.instant();
        Statement assessed = restate("c");
        assertThat(assessed.causes()).containsExactly(RevisionCause.of(Kind.FEE_ASSESSED, "evt-fee-1", assessedAt));

        fees.put(OCT, MonthlyFee.of("600.00", "0.00", "EUR"));
        account("c");
        marks.feeChanged("c", OCT, "evt-fee-2");
        Instant correctedAt = clock.instant();
        Statement corrected = restate("c");
        assertThat(corrected.revision()).isEqualTo(3);
        assertThat(corrected.causes()).containsExactly(RevisionCause.of(Kind.FEE_CORRECTED, "evt-fee-2", correctedAt));
    }

    @Test
    @DisplayName("S9.7 a window for all accounts (month-wide mark) is each account's cause: recorded, changed, withdrawn")
    void windowForAll() {
        errors("a", 0, 50);
        errors("b", 0, 50);
        statements.markStale("a", OCT);
        statements.markStale("b", OCT);
        service.restateAll(List.of("a", "b"), OCT); // revision 2 of both: unrecorded cause (no cause given)
        assertThat(statements.latest("a", OCT).orElseThrow().causes()).extracting(RevisionCause::kind)
                .containsExactly(Kind.UNRECORDED);

        MaintenanceWindow w = new MaintenanceWindow("mw-7", ERRORS_FROM, ERRORS_FROM.plusSeconds(300L * 20),
                ERRORS_FROM.minus(Duration.ofDays(1)), Optional.empty());
        windows.save(w);
        Instant recordedAt = clock.instant();
        marks.windowChanged(Optional.empty(), Optional.of(w));
        service.restateAll(List.of("a", "b"), OCT);
        for (String id : List.of("a", "b")) {
            assertThat(statements.latest(id, OCT).orElseThrow().causes())
                    .containsExactly(RevisionCause.of(Kind.WINDOW_RECORDED, "mw-7", recordedAt));
        }

        clock.set(clock.instant().plus(Duration.ofHours(2)));
        MaintenanceWindow longer = new MaintenanceWindow("mw-7", w.start(), w.end().plusSeconds(300L * 10),
                w.announcedAt(), Optional.empty());
        windows.save(longer);
        Instant changedAt = clock.instant();
        marks.windowChanged(Optional.of(w), Optional.of(longer));
        assertThat(service.restate("a", OCT).statement().orElseThrow().causes())
                .containsExactly(RevisionCause.of(Kind.WINDOW_CHANGED, "mw-7", changedAt));

        clock.set(clock.instant().plus(Duration.ofHours(2)));
        windows.delete("mw-7");
        Instant withdrawnAt = clock.instant();
        marks.windowChanged(Optional.of(longer), Optional.empty());
        // b never took the change of the window: its revision folds both changes in, oldest first
        service.restateAll(List.of("a", "b"), OCT);
        assertThat(statements.latest("a", OCT).orElseThrow().causes())
                .containsExactly(RevisionCause.of(Kind.WINDOW_WITHDRAWN, "mw-7", withdrawnAt));
        assertThat(statements.latest("b", OCT).orElseThrow().causes()).containsExactly(
                RevisionCause.of(Kind.WINDOW_CHANGED, "mw-7", changedAt),
                RevisionCause.of(Kind.WINDOW_WITHDRAWN, "mw-7", withdrawnAt));
    }

    @Test
    @DisplayName("S9.7 a change that changes nothing leaves no revision, and its cause is not carried to a later one")
    void unchangedDropsItsCause() {
        markLate("shardId-0:1", clock.instant()); // a duplicate
        assertThat(service.restate("a", OCT).outcome()).isEqualTo(StatementService.Outcome.UNCHANGED);
        errors("a", 0, 50);
        Instant later = clock.instant().plusSeconds(600);
        RevisionCause second = markLate("shardId-0:2", later);
        assertThat(restate("a").causes()).containsExactly(second);
    }

    @Test
    @DisplayName("S9.7 a cause whose mark survived a lost clear is not recorded twice: the next revision has only what is new")
    void causesAlreadyRecordedAreNotRepeated() {
        errors("a", 0, 50);
        RevisionCause first = markLate("shardId-0:1", clock.instant());
        Statement two = restate("a");
        assertThat(two.causes()).containsExactly(first);
        // a mark left with the same cause (the clear lost to a concurrent mark that carried it again)
        statements.markStale("a", OCT, first);
        errors("a", 100, 10);
        Instant fee = clock.instant().plusSeconds(5);
        statements.markStale("a", OCT, RevisionCause.of(Kind.SUBSCRIPTION_CHANGED, "evt-sub", fee));
        Statement three = restate("a");
        assertThat(three.causes()).containsExactly(RevisionCause.of(Kind.SUBSCRIPTION_CHANGED, "evt-sub", fee));
    }

    @Test
    @DisplayName("S9.7 StatementCompensable carries the revision's causes (the event is the statement)")
    void compensableAnnouncementCarriesCauses() throws Exception {
        errors("a", 0, 50);
        RevisionCause late = markLate("shardId-0:9", clock.instant());
        restate("a");
        Statement event = announced.get(announced.size() - 1);
        assertThat(event.compensable()).isTrue();
        assertThat(event.causes()).containsExactly(late);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(StatementJson.toJson(event))
                .get("causes").get(0).get("kind").asText()).isEqualTo("late-traffic");
        assertThat(StatementJson.fromJson(StatementJson.toJson(event))).isEqualTo(event);
    }

    @Test
    @DisplayName("S9.7 revisions read with their causes and what changed against the previous (availability, tier, base, voucher)")
    void revisionsWithChanges() {
        errors("a", 0, 50);
        markLate("shardId-0:1", clock.instant());
        restate("a");
        StatementEvidence reads = new StatementEvidence(accounts, aggregates, windows, statements, terms, clock,
                Duration.ofDays(92));
        StatementEvidence.Revisions revisions = (StatementEvidence.Revisions) reads.revisions("a", OCT);
        assertThat(revisions.revisions()).hasSize(2);
        assertThat(revisions.revisions().get(0).changes()).isEmpty();
        assertThat(revisions.revisions().get(1).changes()).extracting(StatementEvidence.Change::field)
                .containsExactly("availability", "compensationPercent", "voucherAmount");
        StatementEvidence.Change tier = revisions.revisions().get(1).changes().get(1);
        assertThat(tier.from()).isEqualTo("0");
        assertThat(tier.to()).isEqualTo("10");
        assertThat(reads.revisions("nobody", OCT)).isInstanceOf(StatementEvidence.NoServicePeriod.class);
        assertThat(reads.revisions("a", YearMonth.of(2027, 5))).isInstanceOf(StatementEvidence.NoServicePeriod.class);
        assertThat(reads.revisions("a", YearMonth.of(2026, 11))).isInstanceOf(StatementEvidence.NotYetComputed.class);
    }
}
