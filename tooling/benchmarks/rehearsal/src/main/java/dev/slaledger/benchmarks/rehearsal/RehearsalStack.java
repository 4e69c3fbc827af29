package dev.slaledger.benchmarks.rehearsal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.eventbridge.Schedules;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.benchmarks.rehearsal.aws.Activity;
import dev.slaledger.benchmarks.rehearsal.aws.Aws;
import dev.slaledger.benchmarks.rehearsal.aws.Deployment;
import dev.slaledger.benchmarks.rehearsal.aws.Metered;
import dev.slaledger.benchmarks.rehearsal.aws.PerInvocationNoticeQueue;
import dev.slaledger.benchmarks.rehearsal.aws.PerInvocationStatementQueue;
import dev.slaledger.benchmarks.rehearsal.aws.SimEventBridgeClient;
import dev.slaledger.benchmarks.rehearsal.aws.SimLambda;
import dev.slaledger.benchmarks.rehearsal.aws.SimQueue;
import dev.slaledger.benchmarks.rehearsal.aws.SimSes;
import dev.slaledger.benchmarks.rehearsal.aws.SimSqsClient;
import dev.slaledger.benchmarks.rehearsal.aws.SqsMapping;
import dev.slaledger.benchmarks.rehearsal.sim.Sim;
import dev.slaledger.emulators.ScheduleExpression;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.ClaimRepository;
import dev.slaledger.core.port.JobProgress;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeCursors;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.core.usecase.OutboxSweep;
import dev.slaledger.core.usecase.Restatement;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.monthend.MaintenanceWindowsHandler;
import dev.slaledger.monthend.MonthEndHandler;
import dev.slaledger.monthend.MonthEndWiring;
import dev.slaledger.monthend.OutboxSweepHandler;
import dev.slaledger.monthend.RestatementHandler;
import dev.slaledger.monthend.StatementWorkerHandler;
import dev.slaledger.notifier.NoticeWorkerHandler;
import dev.slaledger.notifier.NotifierHandler;
import dev.slaledger.notifier.NotifierWiring;
import dev.slaledger.notifier.SesEventsHandler;
import dev.slaledger.notifier.notice.EligibilityRenderer;
import dev.slaledger.notifier.notice.NoticeDispatcher;
import dev.slaledger.notifier.notice.NoticeRenderer;
import dev.slaledger.notifier.notice.NoticeSender;
import dev.slaledger.notifier.notice.NoticeWorker;
import dev.slaledger.notifier.notice.SesEventProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The deployed system as the rehearsal runs it: the functions of the scheduled jobs with the
 * settings the CDK app deploys ({@code deployment.json}), their real handlers on the real use cases,
 * the real SQS, EventBridge and SES adapters on simulated clients, and the core's in-memory twins
 * behind every DynamoDB port, metered per request. Assembled as the functions' wirings assemble
 * them (MonthEndWiring, NotifierWiring), on these stores instead of DynamoDB tables.
 */
public final class RehearsalStack {
    public static final String WORK_QUEUE = "statement-work";
    public static final String FEEDBACK_QUEUE = "mail-feedback";
    public static final String NOTICE_QUEUE = "notice-work";

    public final Sim sim;
    public final Aws aws;
    public final Deployment deployment;
    public final SyntheticWorld world;
    public final Clock clock;

    public final AccountRepository accounts;
    public final StatementRepository statements;
    public final AggregateRepository aggregates;
    public final MaintenanceWindowRepository windows;
    public final TermsRepository terms;
    public final NoticeRepository notices;
    public final NoticeDeliveries deliveries;
    public final UndeliverableContacts undeliverable;
    public final ClaimRepository claims;
    public final JobProgress progress;
    public final NoticeCursors cursors;
    public final NoticeBacklog backlog;
    public final SendThrottle throttle;

    public final SimSqsClient sqs;
    public final SimQueue workQueue;
    public final SimQueue feedbackQueue;
    public final SimQueue noticeQueue;
    public final SimEventBridgeClient events;
    public final SimSes ses;
    public final Map<String, SimLambda> functions = new LinkedHashMap<>();

    public final StatementService statementService;
    public final MonthEndHandler monthEnd;
    public final RestatementHandler restatement;
    public final OutboxSweepHandler outboxSweep;
    public final StatementWorkerHandler worker;
    public final MaintenanceWindowsHandler maintenanceWindows;
    public final NotifierHandler notifier;
    public final NoticeWorkerHandler noticeWorker;
    public final SesEventsHandler sesEvents;
    /** The daily liability forecast (S9.8): its fan-out, queue and worker. */
    public final ForecastDeployment forecast;
    private final Map<String, Function<Context, ?>> targets = new LinkedHashMap<>();
    private final AtomicLong attemptIds = new AtomicLong();
    private final Map<String, Integer> asyncPending = new java.util.HashMap<>();
    /** What each asynchronous run returned, per job, in order (the handlers' own reports). */
    public final Map<String, List<Object>> results = new LinkedHashMap<>();

    public RehearsalStack(Sim sim, Aws aws, Deployment deployment, SyntheticWorld world, double sesRate,
            long sesDaily) {
        this.sim = sim;
        this.aws = aws;
        this.deployment = deployment;
        this.world = world;
        this.clock = sim.clock();

        accounts = Metered.wrap(AccountRepository.class, world.accountStore, aws, a -> Map.of());
        statements = Metered.wrap(StatementRepository.class, poisonable(world), aws, a -> Map.of());
        aggregates = Metered.wrap(AggregateRepository.class, world.aggregates, aws, a -> Map.of());
        windows = Metered.wrap(MaintenanceWindowRepository.class, world.windowStore, aws,
                a -> Map.of("windows", world.windowStore.overlapping(Instant.MIN, Instant.MAX).size()));
        terms = Metered.wrap(TermsRepository.class, world.termsStore, aws,
                a -> Map.of("terms", world.termsStore.published().size()));
        notices = Metered.wrap(NoticeRepository.class, world.noticeStore, aws,
                a -> a.length == 1 && a[0] instanceof String id
                        ? Map.of("notices", world.noticeStore.sentDates(id).size()) : Map.of());
        deliveries = Metered.wrap(NoticeDeliveries.class, world.noticeStore, aws, a -> Map.of());
        undeliverable = Metered.wrap(UndeliverableContacts.class, world.undeliverableStore, aws, a -> Map.of());
        claims = Metered.wrap(ClaimRepository.class, world.claimStore, aws, a -> Map.of());
        progress = Metered.wrap(JobProgress.class, world.progressStore, aws, a -> Map.of());
        cursors = Metered.wrap(NoticeCursors.class, world.cursorStore, aws,
                a -> Map.of("cursors", world.cursorStore.all().size()));
        backlog = Metered.wrap(NoticeBacklog.class, world.backlogStore, aws,
                a -> a.length == 2 && a[1] instanceof Integer max
                        ? Map.of("parked", Math.min(max, world.backlogStore.parked().size())) : Map.of());
        throttle = Metered.wrap(SendThrottle.class, world.throttleStore, aws, a -> Map.of());

        Deployment.Queue work = deployment.queue(WORK_QUEUE);
        Deployment.Queue feedback = deployment.queue(FEEDBACK_QUEUE);
        workQueue = new SimQueue(aws, WORK_QUEUE, work.visibilityTimeout(), work.maxReceiveCount());
        feedbackQueue = new SimQueue(aws, FEEDBACK_QUEUE, feedback.visibilityTimeout(), feedback.maxReceiveCount());
        Deployment.Queue noticeWork = deployment.queue(NOTICE_QUEUE);
        noticeQueue = new SimQueue(aws, NOTICE_QUEUE, noticeWork.visibilityTimeout(), noticeWork.maxReceiveCount());
        sqs = new SimSqsClient(aws).register(workQueue).register(feedbackQueue).register(noticeQueue);
        // the NoticeStatementEvents rule: a statement that became compensable reaches the notice queue
        events = new SimEventBridgeClient(aws).route("StatementCompensable", noticeQueue);
        ses = new SimSes(aws, sesRate, sesDaily, feedbackQueue, world::bounces);
        deployment.functions().keySet().stream().sorted()
                .forEach(name -> functions.put(name, new SimLambda(aws, name, deployment.function(name))));

        // MonthEndWiring's graph, on the metered twins
        EventBridgeStatementEvents statementEvents = new EventBridgeStatementEvents(events, "sla-ledger-bus");
        EventBridgeVoucherEvents voucherEvents = new EventBridgeVoucherEvents(events, "sla-ledger-bus");
        statementService = new StatementService(accounts, aggregates, windows, statements, terms, notices,
                statementEvents, clock);
        int accountsPerMessage = work.accountsPerMessage().orElseThrow();
        // the SQS adapter per invocation, as each Lambda execution environment holds its own
        monthEnd = new MonthEndHandler(new MonthEndFanOut(accounts,
                new PerInvocationStatementQueue(aws, sqs, workQueue.url()), progress, clock, accountsPerMessage), terms);
        restatement = new RestatementHandler(new Restatement(statements, accounts,
                new PerInvocationStatementQueue(aws, sqs, workQueue.url()), progress, clock, accountsPerMessage));
        outboxSweep = new OutboxSweepHandler(new OutboxSweep(statements, statementEvents, claims, voucherEvents, clock,
                OutboxSweep.DEFAULT_MIN_AGE, OutboxSweep.DEFAULT_LEASE, MonthEndWiring.SWEEP_BUDGET));
        worker = new StatementWorkerHandler(statementService);
        maintenanceWindows = new MaintenanceWindowsHandler(windows, new StaleMarks(statements, terms, clock));

        // NotifierWiring's graph, on the metered twins: the dispatcher pages the notices owed onto the
        // notice queue (SqsNoticeWorkQueue, with its delays), the workers send at the shared schedule
        SesMailSender mailer = new SesMailSender(ses, "sla-notices@provider.example", Optional.of("sla-notices"));
        PerInvocationNoticeQueue noticeWorkQueue = new PerInvocationNoticeQueue(aws, sqs, noticeQueue.url());
        NoticeDispatcher dispatcher = new NoticeDispatcher(terms, accounts, cursors, backlog, noticeWorkQueue,
                new SesSendingQuota(ses), throttle, NoticeDispatcher.Caps.none(), true,
                Duration.ofHours(NotifierWiring.DEFAULT_ELIGIBILITY_START_HOURS),
                noticeWork.accountsPerMessage().orElse(NotifierWiring.DEFAULT_UNIT_SIZE), clock);
        notifier = new NotifierHandler(dispatcher, clock);
        ClaimService claimService = new ClaimService(statementService, statements, claims, voucherEvents, clock,
                () -> "claim-" + attemptIds.incrementAndGet(), ClaimService.ANNOUNCE_LEASE);
        NoticeSender sender = new NoticeSender(deliveries, undeliverable, mailer, throttle, sim::sleepUntil, clock,
                () -> "attempt-" + attemptIds.incrementAndGet(), NotifierWiring.DEFAULT_LEASE);
        NoticeWorker noticeWorkerUseCase = new NoticeWorker(terms, accounts, deliveries,
                new EligibilityService(claimService, claims, terms, accounts, notices, clock), sender,
                new NoticeRenderer(null), new EligibilityRenderer(null, null), noticeWorkQueue, backlog, clock);
        noticeWorker = new NoticeWorkerHandler(noticeWorkerUseCase, noticeWorkQueue, clock, r -> {
            long gaveUp = r.count(dev.slaledger.notifier.notice.NoticeReport.Outcome.GAVE_UP);
            if (gaveUp > 0) {
                aws.meter().warning(aws.job(), "notice accounts given up on (alarm)");
            }
        });
        sesEvents = new SesEventsHandler(new SesEventProcessor(deliveries, undeliverable, backlog));

        targets.put("month-end", ctx -> monthEnd.handleRequest(Map.of(), ctx));
        targets.put("restatement", ctx -> restatement.handleRequest(Map.of(), ctx));
        targets.put("outbox-sweep", ctx -> outboxSweep.handleRequest(Map.of(), ctx));
        targets.put("notifier", ctx -> notifier.handleRequest(Map.of(), ctx));
        forecast = new ForecastDeployment(this);
        targets.put(ForecastDeployment.FAN_OUT, forecast::fanOut);
    }

    /** The statement store, whose snapshot of a poisoned account fails as an unreadable item would. */
    private static StatementRepository poisonable(SyntheticWorld world) {
        return (StatementRepository) java.lang.reflect.Proxy.newProxyInstance(StatementRepository.class.getClassLoader(),
                new Class<?>[] {StatementRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("snapshot") && world.poisoned.contains((String) args[0])) {
                        throw new IllegalStateException("the statement item of " + args[0] + " cannot be read");
                    }
                    try {
                        return method.invoke(world.statementStore, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Starts the SQS mappings (the worker on the work queue, the SES events function on the feedback queue). */
    public RehearsalStack startMappings() {
        Deployment.Queue work = deployment.queue(WORK_QUEUE);
        new SqsMapping(aws, workQueue, functions.get(work.consumer()), work, this::work).start();
        Deployment.Queue feedback = deployment.queue(FEEDBACK_QUEUE);
        new SqsMapping(aws, feedbackQueue, functions.get(feedback.consumer()), feedback,
                SqsMapping.mapHandler(sesEvents::handleRequest)).start();
        Deployment.Queue notice = deployment.queue(NOTICE_QUEUE);
        new SqsMapping(aws, noticeQueue, functions.get(notice.consumer()), notice, this::notices).start();
        forecast.startMapping();
        return this;
    }

    private Set<String> work(List<SimQueue.Message> batch, Context context) {
        return failed(worker.handleRequest(event(batch), context));
    }

    private Set<String> notices(List<SimQueue.Message> batch, Context context) {
        return failed(noticeWorker.handleRequest(event(batch), context));
    }

    private static Set<String> failed(SQSBatchResponse response) {
        Set<String> failed = new HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        return failed;
    }

    /** The SQS event Lambda's mapping hands the function for {@code batch}. */
    private static SQSEvent event(List<SimQueue.Message> batch) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (SimQueue.Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.id());
            r.setBody(m.body());
            r.setEventSource("aws:sqs");
            r.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(m.receives())));
            records.add(r);
        }
        event.setRecords(records);
        return event;
    }

    /** The schedule of that name in the shared schedules.json. */
    public static Schedules.Definition schedule(String name) {
        return Schedules.all().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no schedule " + name + " in schedules.json"));
    }

    /** When the schedule next fires strictly after {@code after}, its expression evaluated in {@code termsZone}. */
    public static Instant nextFiring(String scheduleName, Instant after, ZoneId termsZone, Instant createdAt) {
        Schedules.Definition d = schedule(scheduleName);
        ScheduleExpression e = ScheduleExpression.parse(d.expression());
        if (e.isRate()) {
            return e.firings(createdAt, termsZone, after, after.plus(e.rate().orElseThrow()).plusSeconds(1)).get(0);
        }
        return e.nextAfter(after, d.zone(termsZone).orElseThrow()).orElseThrow();
    }

    /**
     * Fires the schedule {@code scheduleName} at {@code at} for {@code job}: Scheduler invokes its
     * target function asynchronously with the input {@code {}} (one Scheduler invocation).
     */
    public void fire(String scheduleName, Instant at, String job) {
        fire(schedule(scheduleName).target(), at, job, true);
    }

    /** Invokes {@code target} asynchronously at {@code at} for {@code job}, as an EventBridge rule delivers an event. */
    public void fireTarget(String target, Instant at, String job) {
        fire(target, at, job, false);
    }

    private void fire(String target, Instant at, String job, boolean scheduler) {
        SimLambda fn = functions.get(target);
        Function<Context, ?> handler = targets.get(target);
        if (fn == null || handler == null) {
            throw new IllegalStateException("the rehearsal does not deploy " + target);
        }
        sim.at(at, () -> {
            asyncPending.merge(job, 1, Integer::sum);
            if (scheduler) {
                aws.meter().job(job).schedulerInvocations++;
            }
            aws.meter().touch(job, sim.now());
            fn.invokeAsync(job, ctx -> {
                Object result = handler.apply(ctx);
                results.computeIfAbsent(job, j -> new ArrayList<>()).add(result);
                return result;
            }, null, () -> asyncPending.merge(job, -1, Integer::sum));
        });
    }

    /** Rescue records (S9.2) still in the backlog: units whose last receive failed, not yet listed again. */
    public long rescuesPending() {
        return world.backlogStore.parked().stream()
                .filter(p -> p.reason() != null && p.reason().startsWith(NoticeWorker.RESCUE)).count();
    }

    /** Units the dispatcher listed again from their rescue records, in {@code job}'s runs (their own reports). */
    public long rescued(String job) {
        return results.getOrDefault(job, List.of()).stream()
                .mapToLong(r -> r instanceof Map<?, ?> m && m.get("rescued") instanceof Number n ? n.longValue() : 0)
                .sum();
    }

    /** Whether every asynchronous invocation fired for {@code job} has ended (retries included). */
    public boolean asyncDone(String job) {
        return asyncPending.getOrDefault(job, 0) == 0;
    }

    /** Fires {@code scheduleName} on each of its firings in {@code (from, to]} for {@code job}. */
    public List<Instant> fireEvery(String scheduleName, Instant from, Instant to, ZoneId termsZone, String job) {
        Schedules.Definition d = schedule(scheduleName);
        List<Instant> firings = ScheduleExpression.parse(d.expression()).firings(from, d.zone(termsZone).orElse(termsZone), from, to);
        firings.forEach(at -> fire(scheduleName, at, job));
        return firings;
    }

    /** Runs {@code body} as an invocation of {@code function} for {@code job} (an admin request, a direct call). */
    public <R> SimLambda.Outcome<R> invokeNow(String function, String job, Function<Context, R> body) {
        List<SimLambda.Outcome<R>> out = new ArrayList<>();
        sim.spawn(function + "-direct", new Activity(job), () -> out.add(functions.get(function).invoke(body)));
        sim.runWhile(out::isEmpty, Duration.ofSeconds(1), sim.now().plus(Duration.ofHours(1)));
        return out.get(0);
    }
}
