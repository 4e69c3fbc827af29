package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeBacklog;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryNoticeWorkQueue;
import dev.slaledger.core.port.memory.InMemorySendThrottle;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.notifier.notice.EligibilityRenderer;
import dev.slaledger.notifier.notice.NoticeRenderer;
import dev.slaledger.notifier.notice.NoticeReport;
import dev.slaledger.notifier.notice.NoticeSender;
import dev.slaledger.notifier.notice.NoticeWorker;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.memory.FixedSendingQuota;
import dev.slaledger.core.port.memory.InMemoryNoticeCursors;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.notifier.notice.NoticeDispatcher;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The worker handler on the SQS events of events/notifier. */
class NoticeWorkerHandlerTest {
    private final SettableClock clock = new SettableClock("2026-11-11T03:00:05Z");
    private final InMemoryNoticeWorkQueue queue = new InMemoryNoticeWorkQueue(clock);
    private final List<NoticeReport> reports = new ArrayList<>();

    private NoticeWorkerHandler handler() {
        InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
        InMemorySendThrottle throttle = new InMemorySendThrottle();
        NoticeSender sender = new NoticeSender(ledger, new InMemoryUndeliverableContacts(),
                (mail, tags) -> "msg-1", throttle, when -> { }, clock, () -> "a-1", Duration.ofHours(48));
        NoticeWorker worker = new NoticeWorker(new InMemoryTermsRepository(DefaultTerms.version()),
                new InMemoryAccountRepository(), ledger, null, sender, new NoticeRenderer(null),
                new EligibilityRenderer(null, null), queue, new InMemoryNoticeBacklog(), clock);
        return new NoticeWorkerHandler(worker, queue, clock, reports::add);
    }

    private static SQSEvent event(String file) {
        return EventLoader.loadSQSEvent(Fixtures.event(file).toString());
    }

    @Test
    @DisplayName("S9.2 malformed messages (not JSON, no accounts, an unknown kind, an event the notices do not take) are batch item failures, so SQS moves them to the dead-letter queue; none blocks the batch")
    void malformedGoToTheDeadLetterQueue() {
        SQSBatchResponse response = handler().handleRequest(event("invalid/sqs-notice-work-malformed.json"), null);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("0f5d4a6c-7e81-4293-adef-4a5b6c7d8e9f", "1a6e5b7d-8f92-43a4-bef0-5b6c7d8e9fa0",
                        "2b7f6c8e-9013-44b5-8f01-6c7d8e9fa0b1", "3c8071d9-a124-45c6-9012-7d8e9fa0b1c2");
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    @DisplayName("S9.2 a work unit is handled and acknowledged (here: a version nobody published, nothing owed)")
    void workUnit() {
        SQSBatchResponse response = handler().handleRequest(event("sqs-notice-work.json"), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(reports).singleElement().satisfies(r ->
                assertThat(r.count(NoticeReport.Outcome.NOTHING_OWED)).isEqualTo(2));
    }

    @Test
    @DisplayName("S6.2 a billing event (ContactChanged) is handed on as an ACCOUNT unit, two minutes later, after the accounts function stored it")
    void billingEvent() {
        SQSBatchResponse response = handler().handleRequest(event("sqs-billing-contact-changed.json"), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queue.entries()).singleElement().satisfies(e -> {
            assertThat(e.work()).isEqualTo(NoticeWork.account(List.of("acme")));
            assertThat(e.visibleAt()).isEqualTo(clock.instant().plus(NoticeWorkerHandler.ACCOUNT_EVENT_DELAY));
        });
    }

    @Test
    @DisplayName("S8.2 a StatementCompensable event is decided at once for its account-month (here S8 is not wired: nothing owed)")
    void statementCompensable() {
        SQSBatchResponse response = handler().handleRequest(event("sqs-statement-compensable.json"), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.entries(NoticeReport.Outcome.NOTHING_OWED))
                .singleElement().satisfies(e -> {
                    assertThat(e.accountId()).isEqualTo("acme");
                    assertThat(e.key()).isEqualTo("ELIG#2026-10");
                }));
    }

    // ------------------------------------------------------------------ S9.2: the last receive

    private static final NoticeWorkerHandler.Redelivery DEPLOYED = NoticeWorkerHandler.Redelivery.deployed();

    /** A worker whose delivery reads kill the invocation (an Error, as a Lambda stopped mid-way) while {@code dies}. */
    private NoticeWorkerHandler handler(InMemoryNoticeBacklog backlog, List<Instant> parkedAt, boolean[] dies) {
        InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
        NoticeDeliveries reads = (NoticeDeliveries) Proxy.newProxyInstance(NoticeDeliveries.class.getClassLoader(),
                new Class<?>[] {NoticeDeliveries.class}, (proxy, method, args) -> {
                    if (dies[0]) {
                        throw new Error("the invocation was killed");
                    }
                    return method.invoke(ledger, args);
                });
        NoticeBacklog recording = new NoticeBacklog() {
            @Override
            public Parked park(NoticeWork work, Instant notBefore, String reason) {
                parkedAt.add(clock.instant());
                return backlog.park(work, notBefore, reason);
            }

            @Override
            public List<Parked> due(Instant now, int max) {
                return backlog.due(now, max);
            }

            @Override
            public void remove(Parked parked) {
                backlog.remove(parked);
            }

            @Override
            public void gaveUp(GaveUp gaveUp) {
                backlog.gaveUp(gaveUp);
            }
        };
        NoticeSender sender = new NoticeSender(ledger, new InMemoryUndeliverableContacts(),
                (mail, tags) -> "msg-1", new InMemorySendThrottle(), when -> { }, clock, () -> "a-1", Duration.ofHours(48));
        NoticeWorker worker = new NoticeWorker(new InMemoryTermsRepository(DefaultTerms.version()),
                new InMemoryAccountRepository(), reads, null, sender, new NoticeRenderer(null),
                new EligibilityRenderer(null, null), queue, recording, clock);
        return new NoticeWorkerHandler(worker, queue, DEPLOYED, clock, reports::add);
    }

    private static SQSEvent receivedTimes(int receives) {
        SQSEvent e = event("sqs-notice-work.json");
        e.getRecords().forEach(m -> m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receives))));
        return e;
    }

    private NoticeDispatcher dispatcher(InMemoryNoticeBacklog backlog) {
        TermsVersion v1 = DefaultTerms.version();
        return new NoticeDispatcher(new InMemoryTermsRepository(v1), new InMemoryAccountRepository(),
                new InMemoryNoticeCursors(), backlog, queue, FixedSendingQuota.sesDefault(), new InMemorySendThrottle(),
                NoticeDispatcher.Caps.none(), false, Duration.ofHours(9), 25, clock);
    }

    @Test
    @DisplayName("S9.2 the notice queue as deployed: 3 receives, then the dead-letter queue; visibility 30 minutes")
    void redeliveryAsDeployed() {
        assertThat(DEPLOYED.maxReceives()).isEqualTo(3);
        assertThat(DEPLOYED.visibility()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    @DisplayName("S9.2 a unit's last receive leaves a rescue record first and removes it once the unit is done; earlier"
            + " receives write nothing")
    void lastReceiveRescueRemovedWhenDone() {
        InMemoryNoticeBacklog backlog = new InMemoryNoticeBacklog();
        List<Instant> parks = new ArrayList<>();
        NoticeWorkerHandler h = handler(backlog, parks, new boolean[] {false});

        assertThat(h.handleRequest(receivedTimes(2), null).getBatchItemFailures()).isEmpty();
        assertThat(parks).as("not the last receive: no rescue record").isEmpty();
        assertThat(h.handleRequest(receivedTimes(3), null).getBatchItemFailures()).isEmpty();
        assertThat(parks).as("the last receive: a rescue record").hasSize(1);
        assertThat(backlog.parked()).as("removed: the unit is done").isEmpty();
    }

    @Test
    @DisplayName("S9.2 a unit whose last receive dies (its message goes to the dead-letter queue, past the cursor) is"
            + " listed again by the next dispatcher run once the visibility timeout ended, before new work; after "
            + NoticeWorker.MAX_ATTEMPTS + " attempts its accounts are given up, recorded and counted: never silently skipped,"
            + " never retried forever")
    void lastReceiveDiesThenListedAgainThenGivenUp() {
        InMemoryNoticeBacklog backlog = new InMemoryNoticeBacklog();
        boolean[] dies = {true};
        NoticeWorkerHandler h = handler(backlog, new ArrayList<>(), dies);
        Assertions.assertThatThrownBy(() -> h.handleRequest(receivedTimes(3), null)).isInstanceOf(Error.class);
        assertThat(backlog.parked()).singleElement().satisfies(p -> {
            assertThat(p.work().accountIds()).containsExactly("acme", "globex");
            assertThat(p.work().attempt()).isEqualTo(2);
            assertThat(p.notBefore()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
            assertThat(p.reason()).startsWith(NoticeWorker.RESCUE);
        });

        // before the visibility timeout ends the invocation may still run: nothing listed
        NoticeDispatcher.Report early = dispatcher(backlog).run(TimeBudget.unlimited());
        assertThat(early.rescued()).isZero();
        clock.advance(Duration.ofMinutes(31));
        NoticeDispatcher.Report run = dispatcher(backlog).run(TimeBudget.unlimited());
        assertThat(run.rescued()).isEqualTo(1);
        assertThat(backlog.parked()).isEmpty();
        NoticeWork again = queue.take().orElseThrow();
        assertThat(again.accountIds()).containsExactly("acme", "globex");
        assertThat(again.attempt()).isEqualTo(2);

        // it dies on its last receive twice more: the third rescue record is beyond the attempts, given up
        for (int attempt = 2; attempt <= NoticeWorker.MAX_ATTEMPTS; attempt++) {
            SQSEvent e = receivedTimes(3);
            e.getRecords().get(0).setBody("{\"notice\":\"CHANGE\",\"key\":\"2027-01\",\"accountIds\":[\"acme\","
                    + "\"globex\"],\"attempt\":" + attempt + ",\"versions\":2}");
            Assertions.assertThatThrownBy(() -> h.handleRequest(e, null)).isInstanceOf(Error.class);
            clock.advance(Duration.ofMinutes(31));
            NoticeDispatcher.Report r = dispatcher(backlog).run(TimeBudget.unlimited());
            queue.take();
            if (attempt < NoticeWorker.MAX_ATTEMPTS) {
                assertThat(r.rescued()).isEqualTo(1);
            } else {
                assertThat(r.rescued()).isZero();
                assertThat(r.gaveUp()).isEqualTo(2);
            }
        }
        assertThat(backlog.parked()).isEmpty();
        assertThat(backlog.gaveUp()).extracting(NoticeBacklog.GaveUp::accountId).containsExactlyInAnyOrder("acme", "globex");
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    @DisplayName("S9.2 the rescue records of every message of a batch on its last receive are written before any is"
            + " handled: an invocation that dies on the first message leaves the others' records too")
    void rescueRecordsOfTheWholeBatchFirst() {
        InMemoryNoticeBacklog backlog = new InMemoryNoticeBacklog();
        NoticeWorkerHandler h = handler(backlog, new ArrayList<>(), new boolean[] {true});
        SQSEvent e = receivedTimes(3);
        SQSEvent.SQSMessage second = new SQSEvent.SQSMessage();
        second.setMessageId("second");
        second.setBody("{\"notice\":\"CHANGE\",\"key\":\"2027-01\",\"accountIds\":[\"initech\"],\"attempt\":1,"
                + "\"versions\":2}");
        second.setAttributes(Map.of("ApproximateReceiveCount", "3"));
        List<SQSEvent.SQSMessage> both = new ArrayList<>(e.getRecords());
        both.add(second);
        e.setRecords(both);
        Assertions.assertThatThrownBy(() -> h.handleRequest(e, null)).isInstanceOf(Error.class);
        assertThat(backlog.parked()).extracting(p -> p.work().accountIds())
                .containsExactlyInAnyOrder(List.of("acme", "globex"), List.of("initech"));
    }

    @Test
    @DisplayName("S6.4, S9.2 the reservation lease follows the deployed retry schedule (the worker's timeout plus the SES"
            + " feedback queue's receives x visibility: 35 minutes), not 48 hours: a send whose invocation died is tried"
            + " again by the next hourly run, after SES's Send event could have completed it")
    void leaseTiedToTheRetrySchedule() {
        assertThat(NotifierWiring.DEFAULT_LEASE).isEqualTo(Duration.ofMinutes(35));
        assertThat(NotifierWiring.DEFAULT_LEASE).as("the reserving invocation has surely ended")
                .isGreaterThan(DeployedSettings.functionTimeout("notice-worker"));
        assertThat(NotifierWiring.DEFAULT_LEASE).as("retried by the next hourly dispatcher run or the one after")
                .isLessThan(Duration.ofHours(1));
    }
}
