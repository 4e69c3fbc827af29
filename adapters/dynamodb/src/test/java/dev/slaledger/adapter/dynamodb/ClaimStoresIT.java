package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.claim.RefusalReason;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.IdempotencyStore.StoredResponse;
import dev.slaledger.core.port.IdempotencyStore;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The claim and idempotency adapters of the Ledger table against the DynamoDB of the {@code Engines} fixture (moto, or LocalStack). */
@UsesEngines
class ClaimStoresIT {
    private static DynamoDbClient dynamo;
    private static final String TABLE = "ClaimStoresIT";
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant NOW = Instant.parse("2026-11-10T08:00:00Z");

    @BeforeAll
    static void start() {
        dynamo = LedgerTables.create(TABLE);
    }

    private static Claim accepted(String id, String account, YearMonth month, String amount) {
        return new Claim(id, account, month, NOW, new ClaimDecision(true, Optional.empty(),
                Optional.of(Money.of(amount, "EUR")), Optional.empty(), Optional.empty(), Optional.of(1)));
    }

    @Test
    @DisplayName("S4.4 the first accepted claim stands; a later one gets it back; refused claims are kept by id")
    void oneAcceptedClaim() {
        DynamoDbClaimRepository repo = new DynamoDbClaimRepository(dynamo, TABLE);
        Claim first = accepted("c-1", "acme", OCT, "100.00");
        Claim refused = new Claim("c-0", "acme", OCT, NOW.minusSeconds(86400 * 3),
                new ClaimDecision(false, Optional.of(RefusalReason.TOO_EARLY), Optional.empty(),
                        Optional.of(OffsetDateTime.parse("2026-11-09T00:00Z")), Optional.empty(), Optional.empty()));
        Instant refusedExpiry = refused.requestedAt().plusSeconds(86400L * 90);
        repo.recordRefused(refused, refusedExpiry);
        assertThat(repo.acceptedClaim("acme", OCT)).isEmpty();
        assertThat(repo.recordAccepted(first)).isEqualTo(first);
        assertThat(repo.recordAccepted(accepted("c-2", "acme", OCT, "250.00"))).isEqualTo(first);
        assertThat(repo.find("acme", "c-2")).isEmpty();
        assertThat(repo.find("acme", "c-1")).contains(first);
        assertThat(repo.find("acme", "c-0")).contains(refused);
        assertThat(repo.find("intruder", "c-1")).as("another account's claim").isEmpty();
        assertThat(item("CLAIM#acme", "ID#c-0").get("expiresAt").n())
                .as("issue 15 item 1: the refused claim carries the TTL attribute, epoch seconds")
                .isEqualTo(Long.toString(refusedExpiry.getEpochSecond()));
        assertThat(item("CLAIM#acme", "ID#c-1")).as("accepted: never expires").doesNotContainKey("expiresAt");
        assertThat(item("CLAIM#acme", "M#2026-10")).doesNotContainKey("expiresAt");

        Claim sep = accepted("c-3", "acme", YearMonth.of(2026, 9), "10.00");
        repo.recordAccepted(sep);
        assertThat(repo.acceptedClaims("acme")).containsExactly(first, sep);
    }

    @Test
    @DisplayName("S4.4 50 concurrent accepted claims for one period: one stands, every caller gets it back")
    void concurrentAccepts() throws Exception {
        DynamoDbClaimRepository repo = new DynamoDbClaimRepository(dynamo, TABLE);
        YearMonth month = YearMonth.of(2026, 8);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Claim>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Claim mine = accepted("p-" + i, "busy", month, "100.00");
                results.add(pool.submit(() -> {
                    go.await();
                    return repo.recordAccepted(mine);
                }));
            }
            go.countDown();
            Set<String> standing = new HashSet<>();
            for (Future<Claim> f : results) {
                standing.add(f.get().claimId());
            }
            assertThat(standing).hasSize(1);
            assertThat(repo.acceptedClaim("busy", month).orElseThrow().claimId()).isEqualTo(standing.iterator().next());
            assertThat(repo.acceptedClaims("busy")).hasSize(1);

            List<Callable<Boolean>> leases = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                leases.add(() -> repo.leaseVoucherEvent("busy", month, NOW, NOW.plusSeconds(30)));
            }
            long won = 0;
            for (Future<Boolean> f : pool.invokeAll(leases)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).as("one request announces").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("VoucherIssued outbox: owed until sent; a lease excludes others until it runs out or is released")
    void outbox() {
        DynamoDbClaimRepository repo = new DynamoDbClaimRepository(dynamo, TABLE);
        YearMonth month = YearMonth.of(2026, 7);
        repo.recordAccepted(accepted("o-1", "acme", month, "100.00"));
        assertThat(repo.leaseVoucherEvent("acme", month, NOW, NOW.plusSeconds(30))).isTrue();
        assertThat(repo.leaseVoucherEvent("acme", month, NOW.plusSeconds(29), NOW.plusSeconds(59))).isFalse();
        assertThat(repo.leaseVoucherEvent("acme", month, NOW.plusSeconds(30), NOW.plusSeconds(60)))
                .as("a lease that ran out (the announcer died)").isTrue();
        repo.releaseVoucherEvent("acme", month);
        assertThat(repo.leaseVoucherEvent("acme", month, NOW.plusSeconds(31), NOW.plusSeconds(61))).isTrue();
        repo.markVoucherEventSent("acme", month);
        assertThat(repo.leaseVoucherEvent("acme", month, NOW.plusSeconds(3600), NOW.plusSeconds(3630))).isFalse();

        YearMonth zeroMonth = YearMonth.of(2026, 6);
        repo.recordAccepted(accepted("z-1", "acme", zeroMonth, "0.00"));
        assertThat(repo.leaseVoucherEvent("acme", zeroMonth, NOW, NOW.plusSeconds(30)))
                .as("S5.3 a zero voucher owes no announcement").isFalse();
    }

    @Test
    @DisplayName("Idempotency-Key: reserve, replay the stored response, refuse another request, free on release or expiry")
    void idempotency() {
        DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(dynamo, TABLE);
        Instant lease = NOW.plusSeconds(30);
        Instant expiry = NOW.plusSeconds(86400);
        assertThat(store.begin("acme", "k1", "fp-a", NOW, lease, expiry)).isInstanceOf(IdempotencyStore.Acquired.class);
        assertThat(store.begin("acme", "k1", "fp-a", NOW, lease, expiry)).isInstanceOf(IdempotencyStore.InProgress.class);
        assertThat(store.begin("acme", "k1", "fp-b", NOW, lease, expiry)).isInstanceOf(IdempotencyStore.Mismatch.class);
        assertThat(store.begin("other", "k1", "fp-b", NOW, lease, expiry))
                .as("keys are per caller").isInstanceOf(IdempotencyStore.Acquired.class);

        StoredResponse response = new StoredResponse(201, "{\"claimId\":\"c-1\"}");
        store.complete("acme", "k1", "fp-a", response, expiry);
        assertThat(store.begin("acme", "k1", "fp-a", NOW.plusSeconds(60), lease, expiry))
                .isEqualTo(new IdempotencyStore.Completed(response));
        assertThat(store.begin("acme", "k1", "fp-b", NOW.plusSeconds(60), lease, expiry))
                .isInstanceOf(IdempotencyStore.Mismatch.class);
        assertThat(store.completed("acme", "k1", NOW)).contains(response);
        assertThat(store.completed("acme", "k1", expiry)).as("expired").isEmpty();
        assertThat(store.begin("acme", "k1", "fp-b", expiry, expiry.plusSeconds(30), expiry.plusSeconds(86400)))
                .as("an expired record is replaced").isInstanceOf(IdempotencyStore.Acquired.class);

        assertThat(store.begin("acme", "k2", "fp-a", NOW, lease, expiry)).isInstanceOf(IdempotencyStore.Acquired.class);
        store.release("acme", "k2", "fp-a");
        assertThat(store.begin("acme", "k2", "fp-a", NOW, lease, expiry)).isInstanceOf(IdempotencyStore.Acquired.class);
        assertThat(store.begin("acme", "k2", "fp-c", lease, lease.plusSeconds(30), expiry))
                .as("a lease that ran out frees the key").isInstanceOf(IdempotencyStore.Acquired.class);
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return dynamo.getItem(b -> b.tableName(TABLE).key(Attr.key(pk, sk)).consistentRead(true)).item();
    }
}
