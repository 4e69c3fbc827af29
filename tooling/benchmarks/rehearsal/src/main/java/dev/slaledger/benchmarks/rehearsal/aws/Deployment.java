package dev.slaledger.benchmarks.rehearsal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The deployed settings of the scheduled jobs' functions and queues, read from their one
 * definition ({@code deployment.json} of adapters/lambda-support), which the CDK app deploys: the
 * rehearsal never holds a copy of a number.
 */
public final class Deployment {
    public static final String RESOURCE = "/dev/slaledger/lambda/deployment.json";

    public record Function(int memoryMb, Duration timeout, OptionalInt reservedConcurrency) {
    }

    public record Queue(String consumer, int batchSize, int maxConcurrency, Duration visibilityTimeout,
            int maxReceiveCount, OptionalInt accountsPerMessage) {
    }

    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();

    private Deployment(JsonNode root) {
        root.get("functions").fields().forEachRemaining(e -> {
            JsonNode f = e.getValue();
            functions.put(e.getKey(), new Function(f.get("memoryMb").asInt(),
                    Duration.ofSeconds(f.get("timeoutSeconds").asLong()),
                    f.has("reservedConcurrency") ? OptionalInt.of(f.get("reservedConcurrency").asInt())
                            : OptionalInt.empty()));
        });
        root.get("queues").fields().forEachRemaining(e -> {
            JsonNode q = e.getValue();
            queues.put(e.getKey(), new Queue(q.get("consumer").asText(), q.get("batchSize").asInt(),
                    q.get("maxConcurrency").asInt(), Duration.ofSeconds(q.get("visibilityTimeoutSeconds").asLong()),
                    q.get("maxReceiveCount").asInt(),
                    q.has("accountsPerMessage") ? OptionalInt.of(q.get("accountsPerMessage").asInt())
                            : OptionalInt.empty()));
        });
    }

    private Deployment(Map<String, Function> functions, Map<String, Queue> queues) {
        this.functions.putAll(functions);
        this.queues.putAll(queues);
    }

    /**
     * These settings with the mapping of queue {@code name} at {@code maxConcurrency} and its consumer
     * reserving as much: for choosing a cap with the rehearsal ({@code --worker-concurrency}); what is
     * deployed is always the file's.
     */
    public Deployment withConcurrency(String name, int maxConcurrency) {
        Map<String, Function> f = new LinkedHashMap<>(functions);
        Map<String, Queue> q = new LinkedHashMap<>(queues);
        Queue old = queue(name);
        q.put(name, new Queue(old.consumer(), old.batchSize(), maxConcurrency, old.visibilityTimeout(),
                old.maxReceiveCount(), old.accountsPerMessage()));
        Function consumer = function(old.consumer());
        f.put(old.consumer(), new Function(consumer.memoryMb(), consumer.timeout(), OptionalInt.of(maxConcurrency)));
        return new Deployment(f, q);
    }

    public static Deployment load() {
        try (InputStream in = Deployment.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (adapters/lambda-support)");
            }
            return new Deployment(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Function function(String name) {
        Function f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no function " + name + " in " + RESOURCE);
        }
        return f;
    }

    public Queue queue(String name) {
        Queue q = queues.get(name);
        if (q == null) {
            throw new IllegalArgumentException("no queue " + name + " in " + RESOURCE);
        }
        return q;
    }

    public boolean hasFunction(String name) {
        return functions.containsKey(name);
    }

    public boolean hasQueue(String name) {
        return queues.containsKey(name);
    }

    public Map<String, Function> functions() {
        return Map.copyOf(functions);
    }

    public Map<String, Queue> queues() {
        return Map.copyOf(queues);
    }
}
