package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.NoticeBacklog;
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
import java.util.Optional;
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

    /**
     * How SQS redelivers the notice queue's messages (deployment.json, {@code queues.notice-work}, the one
     * definition the CDK app deploys): the receive after {@code maxReceives} moves a message to the
     * dead-letter queue; a received message is hidden for {@code visibility}.
     */
    public record Redelivery(int maxReceives, Duration visibility) {
        /** The notice queue's settings as deployed. */
        public static Redelivery deployed() {
            java.util.Map<?, ?> q = DeployedSettings.queue("notice-work");
            return new Redelivery(Math.toIntExact(DeployedSettings.number(q, "maxReceiveCount")),
                    Duration.ofSeconds(DeployedSettings.number(q, "visibilityTimeoutSeconds")));
        }

        public Redelivery {
            if (maxReceives < 1 || visibility.isNegative() || visibility.isZero()) {
                throw new IllegalArgumentException("maxReceives >= 1 and a positive visibility: " + maxReceives + ", "
                        + visibility);
            }
        }

        /** Whether this receive is the last before the dead-letter queue ({@code ApproximateReceiveCount}). */
        boolean last(SQSEvent.SQSMessage message) {
            String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
            try {
                return count != null && Integer.parseInt(count.trim()) >= maxReceives;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    private final NoticeWorker worker;
    private final NoticeWorkQueue queue;
    private final Redelivery redelivery;
    private final Clock clock;
    private final Consumer<NoticeReport> reports;

    public NoticeWorkerHandler() {
        this(NotifierWiring.fromEnvironment());
    }

    private NoticeWorkerHandler(NotifierWiring wiring) {
        this(wiring, wiring.noticeQueue());
    }

    /** One SQS client for the queue the worker hands on to and the one the handler re-sends on. */
    private NoticeWorkerHandler(NotifierWiring wiring, NoticeWorkQueue queue) {
        this(wiring.worker(queue), queue, Redelivery.deployed(), wiring.clock(), r -> { });
        Priming.register("notice-worker", wiring.workerPriming());
    }

    /**
     * On the notice queue as deployed ({@link Redelivery#deployed}).
     *
     * @param reports told what each invocation did (a local runtime sums them; Lambda logs them)
     */
    public NoticeWorkerHandler(NoticeWorker worker, NoticeWorkQueue queue, Clock clock, Consumer<NoticeReport> reports) {
        this(worker, queue, Redelivery.deployed(), clock, reports);
    }

    public NoticeWorkerHandler(NoticeWorker worker, NoticeWorkQueue queue, Redelivery redelivery, Clock clock,
            Consumer<NoticeReport> reports) {
        this.worker = worker;
        this.queue = queue;
        this.redelivery = redelivery;
        this.clock = clock;
        this.reports = reports;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        TimeBudget budget = context == null ? TimeBudget.unlimited()
                : TimeBudget.until(clock, clock.instant().plusMillis(context.getRemainingTimeInMillis() - RESERVE_MILLIS));
        NoticeWorker.Invocation invocation = worker.invocation(budget);
        NoticeReport total = new NoticeReport();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int malformed = 0;
        // S9.2: first, before any message is handled, a rescue record for each message on its last receive (the
        // next failure moves it to the dead-letter queue, past every cursor): an invocation that dies while handling
        // any of them leaves the records, and the dispatcher lists their accounts again
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<NoticeQueueMessage> parsed = new ArrayList<>();
        List<Optional<NoticeBacklog.Parked>> rescues = new ArrayList<>();
        for (SQSEvent.SQSMessage message : records) {
            NoticeQueueMessage p = NoticeQueueMessage.parse(message.getBody());
            Optional<NoticeBacklog.Parked> rescue = Optional.empty();
            Optional<NoticeWork> work = p.work();
            if (work.isPresent() && redelivery.last(message)) {
                try {
                    rescue = Optional.of(invocation.rescue(work.get(), redelivery.visibility(), message.getMessageId()));
                } catch (RuntimeException e) {
                    // not handled without its rescue record: it goes to the dead-letter queue (alarmed)
                    JsonLog.error(context, "notice queue message " + message.getMessageId() + " is on its last receive"
                            + " and its rescue record could not be written (" + e.getClass().getSimpleName() + ": "
                            + e.getMessage() + "); it goes to the dead-letter queue: redrive it");
                    p = null;
                }
            }
            parsed.add(p);
            rescues.add(rescue);
        }
        for (int i = 0; i < records.size(); i++) {
            SQSEvent.SQSMessage message = records.get(i);
            String id = message.getMessageId();
            if (parsed.get(i) == null) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
                continue;
            }
            try {
                switch (parsed.get(i)) {
                    case NoticeQueueMessage.Work w -> total.addAll(invocation.handle(w.unit()));
                    case NoticeQueueMessage.Compensable c -> total.addAll(invocation.handle(c.work().orElseThrow()));
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
                rescues.get(i).ifPresent(invocation::rescued);
            } catch (RuntimeException e) {
                JsonLog.warn(context, "notice queue message " + id + " failed, it will be delivered again"
                        + (rescues.get(i).isPresent() ? " by the dispatcher, from its rescue record" : "") + ": "
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
