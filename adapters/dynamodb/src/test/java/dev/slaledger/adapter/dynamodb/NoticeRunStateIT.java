package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.SendPlan;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeCursors.AudienceCount;
import dev.slaledger.core.port.NoticeCursors.Cursor;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.SendingQuota.Quota;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The notice run state on the DynamoDB of the {@code Engines} fixture (S9.2, S9.3): sweep cursors
 * (conditional saves), the backlog (parked units due in order), the shared send schedule under
 * concurrent senders, and the registry's pages and counts the sweeps read.
 */
@UsesEngines
class NoticeRunStateIT {
    private static DynamoDbClient dynamo;
    private static final String LEDGER = "NoticeRunStateIT";
    private static final String ACCOUNTS = "NoticeRunStateIT-accounts";
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, LEDGER);
        AccountsTable.create(dynamo, ACCOUNTS);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    @DisplayName("S9.2 a cursor is saved only on the revision read: of two runs moving it from the same read, one wins")
    void cursors() {
        DynamoDbNoticeCursors cursors = new DynamoDbNoticeCursors(dynamo, LEDGER);
        Cursor start = Cursor.start("CHANGE#2027-01", Optional.of(LocalDate.parse("2026-11-02")), 1_000, T0);
        assertThat(cursors.save(start)).isTrue();
        assertThat(cursors.save(start)).as("a second first save").isFalse();
        Cursor stored = cursors.find("CHANGE#2027-01").orElseThrow();
        assertThat(stored.revision()).isEqualTo(1);
        Cursor moved = stored.advanced(Optional.of("2027-06-30#acme#s1"), 250, false, T0.plusSeconds(5));
        assertThat(cursors.save(moved)).isTrue();
        assertThat(cursors.save(moved)).as("a run that read revision 1 too").isFalse();
        assertThat(cursors.all()).singleElement().satisfies(c -> {
            assertThat(c.position()).contains("2027-06-30#acme#s1");
            assertThat(c.listed()).isEqualTo(250);
            assertThat(c.remaining()).isEqualTo(750);
            assertThat(c.revision()).isEqualTo(2);
        });
        cursors.recordAudience(new AudienceCount(LocalDate.parse("2026-11-02"), 1_234, T0));
        assertThat(cursors.audience()).contains(new AudienceCount(LocalDate.parse("2026-11-02"), 1_234, T0));
    }

    @Test
    @DisplayName("S9.2 parked units come back once due, oldest first; given-up accounts are recorded")
    void backlog() {
        DynamoDbNoticeBacklog backlog = new DynamoDbNoticeBacklog(dynamo, LEDGER);
        backlog.park(NoticeWork.change("2027-01", List.of("b"), 2), T0.plusSeconds(3600), "DEFERRED: hour full");
        backlog.park(NoticeWork.eligibility(YearMonth.of(2026, 10), List.of("a", "c"), 2), T0, "IN_PROGRESS");
        backlog.park(NoticeWork.account(List.of("z")), T0.plusSeconds(7200), "FAILED: refused");
        assertThat(backlog.due(T0.minusSeconds(1), 10)).isEmpty();
        List<NoticeBacklog.Parked> due = backlog.due(T0.plusSeconds(3600), 10);
        assertThat(due).extracting(p -> p.work().accountIds()).containsExactly(List.of("a", "c"), List.of("b"));
        assertThat(due.get(0).work().kind()).isEqualTo(NoticeWork.Kind.ELIGIBILITY);
        assertThat(due.get(0).reason()).isEqualTo("IN_PROGRESS");
        due.forEach(backlog::remove);
        assertThat(backlog.due(T0.plusSeconds(7200), 10)).singleElement()
                .satisfies(p -> assertThat(p.work()).isEqualTo(NoticeWork.account(List.of("z"))));
        backlog.gaveUp(new NoticeBacklog.GaveUp("CHANGE#2027-01", "broken", 3, "cannot read", T0));
        assertThat(dynamo.getItem(b -> b.tableName(LEDGER).key(Attr.key("NOTICEGAVEUP#CHANGE#2027-01", "broken")))
                .item()).containsKey("expiresAt");
    }

    @Test
    @DisplayName("S9.3 the send schedule on DynamoDB: 8 concurrent senders get distinct slots 1/14 s apart, and no hour grants more than its share")
    void sendScheduleUnderConcurrency() throws Exception {
        DynamoDbSendThrottle configurer = new DynamoDbSendThrottle(dynamo, LEDGER);
        SendPlan plan = SendPlan.of(new Quota(BigDecimal.valueOf(14), 50_000, 0), Optional.empty(),
                Optional.of(25L * 40 + 29), 0, T0); // a 40-an-hour share, to reach it quickly
        configurer.configure(plan);
        assertThat(plan.hourCap()).isEqualTo(40);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<SendThrottle.Answer>>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            DynamoDbSendThrottle sender = new DynamoDbSendThrottle(dynamo, LEDGER); // its own cache, as each Lambda
            results.add(pool.submit(() -> {
                go.await();
                List<SendThrottle.Answer> answers = new ArrayList<>();
                Instant now = T0;
                for (int i = 0; i < 200; i++) {
                    SendThrottle.Answer a = sender.acquire(1, now);
                    answers.add(a);
                    if (a instanceof SendThrottle.Wait wait) {
                        now = wait.retryAt(); // the simulated wait
                    } else if (a instanceof SendThrottle.Exhausted) {
                        break; // the hour's share is used: this sender defers
                    }
                }
                return answers;
            }));
        }
        go.countDown();
        List<Instant> slots = Collections.synchronizedList(new ArrayList<>());
        int exhausted = 0;
        for (Future<List<SendThrottle.Answer>> f : results) {
            for (SendThrottle.Answer a : f.get()) {
                if (a instanceof SendThrottle.Granted g) {
                    slots.add(g.first());
                } else if (a instanceof SendThrottle.Exhausted) {
                    exhausted++;
                }
            }
        }
        pool.shutdown();
        assertThat(slots).as("exactly the hour's share, whatever the contention").hasSize(40).doesNotHaveDuplicates();
        assertThat(exhausted).as("every sender was told to defer at last").isEqualTo(8);
        List<Instant> sorted = new ArrayList<>(slots);
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).isGreaterThanOrEqualTo(Duration.ofNanos(71_428_000));
        }
        SendThrottle.Usage usage = configurer.usage(T0);
        assertThat(usage.thisHour()).isEqualTo(40);
        assertThat(usage.plan()).get().extracting(SendPlan::hourCap).isEqualTo(40L);
        assertThat(configurer.acquire(1, T0.plusSeconds(3600))).as("the next hour has its share")
                .isInstanceOf(SendThrottle.Granted.class);
    }

    @Test
    @DisplayName("S9.2 the registry's listings page from a position without reading accounts, and count without listing")
    void accountPages() {
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, ACCOUNTS);
        for (int i = 0; i < 7; i++) {
            String id = "acct-" + i;
            accounts.apply(new SubscriptionPurchased("e" + i, "sub-" + id, 1, id, "s1",
                    new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-0" + (1 + i % 3) + "-28"))));
        }
        accounts.apply(new SubscriptionPurchased("old", "sub-old", 1, "acct-old", "s1",
                new Term(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-31"))));
        assertThat(accounts.countTermsOnOrAfter(LocalDate.parse("2026-11-02"))).isEqualTo(7);
        Set<String> listed = new LinkedHashSet<>();
        Optional<String> after = Optional.empty();
        int pages = 0;
        do {
            AccountRepository.Page page = accounts.pageAccountsWithTermOnOrAfter(LocalDate.parse("2026-11-02"), after, 3);
            listed.addAll(page.accountIds());
            after = page.next();
            pages++;
        } while (after.isPresent());
        assertThat(listed).hasSize(7).doesNotContain("acct-old");
        assertThat(pages).isBetween(3, 4);
        AccountRepository.Page october = accounts.pageAccountsWithServiceIn(YearMonth.of(2026, 10), Optional.empty(), 100);
        assertThat(october.accountIds()).hasSize(7);
        assertThat(october.next()).isEmpty();
    }
}
