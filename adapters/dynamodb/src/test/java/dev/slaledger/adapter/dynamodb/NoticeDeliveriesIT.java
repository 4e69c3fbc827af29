package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries.Record;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeRepository.Delivery;
import dev.slaledger.core.port.UndeliverableContacts.Undeliverable;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The notice delivery life (reserve, complete, release, bounce) on the DynamoDB of the {@code Engines} fixture. */
@UsesEngines
class NoticeDeliveriesIT {
    private static DynamoDbClient dynamo;
    private static final String TABLE = "NoticeDeliveriesIT";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    @BeforeAll
    static void start() {
        dynamo = LedgerTables.create(TABLE);
    }

    private static Attempt attempt(String account, String id) {
        return new Attempt(account, "2027-01", id, account + "@example.com", ZONE, T0, T0.plusSeconds(48 * 3600));
    }

    @Test
    @DisplayName("S6.4: of 8 concurrent runs reserving the same account and version, exactly one wins")
    void oneReservationWins() throws Exception {
        DynamoDbNoticeRepository repo = new DynamoDbNoticeRepository(dynamo, TABLE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "run-" + i;
            Callable<Boolean> reserve = () -> {
                go.await();
                return repo.reserve(attempt("race", id), Optional.empty());
            };
            results.add(pool.submit(reserve));
        }
        go.countDown();
        int wins = 0;
        for (Future<Boolean> f : results) {
            wins += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(wins).isEqualTo(1);
        assertThat(repo.stored("race", "2027-01")).get().extracting(Record::state).isEqualTo(State.SENDING);
    }

    @Test
    @DisplayName("S6.3/S6.4: SENDING and RETRY are not notices; complete makes one; only the reserving attempt can complete or release")
    void lifecycle() {
        DynamoDbNoticeRepository repo = new DynamoDbNoticeRepository(dynamo, TABLE);
        assertThat(repo.reserve(attempt("acme", "a1"), Optional.empty())).isTrue();
        assertThat(repo.attempt("a1")).get().satisfies(a -> {
            assertThat(a.accountId()).isEqualTo("acme");
            assertThat(a.zone()).isEqualTo(ZONE);
        });
        assertThat(repo.sentDates("acme")).isEmpty();
        assertThat(repo.find("acme", "2027-01")).isEmpty();

        assertThat(repo.release("acme", "2027-01", "someone-else", "x")).isFalse();
        assertThat(repo.release("acme", "2027-01", "a1", "SES answered 429")).isTrue();
        Record retry = repo.stored("acme", "2027-01").orElseThrow();
        assertThat(retry.state()).isEqualTo(State.RETRY);
        assertThat(retry.failures()).isEqualTo(1);
        assertThat(repo.reserve(attempt("acme", "a2"), Optional.empty())).as("not as if new").isFalse();
        assertThat(repo.reserve(attempt("acme", "a2"), Optional.of(retry))).isTrue();
        assertThat(repo.reserve(attempt("acme", "a3"), Optional.of(retry))).as("stale previous").isFalse();

        assertThat(repo.complete("acme", "2027-01", "a1", "m1", T0, LocalDate.parse("2026-11-02"))).isFalse();
        assertThat(repo.complete("acme", "2027-01", "a2", "m2", T0, LocalDate.parse("2026-11-02"))).isTrue();
        assertThat(repo.complete("acme", "2027-01", "a2", "m2", T0, LocalDate.parse("2026-11-02"))).isFalse();
        assertThat(repo.find("acme", "2027-01")).contains(new Delivery("acme", "2027-01", "m2", T0,
                LocalDate.parse("2026-11-02")));
        assertThat(repo.sentDates("acme")).containsEntry("2027-01", LocalDate.parse("2026-11-02"));
        Record sent = repo.stored("acme", "2027-01").orElseThrow();
        assertThat(sent.sends()).isEqualTo(1);
        assertThat(sent.failures()).isEqualTo(1);

        assertThat(repo.markBounced("acme", "2027-01", "other-message", "Bounce/Permanent/General")).isFalse();
        assertThat(repo.markBounced("acme", "2027-01", "m2", "Bounce/Permanent/General")).isTrue();
        assertThat(repo.sentDates("acme")).isEmpty();
        assertThat(repo.stored("acme", "2027-01")).get().extracting(Record::state).isEqualTo(State.BOUNCED);
    }

    @Test
    @DisplayName("S6.3: a delivery recorded directly (recordSent) reads as SENT and can bounce")
    void recordedDirectly() {
        DynamoDbNoticeRepository repo = new DynamoDbNoticeRepository(dynamo, TABLE);
        assertThat(repo.recordSent(new Delivery("legacy", "2027-01", "m9", T0, LocalDate.parse("2026-11-02")))).isTrue();
        Record r = repo.stored("legacy", "2027-01").orElseThrow();
        assertThat(r.state()).isEqualTo(State.SENT);
        assertThat(repo.reserve(attempt("legacy", "x"), Optional.empty())).isFalse();
        assertThat(repo.markBounced("legacy", "2027-01", "m9", "Bounce/Permanent/General")).isTrue();
    }

    @Test
    @DisplayName("S6.4: undeliverable addresses are found case-insensitively")
    void undeliverable() {
        DynamoDbUndeliverableContacts contacts = new DynamoDbUndeliverableContacts(dynamo, TABLE);
        assertThat(contacts.find("ops@acme.example")).isEmpty();
        contacts.mark(new Undeliverable("Ops@Acme.example", "Complaint/abuse", T0, "m1"));
        assertThat(contacts.find("ops@ACME.example")).contains(
                new Undeliverable("Ops@Acme.example", "Complaint/abuse", T0, "m1"));
    }
}
