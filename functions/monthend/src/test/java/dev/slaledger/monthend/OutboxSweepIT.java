package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbClaimRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.ClaimRepository.PendingVoucher;
import dev.slaledger.core.port.StatementRepository.PendingEvent;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.LoopbackEventBridge;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * S7.6 on the real engines (the {@code Engines} fixture: moto, or LocalStack), through
 * {@link OutboxSweepHandler} wired as in Lambda on the real adapters: the Ledger's outbox index,
 * the claim and statement repositories, and the EventBridge senders putting their entries on a
 * loopback PutEvents recorder. Each test has its own Ledger table (a sweep drains the whole table).
 */
@UsesEngines
class OutboxSweepIT {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    /** Inside October's claim window (default terms: 9 November to 31 December). */
    private static final Instant T0 = Instant.parse("2026-11-10T08:00:00Z");
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** Tables of their own: the engines are shared by every IT of the module (one JVM). */
    private static final String ACCOUNTS = "outbox-accounts";
    private static final String AGGREGATES = "outbox-aggregates";
    private static DynamoDbClient dynamo;

    private final SettableClock clock = new SettableClock(T0);
    private LoopbackEventBridge bus;
    private String ledger;
    private MonthEndWiring wiring;
    private OutboxSweepHandler sweep;
    private DynamoDbClaimRepository claims;
    private DynamoDbStatementRepository statements;

    /** The Lambda dying between the write and PutEvents: not an exception the code handles. */
    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        AccountsTable.create(dynamo, ACCOUNTS);
        DynamoDbAggregateStore.createTable(dynamo, AGGREGATES);
        for (String account : List.of("worker-died", "worker-young")) {
            compensableOctober(account);
        }
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @BeforeEach
    void wire() {
        ledger = "ledger-outbox-" + TABLES.incrementAndGet();
        LedgerTable.create(dynamo, ledger);
        wiring = new MonthEndWiring(Map.of("LEDGER_TABLE", ledger, "ACCOUNTS_TABLE", ACCOUNTS,
                "AGGREGATES_TABLE", AGGREGATES, "EVENT_BUS_NAME", "sla-ledger-bus"), dynamo, clock);
        bus = new LoopbackEventBridge();
        sweep = new OutboxSweepHandler(wiring.outboxSweep(new EventBridgeStatementEvents(bus.client, "sla-ledger-bus"),
                new EventBridgeVoucherEvents(bus.client, "sla-ledger-bus")));
        claims = new DynamoDbClaimRepository(dynamo, ledger);
        statements = new DynamoDbStatementRepository(dynamo, ledger);
    }

    @AfterEach
    void unwire() {
        bus.close();
    }

    /** A 1000.00 EUR fee for October and 50 failed intervals: 10%, a 100.00 EUR voucher. */
    private static void compensableOctober(String account) {
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, ACCOUNTS);
        accounts.apply(new SubscriptionPurchased("e-" + account, "sub-" + account, 1, account, "sub-" + account,
                new Term(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))));
        accounts.apply(new FeeAssessed("f-" + account, "fee-" + account, 1, account, OCT,
                MonthlyFee.of("1000.00", "0.00", "EUR")));
        DynamoDbAggregateStore store = new DynamoDbAggregateStore(dynamo, AGGREGATES, Duration.ofDays(3650));
        BigInteger sequence = new BigInteger("49590338271490256608559692538361571095921575989136588898");
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 50; i++) {
            KeyBatch batch = new KeyBatch(new AggregateKey(account, start + 300L * i));
            batch.add("shardId-000000000000", sequence.add(BigInteger.valueOf(i)).toString(),
                    new IntervalCounts(10, 10, 0, 0), 0);
            store.apply(batch);
        }
    }

    /** What a month-end worker (or a claim's recomputation) leaves when it dies after storing a compensable revision. */
    private Statement workerDiesAfterStoring(String account) {
        assertThatThrownBy(() -> wiring.statementService(s -> {
            throw new Crash();
        }).recompute(account, OCT)).isInstanceOf(Crash.class);
        Statement stored = statements.latest(account, OCT).orElseThrow();
        assertThat(stored.compensable()).isTrue();
        assertThat(statements.eventPending(account, OCT, stored.revision())).isTrue();
        return stored;
    }

    /**
     * What the claims API leaves when its Lambda dies after recording an accepted claim (the
     * transaction of DynamoDbClaimRepository.recordAccepted) and taking the announcement lease,
     * before PutEvents: the customer sees the voucher in GET /vouchers, billing has not heard of it.
     */
    private Claim requestDiesAfterRecording(String claimId, String account) {
        Instant now = clock.instant();
        Claim claim = new Claim(claimId, account, OCT, now, new ClaimDecision(true, Optional.empty(),
                Optional.of(Money.of("100.00", "EUR")), Optional.empty(), Optional.empty(), Optional.of(1)));
        assertThat(claims.recordAccepted(claim)).isEqualTo(claim);
        assertThat(claims.leaseVoucherEvent(account, OCT, now, now.plusSeconds(30))).isTrue();
        return claim;
    }

    private Map<String, Object> sweep() {
        return sweep.handleRequest(Map.of(), null);
    }

    private static Map<String, Object> sent(long vouchers, long statements, long skipped) {
        return Map.of("vouchersSent", vouchers, "statementsSent", statements, "skipped", skipped, "deferred", 0L);
    }

    private List<String> voucherClaimIds() {
        return bus.details("VoucherIssued").stream().map(d -> d.get("claimId").asText()).toList();
    }

    private List<String> statementKeys() {
        List<String> keys = new ArrayList<>();
        for (JsonNode d : bus.details("StatementCompensable")) {
            keys.add(d.get("accountId").asText() + " " + d.get("month").asText() + " r" + d.get("revision").asInt());
        }
        return keys;
    }

    private List<Object> owed() {
        List<Object> owed = new ArrayList<>();
        Instant farFuture = T0.plus(Duration.ofDays(365));
        claims.forEachPendingVoucherEvent(farFuture, owed::add);
        statements.forEachPendingEvent(farFuture, owed::add);
        return owed;
    }

    @Test
    @DisplayName("S7.6 a voucher recorded but never announced and a compensable revision whose event was never sent are announced by the sweep once; a second sweep sends nothing; entries younger than the minimum age wait for a later sweep")
    void crashedOutboxesDrain() {
        Claim crashed = requestDiesAfterRecording("c-crashed", "request-died");
        Statement revision = workerDiesAfterStoring("worker-died");
        clock.set(T0.plus(Duration.ofMinutes(4)));
        Claim young = requestDiesAfterRecording("c-young", "request-young");
        Statement youngRevision = workerDiesAfterStoring("worker-young");
        assertThat(bus.entries("VoucherIssued")).isEmpty();
        assertThat(bus.entries("StatementCompensable")).isEmpty();

        clock.set(T0.plus(Duration.ofMinutes(5)));
        assertThat(sweep()).isEqualTo(sent(1, 1, 0));
        assertThat(voucherClaimIds()).containsExactly(crashed.claimId());
        assertThat(statementKeys()).containsExactly("worker-died 2026-10 r" + revision.revision());
        JsonNode voucher = bus.details("VoucherIssued").get(0);
        assertThat(voucher.get("accountId").asText()).isEqualTo("request-died");
        assertThat(voucher.get("amount").asText()).isEqualTo("100.00");
        assertThat(bus.entries("VoucherIssued").get(0).get("Source").asText()).isEqualTo("sla-ledger");
        assertThat(bus.entries("VoucherIssued").get(0).get("EventBusName").asText()).isEqualTo("sla-ledger-bus");
        assertThat(bus.details("StatementCompensable").get(0).get("voucherAmount").asText()).isEqualTo("100.00");

        assertThat(sweep()).as("a second sweep sends nothing").isEqualTo(sent(0, 0, 0));
        assertThat(bus.entries("VoucherIssued")).hasSize(1);
        assertThat(bus.entries("StatementCompensable")).hasSize(1);
        assertThat(owed()).as("the young entries, 1 minute old, wait").containsExactlyInAnyOrder(
                new PendingVoucher("request-young", OCT), new PendingEvent("worker-young", OCT, 1));

        clock.set(T0.plus(Duration.ofMinutes(6)));
        assertThat(sweep()).isEqualTo(sent(1, 1, 0));
        assertThat(voucherClaimIds()).containsExactly(crashed.claimId(), young.claimId());
        assertThat(statementKeys()).containsExactly("worker-died 2026-10 r" + revision.revision(),
                "worker-young 2026-10 r" + youngRevision.revision());
        assertThat(owed()).isEmpty();
        assertThat(sweep()).isEqualTo(sent(0, 0, 0));
        assertThat(bus.entries("VoucherIssued")).hasSize(2);
        assertThat(bus.entries("StatementCompensable")).hasSize(2);
        assertThat(claims.leaseVoucherEvent("request-died", OCT, clock.instant(), clock.instant().plusSeconds(30)))
                .as("nothing owed: a later POST /claims announces nothing").isFalse();
        assertThat(wiring.statementService(s -> {
            throw new AssertionError("announced again: " + s.accountId());
        }).recompute("worker-died", OCT).outcome()).as("nor does the next recomputation")
                .isEqualTo(dev.slaledger.core.usecase.StatementService.Outcome.UNCHANGED);
    }

    @Test
    @DisplayName("S7.6 EventBridge refusing the entries: the sweep fails after trying them all, they stay owed (the lease given back), and the next sweep sends each once")
    void failuresRetriedNextSweep() {
        Claim claim = requestDiesAfterRecording("c-retried", "request-retried");
        Statement revision = workerDiesAfterStoring("worker-died");
        clock.set(T0.plus(Duration.ofMinutes(5)));
        bus.failing = true;

        assertThatThrownBy(this::sweep).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 owed events could not be sent");
        assertThat(bus.entries("VoucherIssued")).isEmpty();
        assertThat(owed()).containsExactlyInAnyOrder(new PendingVoucher("request-retried", OCT),
                new PendingEvent("worker-died", OCT, revision.revision()));

        bus.failing = false;
        clock.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(sweep()).isEqualTo(sent(1, 1, 0));
        assertThat(voucherClaimIds()).containsExactly(claim.claimId());
        assertThat(statementKeys()).containsExactly("worker-died 2026-10 r" + revision.revision());
        assertThat(owed()).isEmpty();
    }

    @Test
    @DisplayName("S7.6 a voucher a request is announcing right now (it holds the lease) is left to it: one VoucherIssued in all")
    void requestAnnouncingNowLeftAlone() {
        Claim claim = requestDiesAfterRecording("c-busy", "request-busy");
        clock.set(T0.plus(Duration.ofMinutes(5)));
        // a repeated POST /claims finds it owed and takes the lease (ClaimService.announceIfOwed)
        assertThat(claims.leaseVoucherEvent("request-busy", OCT, clock.instant(), clock.instant().plusSeconds(30)))
                .isTrue();
        clock.set(T0.plus(Duration.ofMinutes(5)).plusSeconds(5));

        assertThat(sweep()).isEqualTo(sent(0, 0, 1));
        assertThat(bus.entries("VoucherIssued")).isEmpty();

        new EventBridgeVoucherEvents(bus.client, "sla-ledger-bus").voucherIssued(claim); // the request announces
        claims.markVoucherEventSent("request-busy", OCT);
        assertThat(sweep()).isEqualTo(sent(0, 0, 0));
        assertThat(voucherClaimIds()).containsExactly(claim.claimId());
    }
}
