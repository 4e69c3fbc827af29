package dev.slaledger.benchmarks.rehearsal;

import com.amazonaws.services.lambda.runtime.Context;
import dev.slaledger.adapter.eventbridge.EventBridgeForecastEvents;
import dev.slaledger.benchmarks.rehearsal.aws.Deployment;
import dev.slaledger.benchmarks.rehearsal.aws.Metered;
import dev.slaledger.benchmarks.rehearsal.aws.PerInvocationStatementQueue;
import dev.slaledger.benchmarks.rehearsal.aws.SimLambda;
import dev.slaledger.benchmarks.rehearsal.aws.SimQueue;
import dev.slaledger.benchmarks.rehearsal.aws.SqsMapping;
import dev.slaledger.core.port.ForecastRepository;
import dev.slaledger.core.port.memory.InMemoryForecastRepository;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.monthend.ForecastHandler;
import dev.slaledger.monthend.ForecastWorkerHandler;
import java.time.Duration;
import java.util.Map;

/**
 * The daily liability forecast (S9.8) as the CDK app deploys it ({@code AppStack.forecast}): the fan-out
 * ({@link ForecastHandler}, the month-end's function settings of deployment.json) lists the month under
 * way's accounts onto its own queue, {@code accountsPerMessage} a message; the worker
 * ({@link ForecastWorkerHandler}, the statement worker's function settings: memory, its 2-minute timeout,
 * reserved concurrency) takes them through an SQS mapping of the statement worker's batch, its queue's
 * visibility 6 times the worker's timeout and 5 receives. The real handlers and use case on the stack's
 * metered stores; the forecasts in the core's in-memory twin, metered like {@code DynamoDbForecastRepository};
 * {@code SlaAtRisk} through the real EventBridge adapter on the simulated bus.
 */
public final class ForecastDeployment {
    public static final String QUEUE = "forecast-work";
    /** The schedule's target (schedules.json, ForecastSchedule) and the fan-out function. */
    public static final String FAN_OUT = "forecast";
    public static final String WORKER = "forecast-worker";
    /** AppStack: the forecast queue's receives before its dead-letter queue. */
    static final int MAX_RECEIVES = 5;

    public final SimQueue queue;
    public final Deployment.Queue settings;
    public final InMemoryForecastRepository store = new InMemoryForecastRepository();
    private final RehearsalStack stack;
    private final ForecastHandler fanOut;
    private final ForecastWorkerHandler worker;

    ForecastDeployment(RehearsalStack stack) {
        this.stack = stack;
        Deployment.Queue work = stack.deployment.queue(RehearsalStack.WORK_QUEUE);
        Deployment.Function workerFunction = stack.deployment.function(work.consumer());
        settings = new Deployment.Queue(WORKER, work.batchSize(),
                workerFunction.reservedConcurrency().orElse(work.maxConcurrency()),
                workerFunction.timeout().multipliedBy(6), MAX_RECEIVES, work.accountsPerMessage());
        queue = new SimQueue(stack.aws, QUEUE, settings.visibilityTimeout(), settings.maxReceiveCount());
        stack.sqs.register(queue);
        stack.functions.put(FAN_OUT, new SimLambda(stack.aws, FAN_OUT, stack.deployment.function("month-end")));
        stack.functions.put(WORKER, new SimLambda(stack.aws, WORKER, workerFunction));
        ForecastRepository forecasts = Metered.wrap(ForecastRepository.class, store, stack.aws, a -> Map.of());
        fanOut = new ForecastHandler(new MonthEndFanOut(stack.accounts, new PerInvocationStatementQueue(stack.aws, stack.sqs, queue.url()),
                stack.progress, stack.clock, settings.accountsPerMessage().orElseThrow()), stack.terms, stack.clock);
        worker = new ForecastWorkerHandler(new LiabilityForecast(stack.accounts, stack.aggregates, stack.windows,
                stack.terms, stack.notices, forecasts, new EventBridgeForecastEvents(stack.events, "sla-ledger-bus"),
                stack.clock, LiabilityForecast.DEFAULT_SETTLE));
    }

    /** The schedule's invocation of the fan-out ({@code {}}). */
    Object fanOut(Context context) {
        return fanOut.handleRequest(Map.of(), context);
    }

    void startMapping() {
        new SqsMapping(stack.aws, queue, stack.functions.get(WORKER), settings,
                SqsMapping.mapHandler(worker::handleRequest)).start();
    }

    /** The worker's queue visibility (for the report's notes). */
    Duration visibility() {
        return settings.visibilityTimeout();
    }
}
