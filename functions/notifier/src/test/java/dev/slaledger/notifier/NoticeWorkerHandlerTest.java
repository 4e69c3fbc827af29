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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
}
