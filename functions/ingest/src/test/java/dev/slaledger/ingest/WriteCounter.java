package dev.slaledger.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the requests the SDK client sends, by operation: how the tests measure write cost. */
final class WriteCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        sent.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u) {
            sent.computeIfAbsent(operation + " " + u.tableName(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    int count(String operation) {
        AtomicInteger n = sent.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Requests of one operation on one table (UpdateItem only). */
    int count(String operation, String table) {
        return count(operation + " " + table);
    }

    void reset() {
        sent.clear();
    }
}
