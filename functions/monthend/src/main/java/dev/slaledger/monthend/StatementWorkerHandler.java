package dev.slaledger.monthend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.slaledger.adapter.sqs.WorkMessage;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.priming.Priming;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes month-end and restatement work messages and computes each listed account's statement
 * (a restatement recomputes only those still stale, S7.2). A message
 * whose accounts could not all be computed is reported as a batch item failure, so SQS
 * redelivers only it; accounts already done come back UNCHANGED (nothing written twice).
 */
public final class StatementWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final StatementService statements;

    /** Lambda entry point: clients built once per execution environment from the environment. */
    public StatementWorkerHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private StatementWorkerHandler(MonthEndWiring wiring) {
        this(wiring.statementService());
        Priming.register("statement-worker", wiring.workerPriming());
    }

    public StatementWorkerHandler(StatementService statements) {
        this.statements = statements;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int failedAccounts = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            List<String> failed;
            try {
                WorkMessage work = WorkMessage.parse(message.getBody());
                failed = work(work);
                // S7.5: one account's failure never stops the others of its message; each failing
                // account is named in the log, counted in a metric, and its message retried.
                for (String accountId : failed) {
                    JsonLog.warn(context, "statement of account " + accountId + " for " + work.month()
                            + " failed; its work message " + message.getMessageId() + " is retried");
                }
            } catch (RuntimeException e) {
                JsonLog.warn(context, "statement work message " + message.getMessageId() + " failed: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
                failed = List.of("*");
            }
            if (!failed.isEmpty()) {
                failedAccounts += failed.size();
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
        }
        if (failedAccounts > 0) {
            JsonLog.metric(context, METRICS_NAMESPACE, "StatementFailures", failedAccounts);
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The CloudWatch namespace of the worker's metric (an alarm watches StatementFailures). */
    static final String METRICS_NAMESPACE = "SlaLedger/Statements";

    /** Computes the message's accounts; the ids whose statement failed. */
    private List<String> work(WorkMessage work) {
        if (work.kind() == StatementWorkQueue.Kind.RESTATEMENT) {
            return statements.restateAll(work.accountIds(), work.month());
        }
        List<StatementService.Result> results = statements.recomputeAll(work.accountIds(), work.month());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).outcome() == StatementService.Outcome.FAILED) {
                failed.add(work.accountIds().get(i));
            }
        }
        return failed;
    }
}
