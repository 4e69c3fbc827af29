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
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    /** Lambda entry point: clients built once per execution environment from the environment. */
    public StatementWorkerHandler() {
        this(MonthEndWiring.fromEnvironment());
    }

    private StatementWorkerHandler(MonthEndWiring wiring) {
        this(wiring.statementService(), Priming.register("statement-worker", wiring.workerPriming()));
    }

    public StatementWorkerHandler(StatementService statements) {
        this(statements, null);
    }

    private StatementWorkerHandler(StatementService statements, Priming priming) {
        this.statements = statements;
        this.priming = priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                WorkMessage work = WorkMessage.parse(message.getBody());
                if (work.kind() == StatementWorkQueue.Kind.RESTATEMENT) {
                    List<String> failed = statements.restateAll(work.accountIds(), work.month());
                    if (!failed.isEmpty()) {
                        throw new IllegalStateException("restatement of " + work.month() + " failed for "
                                + failed.size() + " of " + work.accountIds().size() + " accounts: " + failed);
                    }
                } else {
                    statements.recomputeAll(work.accountIds(), work.month());
                }
            } catch (RuntimeException e) {
                JsonLog.warn(context, "statement work message " + message.getMessageId() + " failed: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
