package dev.slaledger.accounts.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.accounts.EventFiles;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.billing.ApplyResult.Outcome;
import dev.slaledger.core.billing.ApplyResult;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ConflictingBillingEventException;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.testkit.UsesEngines;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesEngines
class DynamoDbAccountRepositoryIT {

    private final LocalDynamo local = new LocalDynamo();
    private final BillingEventParser parser = new BillingEventParser();
    private CountingDynamoDbClient client;
    private DynamoDbAccountRepository repo;
    private String table;

    @BeforeEach
    void freshTable() {
        table = local.newTable();
        client = new CountingDynamoDbClient(local.client());
        repo = new DynamoDbAccountRepository(client, table);
    }

    @AfterAll
    void stop() {
        local.close();
    }

    private BillingEvent file(String name) {
        return parser.parse(EventFiles.read(name));
    }

    private static int seq = 0;

    private static String nextId() {
        return "evt-" + (++seq);
    }

    private static SubscriptionPurchased bought(String account, String sub, long version, String start, String end) {
        return new SubscriptionPurchased(nextId(), sub, version, account, sub,
                new Term(LocalDate.parse(start), LocalDate.parse(end)));
    }

    private static SubscriptionEnded ended(String account, String sub, long version, String start, String end) {
        return new SubscriptionEnded(nextId(), sub, version, account, sub, LocalDate.parse(start),
                LocalDate.parse(end), SubscriptionEnded.Reason.CANCELLED);
    }

    private static FeeAssessed fee(String account, String month, long version, String amount, String voucher) {
        return new FeeAssessed(nextId(), "inv-" + version, version, account, YearMonth.parse(month),
                MonthlyFee.of(amount, voucher, "EUR"));
    }

    private List<String> accountsIn(String month) {
        List<String> ids = new ArrayList<>();
        repo.forEachAccountWithServiceIn(YearMonth.parse(month), ids::add);
        return ids;
    }

    private List<String> accountsWithTermOnOrAfter(String date) {
        List<String> ids = new ArrayList<>();
        repo.forEachAccountWithTermOnOrAfter(LocalDate.parse(date), a -> ids.add(a.accountId()));
        return ids;
    }

    // ------------------------------------------------------------------ each event kind

    @Test
    @DisplayName("S1.1/S4.2/S6.2 each event kind from events/ is applied and find() assembles the core Account (D2)")
    void eachKindAppliedAndAssembled() {
        assertThat(repo.apply(file("contact-changed.json"))).isEqualTo(ApplyResult.applied(1));
        assertThat(repo.apply(file("subscription-purchased.json"))).isEqualTo(ApplyResult.applied(1));
        assertThat(repo.apply(file("fee-assessed.json"))).isEqualTo(ApplyResult.applied(1));
        repo.apply(fee("acme", "2026-04", 1, "1000.00", "0.00"));

        Account acme = repo.find("acme").orElseThrow();
        assertThat(acme).isEqualTo(new Account("acme", "sla-notices@acme.example",
                Optional.of(Locale.forLanguageTag("zh-CN")),
                List.of(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 6, 16))),
                Map.of(YearMonth.of(2026, 3), MonthlyFee.of("1000.00", "100.00", "CNY"),
                        YearMonth.of(2026, 4), MonthlyFee.of("1000.00", "0.00", "EUR"))));
        // S1.1: the SLA's own example gives four service periods
        assertThat(List.of("2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"))
                .map(m -> ServicePeriod.of(acme.terms(), YearMonth.parse(m)).map(ServicePeriod::days).orElse(0L))
                .containsExactly(0L, 15L, 30L, 31L, 16L, 0L);

        assertThat(repo.apply(file("subscription-ended-cancelled.json"))).isEqualTo(ApplyResult.applied(2,
                Optional.of(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 6, 16)))));
        assertThat(repo.find("acme").orElseThrow().terms())
                .containsExactly(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 5, 10)));
        assertThat(repo.apply(file("contact-changed-no-locale.json"))).isEqualTo(ApplyResult.applied(2));
        Account changed = repo.find("acme").orElseThrow();
        assertThat(changed.email()).isEqualTo("ops@acme.example");
        assertThat(changed.locale()).isEmpty();
        assertThat(repo.find("nobody")).isEmpty();
    }

    @Test
    @DisplayName("an account known only by its subscription has no email yet (null) until ContactChanged arrives")
    void accountWithoutContact() {
        repo.apply(bought("initech", "s1", 1, "2026-01-01", "2026-01-31"));
        Account a = repo.find("initech").orElseThrow();
        assertThat(a.email()).isNull();
        assertThat(a.locale()).isEmpty();
        assertThat(a.fees()).isEmpty();
    }

    // ------------------------------------------------------------------ idempotency, order

    @Test
    @DisplayName("issue 4 item 2: a replayed event changes nothing, for every kind")
    void replayIsNoOp() {
        List<String> files = List.of("contact-changed.json", "subscription-purchased.json", "fee-assessed.json",
                "subscription-ended-cancelled.json");
        for (String f : files) {
            assertThat(repo.apply(file(f)).outcome()).as(f).isEqualTo(Outcome.APPLIED);
            List<Map<String, AttributeValue>> before = local.allItems(table);
            assertThat(repo.apply(file(f)).outcome()).as(f).isEqualTo(Outcome.REPLAY);
            assertThat(local.allItems(table)).as(f).isEqualTo(before);
        }
        // replaying the whole history once more changes nothing either
        List<Map<String, AttributeValue>> before = local.allItems(table);
        files.forEach(f -> repo.apply(file(f)));
        assertThat(local.allItems(table)).isEqualTo(before);
    }

    @Test
    @DisplayName("S4.2 issue 4 item 2: a fee correction replaces the month's fee by billing version, not arrival order")
    void outOfOrderFeeCorrection() {
        assertThat(repo.apply(file("fee-assessed-correction.json"))).isEqualTo(ApplyResult.applied(2));
        assertThat(repo.apply(file("fee-assessed.json"))).isEqualTo(ApplyResult.stale(2));
        assertThat(repo.find("acme").orElseThrow().feeFor(YearMonth.of(2026, 3)))
                .contains(MonthlyFee.of("900.00", "100.00", "CNY"));

        // the same two in arrival order give the same result
        freshTable();
        assertThat(repo.apply(file("fee-assessed.json"))).isEqualTo(ApplyResult.applied(1));
        assertThat(repo.apply(file("fee-assessed-correction.json"))).isEqualTo(ApplyResult.applied(2));
        assertThat(repo.find("acme").orElseThrow().feeFor(YearMonth.of(2026, 3)))
                .contains(MonthlyFee.of("900.00", "100.00", "CNY"));
    }

    @Test
    @DisplayName("a lower version arriving late is ignored and reported STALE (not an error), for every kind")
    void lowerVersionIgnored() {
        repo.apply(file("subscription-ended-cancelled.json"));   // v2 first
        repo.apply(file("contact-changed-no-locale.json"));      // v2 first
        List<Map<String, AttributeValue>> before = local.allItems(table);

        assertThat(repo.apply(file("subscription-purchased.json"))).isEqualTo(ApplyResult.stale(2));
        assertThat(repo.apply(file("contact-changed.json"))).isEqualTo(ApplyResult.stale(2));
        assertThat(local.allItems(table)).isEqualTo(before);
        Account acme = repo.find("acme").orElseThrow();
        assertThat(acme.terms()).containsExactly(new Term(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 5, 10)));
        assertThat(acme.email()).isEqualTo("ops@acme.example");
        assertThat(accountsIn("2026-06")).isEmpty();
        assertThat(accountsIn("2026-05")).containsExactly("acme");
    }

    @Test
    @DisplayName("the same billing version with different content is refused as a conflict and writes nothing")
    void sameVersionDifferentContent() {
        repo.apply(fee("acme", "2026-03", 3, "10.00", "0.00"));
        repo.apply(bought("acme", "s1", 1, "2026-03-01", "2026-03-31"));
        List<Map<String, AttributeValue>> before = local.allItems(table);

        assertThatThrownBy(() -> repo.apply(fee("acme", "2026-03", 3, "11.00", "0.00")))
                .isInstanceOf(ConflictingBillingEventException.class)
                .hasMessageContaining("fee acme/2026-03 is already stored at billingVersion 3")
                .hasMessageContaining("amount=10.00").hasMessageContaining("amount=11.00");
        assertThatThrownBy(() -> repo.apply(bought("acme", "s1", 1, "2026-03-01", "2026-04-30")))
                .isInstanceOf(ConflictingBillingEventException.class);
        assertThat(local.allItems(table)).isEqualTo(before);
    }

    @Test
    @DisplayName("concurrent duplicate deliveries: exactly one applies, the others are replays, one item stored")
    void concurrentDuplicates() throws Exception {
        for (BillingEvent event : List.of(file("fee-assessed.json"), file("contact-changed.json"),
                file("subscription-purchased.json"))) {
            List<ApplyResult> results = concurrently(Collections.nCopies(8, event));
            assertThat(results).filteredOn(r -> r.outcome() == Outcome.APPLIED).as(event.entity()).hasSize(1);
            assertThat(results).filteredOn(r -> r.outcome() == Outcome.REPLAY).as(event.entity()).hasSize(7);
        }
        // contact + sub + fee + 4 memberships (Mar..Jun) + 1 term end
        assertThat(local.allItems(table)).hasSize(3 + 4 + 1);
    }

    @Test
    @DisplayName("S1.2 concurrent deliveries of different versions of one subscription: the highest wins, memberships match it exactly")
    void concurrentVersions() throws Exception {
        List<BillingEvent> events = new ArrayList<>();
        events.add(bought("acme", "s1", 1, "2026-01-10", "2026-12-09"));
        events.add(ended("acme", "s1", 2, "2026-01-10", "2026-09-30"));
        events.add(ended("acme", "s1", 3, "2026-01-10", "2026-04-15"));
        events.add(bought("acme", "s1", 4, "2026-01-10", "2026-02-05")); // the newest state
        events.add(ended("acme", "s1", 2, "2026-01-10", "2026-09-30")); // a duplicate delivery of v2
        for (int round = 0; round < 5; round++) {
            freshTable();
            List<BillingEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new java.util.Random(round));
            List<ApplyResult> results = concurrently(shuffled);
            assertThat(results).filteredOn(r -> r.outcome() == Outcome.APPLIED).isNotEmpty();
            assertThat(repo.find("acme").orElseThrow().terms())
                    .containsExactly(new Term(LocalDate.of(2026, 1, 10), LocalDate.of(2026, 2, 5)));
            for (int m = 1; m <= 12; m++) {
                String month = YearMonth.of(2026, m).toString();
                assertThat(accountsIn(month)).as(month).isEqualTo(m <= 2 ? List.of("acme") : List.of());
            }
            assertThat(accountsWithTermOnOrAfter("2026-02-05")).containsExactly("acme");
            assertThat(accountsWithTermOnOrAfter("2026-02-06")).isEmpty();
        }
    }

    @Test
    @DisplayName("S1.2 a newer version written between our read and our transaction makes us read again (optimistic lock), so no membership of the other version survives")
    void writerInBetween() {
        repo.apply(bought("acme", "s1", 1, "2026-01-01", "2026-03-31"));
        DynamoDbAccountRepository other = new DynamoDbAccountRepository(local.client(), table);
        client.reset();
        client.beforeNextTransaction(() -> other.apply(ended("acme", "s1", 2, "2026-01-01", "2026-12-31")));

        assertThat(repo.apply(ended("acme", "s1", 3, "2026-01-01", "2026-02-28"))).isEqualTo(ApplyResult.applied(3,
                Optional.of(new Term(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))));
        assertThat(client.counts()).isEqualTo(Map.of("GetItem", 2, "TransactWriteItems", 2));
        for (int m = 1; m <= 12; m++) {
            String month = YearMonth.of(2026, m).toString();
            assertThat(accountsIn(month)).as(month).isEqualTo(m <= 2 ? List.of("acme") : List.of());
        }
        assertThat(accountsWithTermOnOrAfter("2026-03-01")).isEmpty();
        assertThat(accountsWithTermOnOrAfter("2026-02-28")).containsExactly("acme");
    }

    private List<ApplyResult> concurrently(List<BillingEvent> events) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(events.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApplyResult>> futures = new ArrayList<>();
            for (BillingEvent e : events) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return repo.apply(e);
                }));
            }
            start.countDown();
            List<ApplyResult> results = new ArrayList<>();
            for (Future<ApplyResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ access patterns

    @Test
    @DisplayName("S1.2 forEachAccountWithServiceIn lists exactly the accounts with a period in the month: partial months, gaps, shortened and voided terms, no duplicates")
    void accountsWithServiceInMonth() {
        repo.apply(file("subscription-purchased.json"));               // acme 2026-03-17..06-16
        repo.apply(bought("globex", "g1", 1, "2026-01-01", "2026-02-28"));
        repo.apply(bought("globex", "g2", 1, "2026-04-01", "2026-05-31")); // gap in March
        repo.apply(bought("initech", "i1", 1, "2026-03-01", "2026-08-31"));
        repo.apply(ended("initech", "i1", 2, "2026-03-01", "2026-05-10")); // shortened
        repo.apply(bought("hooli", "h1", 1, "2026-04-30", "2026-07-01"));
        repo.apply(bought("hooli", "h2", 1, "2026-05-15", "2026-09-30")); // overlaps h1
        repo.apply(bought("umbrella", "u1", 1, "2026-09-01", "2026-10-31"));
        repo.apply(file("subscription-ended-before-start.json"));     // globex sub_9001: never started
        repo.apply(bought("a-b", "x", 1, "2026-05-31", "2026-05-31"));  // one day; id sorting next to others
        repo.apply(fee("nofee-only", "2026-05", 1, "5.00", "0.00"));   // a fee without a term is no service

        assertThat(accountsIn("2026-01")).containsExactly("globex");
        assertThat(accountsIn("2026-02")).containsExactly("globex");
        assertThat(accountsIn("2026-03")).containsExactly("acme", "initech");
        assertThat(accountsIn("2026-04")).containsExactly("acme", "globex", "hooli", "initech");
        assertThat(accountsIn("2026-05")).containsExactly("a-b", "acme", "globex", "hooli", "initech");
        assertThat(accountsIn("2026-06")).containsExactly("acme", "hooli");
        assertThat(accountsIn("2026-07")).containsExactly("hooli");
        assertThat(accountsIn("2026-08")).containsExactly("hooli");
        assertThat(accountsIn("2026-09")).containsExactly("hooli", "umbrella");
        assertThat(accountsIn("2026-11")).isEmpty();

        // cross-check against the core's own rule (S1.2) on the assembled accounts
        for (int m = 1; m <= 12; m++) {
            YearMonth month = YearMonth.of(2026, m);
            List<String> expected = new ArrayList<>();
            for (String id : List.of("a-b", "acme", "globex", "hooli", "initech", "umbrella")) {
                if (ServicePeriod.of(repo.find(id).orElseThrow().terms(), month).isPresent()) {
                    expected.add(id);
                }
            }
            assertThat(accountsIn(month.toString())).as(month.toString()).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("forEachAccountWithServiceIn reads only the month's partition: one Query per 1 MB page, not a Scan")
    void serviceInMonthCost() {
        for (int i = 0; i < 30; i++) {
            repo.apply(bought(String.format("acct-%02d", i), "s", 1, "2026-0" + (1 + i % 9) + "-01", "2026-0" + (1 + i % 9) + "-28"));
        }
        client.reset();
        assertThat(accountsIn("2026-03")).containsExactly("acct-02", "acct-11", "acct-20", "acct-29");
        assertThat(client.counts()).isEqualTo(Map.of("Query", 1));
    }

    @Test
    @DisplayName("S6.2 forEachAccountWithTermOnOrAfter gives each account with a current or future term once, assembled")
    void accountsWithCurrentOrFutureTerm() {
        repo.apply(file("contact-changed.json"));
        repo.apply(file("subscription-purchased.json"));                // acme ends 2026-06-16
        repo.apply(bought("acme", "s2", 1, "2026-09-01", "2027-08-31"));  // acme again, future
        repo.apply(bought("globex", "g1", 1, "2026-01-01", "2026-06-15"));
        repo.apply(bought("initech", "i1", 1, "2026-03-01", "2026-12-31"));
        repo.apply(ended("initech", "i1", 2, "2026-03-01", "2026-04-30")); // ended early
        repo.apply(bought("umbrella", "u1", 1, "2027-01-01", "2027-12-31")); // future only
        repo.apply(file("subscription-ended-before-start.json"));           // globex sub_9001: nothing

        assertThat(accountsWithTermOnOrAfter("2026-06-16")).containsExactlyInAnyOrder("acme", "umbrella");
        assertThat(accountsWithTermOnOrAfter("2026-06-15")).containsExactlyInAnyOrder("acme", "globex", "umbrella");
        assertThat(accountsWithTermOnOrAfter("2026-04-30")).containsExactlyInAnyOrder("acme", "globex", "initech", "umbrella");
        assertThat(accountsWithTermOnOrAfter("2027-09-01")).containsExactly("umbrella");
        assertThat(accountsWithTermOnOrAfter("2028-01-01")).isEmpty();

        List<Account> given = new ArrayList<>();
        repo.forEachAccountWithTermOnOrAfter(LocalDate.of(2026, 6, 1), given::add);
        assertThat(given).filteredOn(a -> a.accountId().equals("acme")).singleElement()
                .satisfies(a -> {
                    assertThat(a.email()).isEqualTo("sla-notices@acme.example");
                    assertThat(a.terms()).hasSize(2);
                });
    }

    // ------------------------------------------------------------------ long terms, costs

    @Test
    @DisplayName("S1.1 a 48-month term writes 48 membership items; replacing it by a disjoint 48-month term fits one transaction")
    void longestTermsFitOneTransaction() {
        repo.apply(bought("acme", "s1", 1, "2026-01-01", "2029-12-31"));
        assertThat(local.allItems(table)).filteredOn(i -> i.get("pk").s().startsWith("MONTH#")).hasSize(48);
        client.reset();
        assertThat(repo.apply(bought("acme", "s1", 2, "2030-01-01", "2033-12-31")).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(client.transactItems()).isEqualTo(1 + 48 + 48 + 2);
        assertThat(local.allItems(table)).filteredOn(i -> i.get("pk").s().startsWith("MONTH#"))
                .hasSize(48).allSatisfy(i -> assertThat(i.get("pk").s()).startsWith("MONTH#203"));
        assertThat(accountsIn("2029-12")).isEmpty();
        assertThat(accountsIn("2033-12")).containsExactly("acme");
    }

    @Test
    @DisplayName("requests per event (stated in docs/accounts.md): fee and contact 1 PutItem; subscription 1 GetItem + 1 TransactWriteItems, replays and stale ones 1 GetItem")
    void requestsPerEvent() {
        record Case(String file, Map<String, Integer> requests, int transactItems) {
        }
        List<Case> cases = List.of(
                new Case("fee-assessed.json", Map.of("PutItem", 1), 0),
                new Case("fee-assessed.json", Map.of("PutItem", 1), 0),               // replay
                new Case("fee-assessed-correction.json", Map.of("PutItem", 1), 0),
                new Case("fee-assessed.json", Map.of("PutItem", 1), 0),               // stale
                new Case("contact-changed.json", Map.of("PutItem", 1), 0),
                new Case("contact-changed.json", Map.of("PutItem", 1), 0),            // replay
                // subscription + 4 memberships (Mar..Jun) + term end
                new Case("subscription-purchased.json", Map.of("GetItem", 1, "TransactWriteItems", 1), 6),
                new Case("subscription-purchased.json", Map.of("GetItem", 1), 0),     // replay
                // subscription + delete June + term end moved (delete + put)
                new Case("subscription-ended-cancelled.json", Map.of("GetItem", 1, "TransactWriteItems", 1), 4),
                new Case("subscription-purchased.json", Map.of("GetItem", 1), 0));    // stale
        for (Case c : cases) {
            client.reset();
            repo.apply(file(c.file()));
            assertThat(client.counts()).as(c.file()).isEqualTo(c.requests());
            assertThat(client.transactItems()).as(c.file()).isEqualTo(c.transactItems());
        }
        client.reset();
        repo.apply(bought("acme", "s9", 1, "2026-03-17", "2029-03-16")); // a 3-year term: 37 months touched
        assertThat(client.transactItems()).isEqualTo(1 + 37 + 1);
        assertThat(client.total()).isEqualTo(2);
    }
}
