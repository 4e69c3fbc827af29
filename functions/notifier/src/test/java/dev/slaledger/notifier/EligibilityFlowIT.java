package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbClaimRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbUndeliverableContacts;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.port.UndeliverableContacts.Undeliverable;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.notifier.notice.NoticeReport;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.Mailbox;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The eligibility notices (S8) on real local engines: DynamoDB (moto, or LocalStack) for the Ledger,
 * accounts and aggregates tables, SQS (ElasticMQ) for the notice queue, the SES v2 emulator for the
 * mail and its quota, through the notifier's own wiring and handlers: the dispatcher as the hourly
 * schedule invokes it, the worker as the queue's event source mapping does, a StatementCompensable
 * event as its rule delivers it. Each test has its own tables and queue: the eligibility of the
 * original terms differs between them.
 */
@UsesEngines
class EligibilityFlowIT {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final String FROM = "sla-notices@provider.example";
    /** The window of October opens on 2026-11-09 (6th working day, UTC); its sweep starts at 09:00. */
    private static final String BEFORE = "2026-11-06T09:00:00Z";
    private static final String OPENING_DAY = "2026-11-09T09:00:00Z";

    private static DynamoDbClient dynamo;
    private static Mailbox ses;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        ses = Engines.get().mailbox();
        ses.allowSender(FROM, "sla-notices");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    /** One deployment: its tables and queue, its original terms' eligibility, the events it announced. */
    private static final class Deployment {
        final String ledger;
        final String accountsTable;
        final String aggregates;
        final SettableClock clock = new SettableClock(BEFORE);
        final Eligibility eligibility;
        final SqsNoticeQueue queue;
        final List<Claim> vouchersAnnounced = Collections.synchronizedList(new ArrayList<>());

        Deployment(String name, Eligibility eligibility) {
            this.ledger = "Ledger" + name;
            this.accountsTable = "Accounts" + name;
            this.aggregates = "Aggregates" + name;
            this.eligibility = eligibility;
            LedgerTable.create(dynamo, ledger);
            AccountsTable.create(dynamo, accountsTable);
            DynamoDbAggregateStore.createTable(dynamo, aggregates);
            queue = new SqsNoticeQueue("Queue" + name);
        }

        NotifierWiring wiring() {
            Env env = new Env(Map.of(EnvNames.LEDGER_TABLE, ledger, EnvNames.ACCOUNTS_TABLE, accountsTable,
                    EnvNames.AGGREGATES_TABLE, aggregates, EnvNames.AWS_REGION, "us-east-1",
                    EnvNames.NOTICE_CLAIM_URL_TEMPLATE, "https://console.provider.example/sla/claims?month={month}"));
            return new NotifierWiring(env, dynamo, clock, DefaultTerms.version().withEligibility(eligibility));
        }

        /** The dispatcher's handler as Lambda builds it (its own clients and wiring), the quota from the emulator. */
        NotifierHandler dispatcher() {
            return new NotifierHandler(wiring().dispatcher(queue.queue,
                    new SesSendingQuota(Engines.get().sesV2().build()), true), clock);
        }

        /** A worker's handler, sending through the emulator; {@code reports} is told what it did. */
        NoticeWorkerHandler worker(List<NoticeReport> reports) {
            SesMailSender mailer = new SesMailSender(Engines.get().sesV2().build(), FROM,
                    Optional.of("sla-notices"));
            return new NoticeWorkerHandler(wiring().worker(mailer, queue.queue, clock::advanceTo,
                    vouchersAnnounced::add, s -> { }), queue.queue, clock, reports::add);
        }

        /** An hourly run: the dispatcher, then one worker drains the queue; the worker's counts. */
        Map<String, Integer> hourlyRun() {
            dispatcher().handleRequest(Fixtures.map(Fixtures.json("scheduler-hourly.json")), null);
            return drain();
        }

        Map<String, Integer> drain() {
            List<NoticeReport> reports = Collections.synchronizedList(new ArrayList<>());
            queue.drain(worker(reports));
            return counts(reports);
        }

        /** What a restatement does when late data made a month compensable: recompute, announce on the bus. */
        void restate(String id) {
            StatementEvents toTheQueue = st -> {
                com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                        Fixtures.json("eventbridge-terms-published.json").deepCopy();
                event.put("detail-type", "StatementCompensable");
                try {
                    event.set("detail", new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(StatementJson.toJson(st)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                queue.send(event.toString());
            };
            wiring().claimService(vouchersAnnounced::add, toTheQueue).statement(id, OCT);
        }

        /** Subscribed all year, October's fee 1000.00 EUR, {@code failed} failed intervals in October. */
        void account(String id, String email, String locale, int failed) {
            DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, accountsTable);
            accounts.apply(new SubscriptionPurchased("e-" + id, "sub-" + id, 1, id, "sub-" + id,
                    new Term(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))));
            accounts.apply(new FeeAssessed("f-" + id, "fee-" + id, 1, id, OCT, MonthlyFee.of("1000.00", "0.00", "EUR")));
            accounts.apply(new ContactChanged("c-" + id, "cust-" + id, 1, id, email,
                    Optional.ofNullable(locale).map(Locale::forLanguageTag)));
            failed(id, failed, 0);
        }

        /** {@code n} failed intervals of October from interval {@code from}, as late data (the month is marked stale). */
        void failed(String id, int n, int from) {
            DynamoDbAggregateStore store = new DynamoDbAggregateStore(dynamo, aggregates, Duration.ofDays(3650));
            long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
            for (int i = from; i < from + n; i++) {
                KeyBatch batch = new KeyBatch(new AggregateKey(id, start + 300L * i));
                batch.add("shardId-000000000000", BigInteger.valueOf(SEQUENCE.incrementAndGet()).toString(),
                        new IntervalCounts(10, 10, 0, 0), 0);
                store.apply(batch);
            }
            new DynamoDbStatementRepository(dynamo, ledger).markStale(id, OCT);
        }
    }

    /** Every outcome's count (zeros included) summed over the reports. */
    private static Map<String, Integer> counts(List<NoticeReport> reports) {
        NoticeReport total = new NoticeReport();
        reports.forEach(total::addAll);
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (NoticeReport.Outcome o : NoticeReport.Outcome.values()) {
            out.put(o.name(), total.count(o));
        }
        return out;
    }

    private static List<JsonNode> mailTo(String address) {
        return ses.emails().stream()
                .filter(e -> e.path("destination").path("to").get(0).asText().equals(address)).toList();
    }

    @Test
    @DisplayName("S8.2 S9.2 notify: nothing before the window, one mail per account on the opening day in its language, none on later runs or to a bounced contact, one more when a restated revision raises the voucher, none after a claim")
    void s8_2_notifyExactlyOnce() {
        Deployment d = new Deployment("EligNotifyIT", new Eligibility(true, false));
        d.account("n-en", "ops@n-en.example", "en", 50); // 99.44%: 10%, 100.00 EUR
        d.account("n-zh", "ops@n-zh.example", "zh-CN", 50);
        d.account("n-bounced", "gone@n-bounced.example", null, 50);
        new DynamoDbUndeliverableContacts(dynamo, d.ledger).mark(new Undeliverable("gone@n-bounced.example",
                "Bounce/Permanent/General", Instant.parse("2026-11-01T00:00:00Z"), "m-0"));

        assertThat(d.hourlyRun()).as("S8.2 never before the window opens").containsEntry("SENT", 0);
        assertThat(mailTo("ops@n-en.example")).isEmpty();

        d.clock.set(OPENING_DAY);
        assertThat(d.hourlyRun()).containsEntry("SENT", 2).containsEntry("UNDELIVERABLE", 1);
        JsonNode en = mailTo("ops@n-en.example").get(0);
        assertThat(en.path("subject").asText()).isEqualTo("the API service SLA: you may claim a voucher of 100.00 EUR for 2026-10");
        assertThat(en.path("body").path("text").asText()).contains("- Availability: 99.4399%")
                .contains("from November 9, 2026 until the end of December 31, 2026 (time zone UTC")
                .contains("https://console.provider.example/sla/claims?month=2026-10");
        assertThat(mailTo("ops@n-zh.example").get(0).path("subject").asText()).contains("您可以申请 2026-10 的代金券 100.00 EUR");
        assertThat(mailTo("gone@n-bounced.example")).isEmpty();
        assertThat(new DynamoDbClaimRepository(dynamo, d.ledger).acceptedClaim("n-en", OCT)).as("notify files nothing").isEmpty();

        d.clock.set("2026-11-09T15:00:00Z");
        assertThat(d.hourlyRun()).as("S9.2 the month's cursor is done").containsEntry("SENT", 0)
                .containsEntry("ALREADY_SENT", 0);
        d.clock.set("2026-11-10T09:00:00Z");
        assertThat(d.hourlyRun()).containsEntry("SENT", 0);
        assertThat(mailTo("ops@n-en.example")).hasSize(1);
        assertThat(mailTo("ops@n-zh.example")).hasSize(1);

        // late data raises both vouchers (110 intervals: 98.77%, 25%); n-zh claims first; the
        // restatement's StatementCompensable events reach the notice queue through their rule
        d.failed("n-en", 60, 50);
        d.failed("n-zh", 60, 50);
        d.clock.set("2026-11-11T03:00:00Z");
        claimAsCustomer(d, "n-zh");
        d.restate("n-en");
        assertThat(d.drain()).containsEntry("SENT", 1);
        assertThat(mailTo("ops@n-en.example")).hasSize(2);
        assertThat(mailTo("ops@n-en.example").get(1).path("subject").asText()).contains("250.00 EUR");
        assertThat(mailTo("ops@n-zh.example")).as("S8.2 nothing after a claim is accepted").hasSize(1);
        assertThat(new DynamoDbNoticeRepository(dynamo, d.ledger).stored("n-en", "ELIG#2026-10#N#250.00"))
                .get().extracting(r -> r.state()).isEqualTo(State.SENT);
        assertThat(d.queue.failed).isEmpty();
    }

    /** The customer's own claim, through the same ClaimService the claims API uses (its wiring in the notifier). */
    private static void claimAsCustomer(Deployment d, String account) {
        Claim claim = d.wiring().claimService(d.vouchersAnnounced::add, s -> { }).submit(account, OCT).claim();
        assertThat(claim.decision().accepted()).isTrue();
    }

    /** Two dispatcher runs at once, then {@code workers} worker handlers draining the queue at once. */
    private static Map<String, Integer> concurrently(Deployment d, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, workers));
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> dispatches = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                NotifierHandler h = d.dispatcher();
                dispatches.add(pool.submit(() -> {
                    go.await();
                    return h.handleRequest(Fixtures.map(Fixtures.json("scheduler-hourly.json")), null);
                }));
            }
            go.countDown();
            for (Future<?> f : dispatches) {
                f.get();
            }
            List<NoticeReport> reports = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch drain = new CountDownLatch(1);
            List<Future<?>> drains = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                NoticeWorkerHandler h = d.worker(reports);
                drains.add(pool.submit(() -> {
                    drain.await();
                    return d.queue.drain(h);
                }));
            }
            drain.countDown();
            for (Future<?> f : drains) {
                f.get();
            }
            return counts(reports);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @DisplayName("S8.2 S6.4 concurrent dispatcher runs and workers on the opening day send each account's notice exactly once")
    void s8_2_concurrentRunsSendOnce() throws Exception {
        Deployment d = new Deployment("EligConcurrentIT", new Eligibility(true, false));
        for (int i = 0; i < 3; i++) {
            d.account("c-" + i, "ops@c-" + i + ".example", i == 1 ? "zh-CN" : "en", 50 + 100 * i);
        }
        d.clock.set(OPENING_DAY);
        assertThat(concurrently(d, 4)).containsEntry("SENT", 3);
        for (int i = 0; i < 3; i++) {
            assertThat(mailTo("ops@c-" + i + ".example")).as("account c-%d", i).hasSize(1);
        }
        assertThat(d.queue.failed).isEmpty();
    }

    @Test
    @DisplayName("S8.3 S4.4 autoClaim: concurrent runs file one claim through ClaimService, announce one VoucherIssued, send one credited mail; the customer's claim gets the standing claim")
    void s8_3_autoClaimOnce() throws Exception {
        Deployment d = new Deployment("EligAutoIT", new Eligibility(false, true));
        d.account("auto", "ops@auto.example", "en", 50);
        assertThat(d.hourlyRun()).containsEntry("SENT", 0);
        DynamoDbClaimRepository claims = new DynamoDbClaimRepository(dynamo, d.ledger);
        assertThat(claims.acceptedClaim("auto", OCT)).as("S8.2 nothing before the window").isEmpty();

        d.clock.set(OPENING_DAY);
        concurrently(d, 3);

        Claim claim = claims.acceptedClaim("auto", OCT).orElseThrow();
        assertThat(claim.decision().voucher().orElseThrow().toDecimalString()).isEqualTo("100.00");
        assertThat(d.vouchersAnnounced).containsExactly(claim);
        List<JsonNode> mails = mailTo("ops@auto.example");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).path("subject").asText())
                .isEqualTo("the API service SLA credit: a voucher of 100.00 EUR for 2026-10 has been issued to your account");
        assertThat(mails.get(0).path("body").path("text").asText()).contains(claim.claimId());

        d.clock.set("2026-11-10T09:00:00Z");
        assertThat(d.hourlyRun()).containsEntry("SENT", 0);
        var customer = d.wiring().claimService(d.vouchersAnnounced::add, s -> { }).submit("auto", OCT);
        assertThat(customer.created()).isFalse();
        assertThat(customer.claim()).isEqualTo(claim);
        assertThat(d.vouchersAnnounced).hasSize(1);
        assertThat(mailTo("ops@auto.example")).hasSize(1);
    }
}
