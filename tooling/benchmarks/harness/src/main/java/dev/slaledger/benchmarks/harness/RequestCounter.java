package dev.slaledger.benchmarks.harness;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts an SDK client's requests by operation name (they are the bill). */
final class RequestCounter implements ExecutionInterceptor {
    final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        byOperation.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                k -> new AtomicLong()).incrementAndGet();
    }

    long count(String operation) {
        AtomicLong n = byOperation.get(operation);
        return n == null ? 0 : n.get();
    }

    long total() {
        return byOperation.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void reset() {
        byOperation.clear();
    }
}
