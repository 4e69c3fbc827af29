package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.OctoberStatements.statement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.NoticeRepository.Delivery;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The Ledger table adapters against the DynamoDB of the {@code Engines} fixture (moto, or LocalStack). */
@UsesEngines
class LedgerTableIT {
    private static DynamoDbClient dynamo;
    private static final String TABLE = "LedgerIT";

    @BeforeAll
    static void start() {
        dynamo = LedgerTables.create(TABLE);
    }

    @Test
    @DisplayName("D3/S5.5: revisions are stored once each, latest reads the newest, the JSON round-trips")
    void revisions() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        YearMonth month = YearMonth.parse("2026-10");
        Statement first = statement("acme", 100);
        assertThat(repo.latest("acme", month)).isEmpty();
        assertThat(repo.saveRevision(first)).isTrue();
        assertThat(repo.saveRevision(first)).as("same revision twice").isFalse();
        Statement second = statement("acme", 200).withRevision(2);
        assertThat(repo.saveRevision(second)).isTrue();
        assertThat(repo.latest("acme", month)).contains(second);
        assertThat(repo.history("acme", month)).containsExactly(first, second);
        assertThat(second.voucherAmount()).map(Object::toString).contains("225.00 EUR");
    }

    @Test
    @DisplayName("S4.4: of many concurrent writers of one revision exactly one wins")
    void concurrentRevision() throws Exception {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        Statement s = statement("race", 5);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                tasks.add(() -> repo.saveRevision(s));
            }
            int wins = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                wins += f.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("outbox: a compensable revision owes its event until marked sent")
    void eventOutbox() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        Statement s = statement("outbox", 100);
        assertThat(s.compensable()).isTrue();
        repo.saveRevision(s);
        assertThat(repo.eventPending("outbox", s.month(), 1)).isTrue();
        repo.markEventSent("outbox", s.month(), 1);
        assertThat(repo.eventPending("outbox", s.month(), 1)).isFalse();
        Statement met = statement("met", 0);
        repo.saveRevision(met);
        assertThat(repo.eventPending("met", met.month(), 1)).isFalse();
    }

    @Test
    @DisplayName("S5.5: a stale mark set again after it was read survives the clear")
    void staleMarks() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        YearMonth month = YearMonth.parse("2026-09");
        assertThat(repo.staleMark("late", month)).isEmpty();
        repo.markStale("late", month);
        long seen = repo.staleMark("late", month).orElseThrow();
        repo.markStale("late", month);
        repo.clearStale("late", month, seen);
        assertThat(repo.staleMark("late", month)).isPresent();
        repo.clearStale("late", month, repo.staleMark("late", month).orElseThrow());
        assertThat(repo.staleMark("late", month)).isEmpty();
    }

    private static List<StatementRepository.StaleEntry> staleList(DynamoDbStatementRepository repo) {
        List<StatementRepository.StaleEntry> entries = new java.util.ArrayList<>();
        repo.forEachStale(entries::add);
        return entries;
    }

    @Test
    @DisplayName("S7.2: the sparse stale index lists a marked account-month until the mark read is cleared, and a month-wide mark until handed out")
    void staleIndex() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        YearMonth month = YearMonth.parse("2026-08");
        repo.markStale("indexed#1", month); // an id with '#' still parses: the month is the key's last 7 characters
        repo.markStale("indexed", month);
        repo.markStale("indexed", month);
        assertThat(staleList(repo)).contains(
                new StatementRepository.StaleEntry(Optional.of("indexed#1"), month, 1),
                new StatementRepository.StaleEntry(Optional.of("indexed"), month, 2));
        repo.clearStale("indexed", month, 1); // an older mark: the clear fails, the entry stays
        assertThat(staleList(repo)).contains(new StatementRepository.StaleEntry(Optional.of("indexed"), month, 2));
        repo.clearStale("indexed", month, 2);
        assertThat(staleList(repo)).noneMatch(e -> e.accountId().equals(Optional.of("indexed")));

        assertThat(repo.monthMark(month)).isZero();
        repo.markMonthStale(month);
        repo.markMonthStale(month);
        assertThat(repo.monthMark(month)).isEqualTo(2);
        assertThat(staleList(repo)).contains(new StatementRepository.StaleEntry(Optional.empty(), month, 2));
        repo.clearMonthStale(month, 1); // marked again since: stays listed
        assertThat(staleList(repo)).contains(new StatementRepository.StaleEntry(Optional.empty(), month, 2));
        repo.clearMonthStale(month, 2);
        assertThat(staleList(repo)).noneMatch(e -> e.accountId().isEmpty() && e.month().equals(month));
        assertThat(repo.monthMark(month)).isEqualTo(2); // the mark itself is never reset

        repo.recordMonthDone("indexed", month, 2);
        repo.recordMonthDone("indexed", month, 1); // never lowered
        assertThat(repo.snapshot("indexed", month).monthDone()).isEqualTo(2);
        assertThat(repo.snapshot("indexed", month).stale(2)).isFalse();
        assertThat(repo.snapshot("indexed", month).stale(3)).isTrue();
        // acknowledging the month-wide mark does not put the account-month on the index
        assertThat(staleList(repo)).noneMatch(e -> e.accountId().equals(Optional.of("indexed")));
    }

    @Test
    @DisplayName("S5.5: one snapshot read returns the latest revision and the stale mark together")
    void snapshot() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        YearMonth month = YearMonth.parse("2026-10");
        assertThat(repo.snapshot("snap", month))
                .isEqualTo(new dev.slaledger.core.port.StatementRepository.Snapshot(Optional.empty(), Optional.empty()));
        repo.markStale("snap", month);
        assertThat(repo.snapshot("snap", month).staleMark()).contains(1L);
        assertThat(repo.snapshot("snap", month).latest()).isEmpty();
        Statement first = statement("snap", 10);
        Statement second = statement("snap", 20).withRevision(2);
        repo.saveRevision(first);
        repo.saveRevision(second);
        assertThat(repo.snapshot("snap", month).latest()).contains(second);
        assertThat(repo.snapshot("snap", month).staleMark()).contains(1L);
        repo.clearStale("snap", month, 1L);
        assertThat(repo.snapshot("snap", month))
                .isEqualTo(new dev.slaledger.core.port.StatementRepository.Snapshot(Optional.of(second), Optional.empty()));
    }

    @Test
    @DisplayName("S7.1/S5.5: a void revision ends a statement (no service period any more): latest is empty, history keeps the statements, the next revision follows the void")
    void voidRevision() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        Statement first = statement("voided", 10);
        YearMonth month = first.month();
        repo.saveRevision(first);
        assertThat(repo.saveVoid("voided", month, 1)).isFalse(); // taken
        assertThat(repo.saveVoid("voided", month, 2)).isTrue();
        assertThat(repo.latest("voided", month)).isEmpty();
        assertThat(repo.snapshot("voided", month).latest()).isEmpty();
        assertThat(repo.snapshot("voided", month).latestRevision()).isEqualTo(2);
        assertThat(repo.history("voided", month)).containsExactly(first);
        Statement back = statement("voided", 20).withRevision(3);
        assertThat(repo.saveRevision(back)).isTrue();
        assertThat(repo.latest("voided", month)).contains(back);
        assertThat(repo.history("voided", month)).containsExactly(first, back);
    }

    @Test
    @DisplayName("S7.1: a window is found by id (its stored version, to mark what it covered) and withdrawn by id")
    void windowFindAndDelete() {
        DynamoDbMaintenanceWindowRepository repo = new DynamoDbMaintenanceWindowRepository(dynamo, TABLE);
        MaintenanceWindow w = new MaintenanceWindow("mw-find", Instant.parse("2026-07-03T02:00:00Z"),
                Instant.parse("2026-07-03T03:00:00Z"), Instant.parse("2026-06-20T00:00:00Z"),
                Optional.of(java.util.Set.of("acme")));
        assertThat(repo.find("mw-find")).isEmpty();
        repo.save(w);
        assertThat(repo.find("mw-find")).contains(w);
        repo.delete("mw-find");
        assertThat(repo.find("mw-find")).isEmpty();
        repo.delete("mw-find"); // withdrawing twice is harmless
    }

    @Test
    @DisplayName("D4/S2.4: windows are found by overlap, with their account scope kept")
    void maintenanceWindows() {
        DynamoDbMaintenanceWindowRepository repo = new DynamoDbMaintenanceWindowRepository(dynamo, TABLE);
        MaintenanceWindow all = new MaintenanceWindow("mw-all", Instant.parse("2026-10-03T02:00:00Z"),
                Instant.parse("2026-10-03T03:00:00Z"), Instant.parse("2026-09-20T00:00:00Z"), Optional.empty());
        MaintenanceWindow some = new MaintenanceWindow("mw-some", Instant.parse("2026-11-03T02:00:00Z"),
                Instant.parse("2026-11-03T03:00:00Z"), Instant.parse("2026-10-20T00:00:00Z"),
                Optional.of(Set.of("acme", "globex")));
        repo.save(all);
        repo.save(some);
        assertThat(repo.overlapping(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")))
                .containsExactly(all);
        assertThat(repo.overlapping(Instant.parse("2026-11-03T02:59:00Z"), Instant.parse("2026-12-01T00:00:00Z")))
                .containsExactly(some);
        assertThat(repo.overlapping(Instant.parse("2026-10-03T03:00:00Z"), Instant.parse("2026-11-03T02:00:00Z")))
                .as("half-open bounds").isEmpty();
    }

    @Test
    @DisplayName("D5/S6.1: versions publish once, in order, after the original terms")
    void termsVersions() {
        DynamoDbTermsRepository repo = new DynamoDbTermsRepository(dynamo, TABLE, DefaultTerms.version());
        assertThat(repo.published()).containsExactly(DefaultTerms.version());
        TermsVersion next = TermsParser.parse(TermsParser.toJson(DefaultTerms.version())
                .replace("\"2026-01\"", "\"2027-01\"").replace("2026-01-01", "2027-01-01")
                .replace("\"99.90\"", "\"99.95\""));
        assertThat(repo.publish(next)).isTrue();
        assertThat(repo.publish(next)).isFalse();
        assertThat(repo.published()).containsExactly(DefaultTerms.version(), next);
        assertThat(repo.current()).contains(next);
    }

    @Test
    @DisplayName("S6.4: a delivery is recorded once per account and version; S6.3 reads the dates")
    void notices() {
        DynamoDbNoticeRepository repo = new DynamoDbNoticeRepository(dynamo, TABLE);
        Delivery d = new Delivery("acme", "2027-01", "msg-1", Instant.parse("2026-11-20T08:00:00Z"),
                LocalDate.parse("2026-11-20"));
        assertThat(repo.recordSent(d)).isTrue();
        assertThat(repo.recordSent(new Delivery("acme", "2027-01", "msg-2", Instant.parse("2026-11-21T08:00:00Z"),
                LocalDate.parse("2026-11-21")))).isFalse();
        assertThat(repo.find("acme", "2027-01")).contains(d);
        assertThat(repo.sentDates("acme")).isEqualTo(Map.of("2027-01", LocalDate.parse("2026-11-20")));
    }
}
