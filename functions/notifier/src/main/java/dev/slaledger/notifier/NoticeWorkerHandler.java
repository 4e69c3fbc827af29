package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.NoticeWorkQueue;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.notifier.notice.NoticeReport;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import dev.slaledger.notifier.notice.NoticeWorker;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The notice worker's handler, on the notice queue's SQS event source (partial batch responses).
 * Each message is a unit of notice work, a {@code StatementCompensable} event or a billing event
 * ({@link NoticeQueueMessage}); a unit goes to {@link NoticeWorker}, which decides, sends, parks and
 * hands on what it did not do before the message is acknowledged. A billing event is handed on as
 * an ACCOUNT unit {@link #ACCOUNT_EVENT_DELAY} later, so the accounts function (a target of the same
 * event) has stored the change first.
 *
 * <p>A malformed message is reported as a batch item failure: SQS delivers it again a few times and
 * then moves it to the dead-letter queue, whose alarm fires; the others of the batch are not held
 * up. An invocation that fails on a message (its writes failed) reports that message only; the
 * reservations make its redelivery send nothing twice. Metrics (EMF, namespace
 * {@value #METRICS_NAMESPACE}): {@code NoticesSent}, {@code NoticesDeferred},
 * {@code NoticeAccountErrors}, {@code NoticeAccountsGaveUp} and {@code MalformedNoticeWork} (both
 * alarmed).
 */
public final class NoticeWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** Stop starting accounts when less than this is left: one send with the SES client's retries fits. */
    static final long RESERVE_MILLIS = 60_000;
    /** How long a billing event waits before its account is looked at. */
    public static final Duration ACCOUNT_EVENT_DELAY = Duration.ofMinutes(2);
    /** The CloudWatch namespace of the worker's metrics. */
    public static final String METRICS_NAMESPACE = "SlaLedger/Notices";

    private final NoticeWorker worker;
    private final NoticeWorkQueue queue;
    private final Clock clock;
    private final Consumer<NoticeReport> reports;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    public NoticeWorkerHandler() {
        this(NotifierWiring.fromEnvironment());
    }

    private NoticeWorkerHandler(NotifierWiring wiring) {
        this(wiring.worker(), wiring.noticeQueue(), wiring.clock(), r -> { },
                Priming.register("notice-worker", wiring.workerPriming()));
    }

    /** @param reports told what each invocation did (a local runtime sums them; Lambda logs them) */
    public NoticeWorkerHandler(NoticeWorker worker, NoticeWorkQueue queue, Clock clock, Consumer<NoticeReport> reports) {
        this(worker, queue, clock, reports, null);
    }

    private NoticeWorkerHandler(NoticeWorker worker, NoticeWorkQueue queue, Clock clock,
            Consumer<NoticeReport> reports, Priming priming) {
        this.worker = worker;
        this.queue = queue;
        this.clock = clock;
        this.reports = reports;
        this.priming = priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        TimeBudget budget = context == null ? TimeBudget.unlimited()
                : TimeBudget.until(clock, clock.instant().plusMillis(context.getRemainingTimeInMillis() - RESERVE_MILLIS));
        NoticeWorker.Invocation invocation = worker.invocation(budget);
        NoticeReport total = new NoticeReport();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int malformed = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            String id = message.getMessageId();
            try {
                switch (NoticeQueueMessage.parse(message.getBody())) {
                    case NoticeQueueMessage.Work w -> total.addAll(invocation.handle(w.work()));
                    case NoticeQueueMessage.Compensable c -> total.addAll(invocation.handle(
                            NoticeWork.eligibility(c.month(), List.of(c.accountId()), 0)));
                    case NoticeQueueMessage.AccountChanged a -> {
                        queue.enqueue(NoticeWork.account(List.of(a.accountId())), ACCOUNT_EVENT_DELAY);
                        queue.flush();
                        JsonLog.info(context, a.detailType() + " of account " + a.accountId()
                                + ": its notices are looked at in " + ACCOUNT_EVENT_DELAY);
                    }
                    case NoticeQueueMessage.Malformed m -> {
                        malformed++;
                        JsonLog.warn(context, "notice queue message " + id + " is malformed (" + m.reason()
                                + "); it goes to the dead-letter queue after its receives");
                        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
                    }
                }
            } catch (RuntimeException e) {
                JsonLog.warn(context, "notice queue message " + id + " failed, it will be delivered again: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
            }
        }
        log(total, context);
        metric(context, "NoticesSent", total.count(Outcome.SENT));
        metric(context, "NoticesDeferred", total.count(Outcome.DEFERRED));
        metric(context, "NoticeAccountErrors", total.count(Outcome.ERROR));
        metric(context, "NoticeAccountsGaveUp", total.count(Outcome.GAVE_UP));
        metric(context, "MalformedNoticeWork", malformed);
        reports.accept(total);
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static void metric(Context context, String name, long value) {
        if (value > 0) {
            JsonLog.metric(context, METRICS_NAMESPACE, name, value);
        }
    }

    /** Counts, and the accounts that need an operator (ids and keys, never an address). */
    private static void log(NoticeReport report, Context context) {
        for (Outcome o : List.of(Outcome.NO_CONTACT, Outcome.UNDELIVERABLE, Outcome.FAILED, Outcome.OUTCOME_UNKNOWN,
                Outcome.ERROR, Outcome.GAVE_UP)) {
            for (NoticeReport.Entry e : report.entries(o)) {
                JsonLog.warn(context, "notice " + o + ": account " + e.accountId() + " " + e.key() + ": " + e.detail());
            }
        }
        report.stoppedBecause().ifPresent(r -> JsonLog.info(context, "notice worker: " + r));
        JsonLog.info(context, "notice worker: " + report.counts());
    }
}
