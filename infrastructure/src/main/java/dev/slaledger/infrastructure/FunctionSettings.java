package dev.slaledger.infrastructure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import software.amazon.awscdk.Duration;

/**
 * The deployed settings of the scheduled jobs' functions and of the queues and SQS mappings that
 * feed them, from their one definition ({@code deployment.json} of adapters/lambda-support, which this
 * module's build copies onto its class path, infrastructure/pom.xml): memory, timeout, reserved
 * concurrency; batch size, maximum concurrency, visibility timeout, receives before the dead-letter
 * queue. The provider-scale rehearsal (tooling/benchmarks/rehearsal) runs the same file, so it never
 * rehearses a configuration this app does not deploy (issue 27).
 */
final class FunctionSettings {
    static final String RESOURCE = "/dev/slaledger/lambda/deployment.json";

    record Function(int memoryMb, Duration timeout, Optional<Integer> reservedConcurrency) {
    }

    record Queue(String consumer, int batchSize, int maxConcurrency, Duration visibilityTimeout, int maxReceiveCount,
            Optional<Integer> accountsPerMessage) {
    }

    private FunctionSettings() {
    }

    static Function function(String name) {
        JsonNode f = node("functions", name);
        return new Function(f.get("memoryMb").asInt(), Duration.seconds(f.get("timeoutSeconds").asInt()),
                f.has("reservedConcurrency") ? Optional.of(f.get("reservedConcurrency").asInt()) : Optional.empty());
    }

    static Queue queue(String name) {
        JsonNode q = node("queues", name);
        return new Queue(q.get("consumer").asText(), q.get("batchSize").asInt(), q.get("maxConcurrency").asInt(),
                Duration.seconds(q.get("visibilityTimeoutSeconds").asInt()), q.get("maxReceiveCount").asInt(),
                q.has("accountsPerMessage") ? Optional.of(q.get("accountsPerMessage").asInt()) : Optional.empty());
    }

    /** The CDK context key that turns the reservations off ({@code -c reserveConcurrency=false}). */
    static final String RESERVE_CONTEXT = "reserveConcurrency";

    /**
     * Whether the functions' reserved concurrency is deployed (default yes). An account whose
     * concurrency quota is still a new account's (10) cannot reserve any (Lambda keeps 10 unreserved),
     * so {@code -c reserveConcurrency=false} deploys without; the SQS mappings' maximum concurrency,
     * which needs no reservation, still caps the workers.
     */
    static boolean reserveConcurrency(software.constructs.Node node) {
        Object value = node.tryGetContext(RESERVE_CONTEXT);
        if (value == null) {
            return true;
        }
        String text = value.toString().trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("context " + RESERVE_CONTEXT + ": true or false, was " + text);
        }
        return Boolean.parseBoolean(text);
    }

    static JsonNode root() {
        return EventDefinitions.read(RESOURCE);
    }

    private static JsonNode node(String kind, String name) {
        JsonNode n = root().path(kind).get(name);
        if (n == null) {
            throw new IllegalStateException("no " + kind + " entry " + name + " in " + RESOURCE);
        }
        return n;
    }
}
