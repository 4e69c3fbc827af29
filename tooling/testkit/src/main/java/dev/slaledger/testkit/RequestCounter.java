package dev.slaledger.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests an SDK client sends, by operation (its execution interceptor): how a test
 * measures what a path costs, since requests are the bill.
 */
public final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        sent.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicInteger())
                .incrementAndGet();
    }

    /** Requests of {@code operation} (e.g. "UpdateItem") since the last reset. */
    public int count(String operation) {
        AtomicInteger n = sent.get(operation);
        return n == null ? 0 : n.get();
    }

    public void reset() {
        sent.clear();
    }
}
