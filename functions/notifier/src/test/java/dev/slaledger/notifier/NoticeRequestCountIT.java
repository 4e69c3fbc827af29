package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.memory.FixedSendingQuota;
import dev.slaledger.core.port.memory.InMemoryNoticeWorkQueue;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.notifier.notice.NoticeReport;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import dev.slaledger.notifier.notice.NoticeWorker;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a notice costs in DynamoDB requests (S9.2: "an account that needs nothing costs at most 2"),
 * measured on moto through the notifier's own wiring with a client that counts every request by
 * operation. The figures go to {@code target/notice-request-counts.txt} (the rehearsal's model reads
 * them from docs/notices.md, "What a notice costs").
 */
@UsesEngines
class NoticeRequestCountIT {
    private static final String LEDGER = "LedgerRequestCountIT";
    private static final String ACCOUNTS = "AccountsRequestCountIT";
    private static final String AGGREGATES = "AggregatesRequestCountIT";
    private static final YearMonth OCT = YearMonth.of(2026, 10);

    /** Counts requests per operation (the SDK's own operation names). */
    static final class Counter implements ExecutionInterceptor {
        final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            byOperation.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    k -> new AtomicLong()).incrementAndGet();
        }

        Map<String, Long> takeCounts() {
            Map<String, Long> out = new TreeMap<>();
            byOperation.forEach((k, v) -> out.put(k, v.get()));
            byOperation.clear();
            return out;
        }
    }

    private static final Counter COUNTER = new Counter();
    private static DynamoDbClient dynamo;
    private static final StringBuilder REPORT = new StringBuilder();

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDb().overrideConfiguration(c -> c.addExecutionInterceptor(COUNTER)).build();
        LedgerTable.create(dynamo, LEDGER);
        AccountsTable.create(dynamo, ACCOUNTS);
        DynamoDbAggregateStore.createTable(dynamo, AGGREGATES);
    }

    @AfterAll
    static void stop() throws IOException {
        dynamo.close();
        Files.writeString(Path.of("target", "notice-request-counts.txt"), REPORT.toString());
    }

    private final SettableClock clock = new SettableClock("2026-11-09T09:00:00Z");
    private final InMemoryNoticeWorkQueue queue = new InMemoryNoticeWorkQueue(clock);

    private NotifierWiring wiring(Eligibility eligibility) {
        return new NotifierWiring(new Env(Map.of(EnvNames.LEDGER_TABLE, LEDGER, EnvNames.ACCOUNTS_TABLE, ACCOUNTS,
                EnvNames.AGGREGATES_TABLE, AGGREGATES)), dynamo, clock,
                DefaultTerms.version().withEligibility(eligibility));
    }

    private NoticeWorker worker(NotifierWiring wiring) {
        return wiring.worker((mail, tags) -> "msg-" + mail.to(), queue, clock::advanceTo, c -> { }, s -> { });
    }

    private void subscribe(String id, String email) {
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, ACCOUNTS);
        accounts.apply(new SubscriptionPurchased("e-" + id, "sub-" + id, 1, id, "s1",
                new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"))));
        if (email != null) {
            accounts.apply(new ContactChanged("c-" + id, "cust-" + id, 1, id, email, Optional.of(Locale.ENGLISH)));
        }
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<String, Long> measure(String what, NoticeWorker.Invocation invocation, NoticeWork unit,
            Outcome expected) {
        COUNTER.takeCounts();
        NoticeReport report = invocation.handle(unit);
        Map<String, Long> counts = COUNTER.takeCounts();
        assertThat(report.count(expected)).as(what + ": " + report.counts()).isEqualTo(unit.accountIds().size());
        REPORT.append(String.format("%-58s %2d requests per account  %s%n", what,
                total(counts) / unit.accountIds().size(), counts));
        return counts;
    }

    @Test
    @DisplayName("S9.2 change notices: an account already sent, superseded or without contact costs at most 2 DynamoDB requests; a send costs 6 (with its slot of the send schedule)")
    void changeNotices() {
        NotifierWiring wiring = wiring(Eligibility.NONE);
        new DynamoDbTermsRepository(dynamo, LEDGER, DefaultTerms.version()).publish(Fixtures.v2027());
        wiring.throttle().configure(wiring.dispatcher(queue, FixedSendingQuota.sesDefault(), false)
                .plan(clock.instant()));
        subscribe("sent-before", "a@example.com");
        subscribe("to-send", "b@example.com");
        subscribe("no-contact", null);
        DynamoDbNoticeRepository notices = new DynamoDbNoticeRepository(dynamo, LEDGER);
        notices.reserve(new Attempt("sent-before", "2027-01", "earlier", "a@example.com", Fixtures.v2027().timeZone(),
                Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-04T00:00:00Z")), Optional.empty());
        notices.complete("sent-before", "2027-01", "earlier", "msg-0", Instant.parse("2026-11-02T00:00:01Z"),
                LocalDate.parse("2026-11-02"));
        NoticeWorker.Invocation invocation = worker(wiring).invocation(TimeBudget.unlimited());
        invocation.handle(NoticeWork.change("2027-01", List.of("no-such-account"), 2)); // the run's terms read

        assertThat(total(measure("change notice, already sent", invocation,
                NoticeWork.change("2027-01", List.of("sent-before"), 2), Outcome.ALREADY_SENT))).isEqualTo(1);
        assertThat(total(measure("change notice, no contact", invocation,
                NoticeWork.change("2027-01", List.of("no-contact"), 2), Outcome.NO_CONTACT))).isEqualTo(2);
        Map<String, Long> send = measure("change notice, sent", invocation,
                NoticeWork.change("2027-01", List.of("to-send"), 2), Outcome.SENT);
        assertThat(send).containsEntry("Query", 2L).containsEntry("GetItem", 1L).containsEntry("UpdateItem", 2L)
                .containsEntry("TransactWriteItems", 1L);
        assertThat(total(measure("change notice, sent before (the unit again)", invocation,
                NoticeWork.change("2027-01", List.of("to-send"), 2), Outcome.ALREADY_SENT))).isEqualTo(1);
    }

    @Test
    @DisplayName("S9.2 S8 eligibility: a candidate whose statement is stored and not compensable costs 1 request (the month's mark once per unit); a compensable one already claimed costs 2")
    void eligibility() {
        NotifierWiring wiring = wiring(new Eligibility(true, false));
        wiring.throttle().configure(wiring.dispatcher(queue, FixedSendingQuota.sesDefault(), true)
                .plan(clock.instant()));
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, ACCOUNTS);
        DynamoDbAggregateStore store = new DynamoDbAggregateStore(dynamo, AGGREGATES, Duration.ofDays(3650));
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        long[] sequence = {0};
        for (String id : List.of("met-1", "met-2", "met-3", "claimed", "owed")) {
            subscribe(id, id + "@example.com");
            accounts.apply(new FeeAssessed("f-" + id, "fee-" + id, 1, id, OCT, MonthlyFee.of("1000.00", "0.00", "EUR")));
            int failed = id.equals("claimed") || id.equals("owed") ? 50 : 0;
            for (int i = 0; i < failed; i++) {
                KeyBatch batch = new KeyBatch(new AggregateKey(id, start + 300L * i));
                batch.add("shardId-000000000000", BigInteger.valueOf(++sequence[0]).toString(),
                        new IntervalCounts(10, 10, 0, 0), 0);
                store.apply(batch);
            }
            wiring.claimService(c -> { }, s -> { }).statement(id, OCT); // the month-end's statement
        }
        assertThat(wiring.claimService(c -> { }, s -> { }).submit("claimed", OCT).claim().decision().accepted())
                .isTrue();
        NoticeWorker.Invocation invocation = worker(wiring).invocation(TimeBudget.unlimited());
        invocation.handle(NoticeWork.eligibility(OCT, List.of("no-such-account"), 1)); // the run's terms read

        Map<String, Long> met = measure("eligibility, SLA met (unit of 3)", invocation,
                NoticeWork.eligibility(OCT, List.of("met-1", "met-2", "met-3"), 1), Outcome.NOTHING_OWED);
        assertThat(met).as("3 statement Queries and the month's mark once").containsEntry("Query", 3L)
                .containsEntry("GetItem", 1L).hasSize(2);
        Map<String, Long> claimed = measure("eligibility, compensable and claimed", invocation,
                NoticeWork.eligibility(OCT, List.of("claimed"), 1), Outcome.NOTHING_OWED);
        assertThat(total(claimed) - 1).as("its statement and its claim, besides the unit's month mark").isEqualTo(2);
        Map<String, Long> owed = measure("eligibility, eligible mail sent", invocation,
                NoticeWork.eligibility(OCT, List.of("owed"), 1), Outcome.SENT);
        assertThat(total(owed) - 1).as("statement, claim, records, account, address, slot, reserve, complete")
                .isEqualTo(8);
    }
}
