package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.billing.ApplyResult;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ConflictingBillingEventException;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The batch import of accounts ({@link DynamoDbAccountRepository#importIntoEmptyTable}) against the
 * event path ({@link DynamoDbAccountRepository#apply}, one event at a time) on the DynamoDB of the
 * {@code Engines} fixture: generated accounts' billing events (D2) go once through each into tables
 * of their own, and the two tables must hold the same items, every attribute.
 */
@UsesEngines
class AccountsBatchImportIT {
    private static DynamoDbClient dynamo;
    private static int tables;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().sharedDynamoDbClient(); // closed when the JVM exits
    }

    private static String newTable() {
        String name = "AccountsBatchImportIT-" + (++tables);
        AccountsTable.create(dynamo, name);
        return name;
    }

    @Test
    @DisplayName("D2 the batch import leaves exactly the items applying the events one by one leaves, and the same answers")
    void sameItemsAsTheEventPath() {
        List<BillingEvent> events = generated(24, 20261207L);
        assertThat(events).hasSizeGreaterThan(200);
        assertThat(events).as("the generator covers what the import has to fold")
                .anyMatch(e -> e instanceof SubscriptionEnded se && se.term().isEmpty())
                .anyMatch(e -> e instanceof SubscriptionEnded se && se.term().isPresent())
                .anyMatch(e -> e instanceof FeeAssessed f && f.billingVersion() > 1)
                .anyMatch(e -> e instanceof ContactChanged c && c.billingVersion() > 1);

        String oneByOne = newTable();
        DynamoDbAccountRepository applied = new DynamoDbAccountRepository(dynamo, oneByOne);
        List<ApplyResult> answers = new ArrayList<>();
        for (BillingEvent e : events) {
            answers.add(applied.apply(e));
        }
        assertThat(answers).as("the sample has stale, replayed and re-applied events")
                .anyMatch(r -> r.outcome() == ApplyResult.Outcome.STALE)
                .anyMatch(r -> r.outcome() == ApplyResult.Outcome.REPLAY)
                .anyMatch(r -> r.replacedTerm().isPresent());

        String batch = newTable();
        DynamoDbAccountRepository.Imported imported = new DynamoDbAccountRepository(dynamo, batch)
                .importIntoEmptyTable(events);

        Set<Map<String, AttributeValue>> expected = items(oneByOne);
        assertThat(items(batch)).as("every item, every attribute").isEqualTo(expected);
        assertThat(imported.results()).as("what apply answered for each event").isEqualTo(answers);
        assertThat(imported.items()).isEqualTo(expected.size());
        assertThat(imported.requests()).isEqualTo((expected.size() + 24) / 25);
        assertThat(expected).as("memberships and term ends are there")
                .anyMatch(i -> i.get(AccountsTable.PK).s().startsWith("MONTH#"))
                .anyMatch(i -> i.get(AccountsTable.PK).s().equals("TERMEND"));
    }

    @Test
    @DisplayName("D2 the events in another order give the same items (arrival order does not matter)")
    void orderIndependent() {
        List<BillingEvent> events = generated(24, 42L);
        Set<Map<String, AttributeValue>> inOrder = imported(events);
        for (long seed : new long[] {1L, 2L}) {
            List<BillingEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(imported(shuffled)).as("shuffled with seed " + seed).isEqualTo(inOrder);
        }
    }

    @Test
    @DisplayName("D2 the same version with other content is refused before anything is written")
    void conflictWritesNothing() {
        String table = newTable();
        List<BillingEvent> events = List.of(
                fee("e1", "acme", YearMonth.of(2026, 10), 1, "100.00"),
                fee("e2", "acme", YearMonth.of(2026, 10), 1, "90.00"));
        assertThatThrownBy(() -> new DynamoDbAccountRepository(dynamo, table).importIntoEmptyTable(events))
                .isInstanceOf(ConflictingBillingEventException.class);
        assertThat(items(table)).isEmpty();
    }

    @Test
    @DisplayName("the batch import refuses a table that already holds items")
    void refusesATableWithItems() {
        String table = newTable();
        DynamoDbAccountRepository repo = new DynamoDbAccountRepository(dynamo, table);
        repo.apply(contact("c1", "other", 1, "a@other.example", null));
        List<BillingEvent> events = List.of(contact("c2", "acme", 1, "a@acme.example", null));
        assertThatThrownBy(() -> repo.importIntoEmptyTable(events))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not empty");
        assertThat(items(table)).hasSize(1);
    }

    private static Set<Map<String, AttributeValue>> imported(List<BillingEvent> events) {
        String table = newTable();
        new DynamoDbAccountRepository(dynamo, table).importIntoEmptyTable(events);
        return items(table);
    }

    private static Set<Map<String, AttributeValue>> items(String table) {
        Set<Map<String, AttributeValue>> items = new HashSet<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    /**
     * Per account: a contact (sometimes changed at version 2, a locale added or dropped), two to four
     * subscriptions of 1 to 14 months (some ended early at version 2, some cancelled before their
     * first day, one re-purchased over a longer term at version 3, an end arriving before its
     * purchase), fees of one to three months (some corrected at version 2, the older version arriving
     * after it), and redeliveries of the same event. Events of an entity keep distinct ids.
     */
    static List<BillingEvent> generated(int accounts, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<BillingEvent> events = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            String id = "acct-" + a;
            ContactChanged contact = contact(id + "-c1", id, 1, "sla@" + id + ".example", a % 3 == 0 ? "zh-CN" : null);
            events.add(contact);
            if (a % 4 == 1) {
                events.add(contact(id + "-c2", id, 2, "billing@" + id + ".example", a % 8 == 1 ? "de-DE" : null));
                events.add(contact); // the older version, late: stale
            }
            int subscriptions = 2 + r.nextInt(3);
            LocalDate from = LocalDate.of(2026, 1 + r.nextInt(6), 1 + r.nextInt(28));
            for (int s = 1; s <= subscriptions; s++) {
                String sub = id + "-term-" + s;
                Term term = new Term(from, from.plusMonths(1 + r.nextInt(14)).minusDays(1));
                SubscriptionPurchased bought = new SubscriptionPurchased(sub + "-p", "b-" + sub, 1, id, sub, term);
                switch ((a + s) % 5) {
                    case 0 -> { // ended early: membership of the later months and the term end change
                        SubscriptionEnded ended = new SubscriptionEnded(sub + "-x", "b-" + sub, 2, id, sub,
                                term.start(), term.start().plusDays(20 + r.nextInt(40)),
                                SubscriptionEnded.Reason.CANCELLED);
                        events.add(bought);
                        events.add(ended);
                        events.add(bought); // redelivered purchase after the end: stale
                    }
                    case 1 -> { // cancelled before its first day: no term, no membership, no term end
                        events.add(bought);
                        events.add(new SubscriptionEnded(sub + "-x", "b-" + sub, 2, id, sub, term.start(),
                                term.start().minusDays(1), SubscriptionEnded.Reason.CANCELLED));
                    }
                    case 2 -> { // the end arrives before the purchase (ran out), then a renewal over a longer term
                        events.add(new SubscriptionEnded(sub + "-x", "b-" + sub, 2, id, sub, term.start(), term.end(),
                                SubscriptionEnded.Reason.EXPIRED));
                        events.add(bought);
                        events.add(new SubscriptionPurchased(sub + "-r", "b-" + sub, 3, id, sub,
                                new Term(term.start(), term.end().plusMonths(3))));
                    }
                    default -> {
                        events.add(bought);
                        if (r.nextBoolean()) {
                            events.add(bought); // redelivered: a replay
                        }
                    }
                }
                from = term.end().plusDays(1 + r.nextInt(40));
            }
            int fees = 1 + r.nextInt(3);
            for (int f = 0; f < fees; f++) {
                YearMonth month = YearMonth.of(2026, 8 + f);
                FeeAssessed first = fee(id + "-f" + f, id, month, 1, (100 + a) + ".00");
                events.add(first);
                if ((a + f) % 3 == 0) {
                    events.add(fee(id + "-f" + f + "-v2", id, month, 2, (90 + a) + ".50"));
                    events.add(first); // late: stale
                }
            }
        }
        return events;
    }

    static ContactChanged contact(String eventId, String accountId, long version, String email, String locale) {
        return new ContactChanged(eventId, "cust_" + accountId, version, accountId, email,
                Optional.ofNullable(locale).map(Locale::forLanguageTag));
    }

    static FeeAssessed fee(String eventId, String accountId, YearMonth month, long version, String amount) {
        return new FeeAssessed(eventId, "fee_" + accountId + "_" + month, version, accountId, month,
                MonthlyFee.of(amount, version > 1 ? "10.00" : "0", "EUR"));
    }
}
