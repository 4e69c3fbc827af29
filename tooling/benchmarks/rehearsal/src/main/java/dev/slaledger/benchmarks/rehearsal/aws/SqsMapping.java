package dev.slaledger.benchmarks.rehearsal.aws;

import com.amazonaws.services.lambda.runtime.Context;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Lambda's SQS event source mapping as the AWS documentation describes it ("Configuring scaling
 * behavior for SQS event source mappings"): while messages are available it starts with five
 * concurrent batches and adds up to 300 per minute, never above the mapping's maximum concurrency;
 * each poller receives up to the batch size, invokes the function synchronously with the batch and
 * deletes what succeeded (partial batch responses: the ids the handler reports failed come back
 * after the visibility timeout, as does the whole batch of an invocation that failed, timed out, was
 * killed or throttled).
 */
public final class SqsMapping {
    /** The handler side: the ids of the messages that failed (empty: all succeeded); throws if the whole batch failed. */
    @FunctionalInterface
    public interface BatchHandler {
        Set<String> failedIds(List<SimQueue.Message> batch, Context context);
    }

    /**
     * The handler side of a function that takes its SQS event as a map (a
     * {@code RequestHandler<Map<String, Object>, Map<String, Object>>}): the batch as the records Lambda's
     * mapping hands it (id, body, source, receive count), the failed ids from the {@code batchItemFailures}
     * the function answers.
     */
    @SuppressWarnings("unchecked")
    public static BatchHandler mapHandler(BiFunction<Map<String, Object>, Context, Map<String, Object>> function) {
        return (batch, context) -> {
            List<Map<String, Object>> records = new ArrayList<>();
            for (SimQueue.Message m : batch) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("messageId", m.id());
                r.put("body", m.body());
                r.put("eventSource", "aws:sqs");
                r.put("attributes", Map.of("ApproximateReceiveCount", Integer.toString(m.receives())));
                records.add(r);
            }
            Map<String, Object> out = function.apply(Map.of("Records", records), context);
            Set<String> failed = new HashSet<>();
            ((List<Map<String, String>>) out.getOrDefault("batchItemFailures", List.of()))
                    .forEach(f -> failed.add(f.get("itemIdentifier")));
            return failed;
        };
    }

    private static final int START = 5;
    private static final int PER_MINUTE = 300;
    private static final int SQS_MAX_BATCH = 10;

    private final Aws aws;
    private final SimQueue queue;
    private final SimLambda function;
    private final int batchSize;
    private final int maxConcurrency;
    private final BatchHandler handler;
    private long batches;

    public SqsMapping(Aws aws, SimQueue queue, SimLambda function, Deployment.Queue settings, BatchHandler handler) {
        this.aws = aws;
        this.queue = queue;
        this.function = function;
        this.batchSize = settings.batchSize();
        this.maxConcurrency = settings.maxConcurrency();
        this.handler = handler;
    }

    /** Starts the pollers (processes that live as long as the simulation). */
    public SqsMapping start() {
        for (int i = 0; i < maxConcurrency; i++) {
            int index = i;
            aws.sim().spawn(queue.name() + "-poller-" + i, new Activity("polling"), () -> poll(index));
        }
        return this;
    }

    public long batches() {
        return batches;
    }

    private void poll(int index) {
        while (true) {
            queue.awaitMessages();
            // scaling: poller k joins once the mapping has scaled to k + 1 concurrent batches
            if (index >= START) {
                Instant joins = queue.busySince().plus(Duration.ofMillis(60_000L * (index - START + 1) / PER_MINUTE));
                if (aws.sim().now().isBefore(joins)) {
                    aws.sim().sleepUntil(joins);
                    continue;
                }
            }
            List<SimQueue.Message> batch = queue.take(batchSize);
            if (batch.isEmpty()) {
                continue;
            }
            batches++;
            Activity activity = new Activity(batch.get(0).job());
            aws.sim().current().attach(activity);
            for (int r = 0; r < (batch.size() + SQS_MAX_BATCH - 1) / SQS_MAX_BATCH; r++) {
                aws.call(Request.sqs("ReceiveMessage", queue.name(), batch.size()), () -> { });
            }
            SimLambda.Outcome<Set<String>> outcome = function.invoke(ctx -> handler.failedIds(batch, ctx));
            if (outcome.ok()) {
                Set<String> failed = new HashSet<>(outcome.value());
                List<SimQueue.Message> done = new ArrayList<>();
                for (SimQueue.Message m : batch) {
                    if (!failed.contains(m.id())) {
                        done.add(m);
                    }
                }
                for (int from = 0; from < done.size(); from += SQS_MAX_BATCH) {
                    List<SimQueue.Message> chunk = done.subList(from, Math.min(done.size(), from + SQS_MAX_BATCH));
                    aws.call(Request.sqs("DeleteMessageBatch", queue.name(), chunk.size()),
                            () -> chunk.forEach(queue::delete));
                }
            } else if (outcome.end() == SimLambda.End.THROTTLED) {
                aws.sim().sleep(Duration.ofSeconds(1));
            }
            aws.sim().current().attach(new Activity("polling"));
        }
    }
}
