package dev.slaledger.ingest;

import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Breaks the k-th write request of an invocation, in one of three ways:
 * <ul>
 * <li>{@link Mode#CRASH_BEFORE}: the function dies before the write reaches DynamoDB;
 * <li>{@link Mode#CRASH_AFTER}: the write is applied, then the function dies before it sees
 *     the response (the worst case for double counting);
 * <li>{@link Mode#FAIL}: the write fails with an SDK error the function sees and survives
 *     (throttling after retries, a network error): it must report a partial batch failure.
 * </ul>
 * A crash is an {@link Error} the function has no business catching, as a Lambda timeout or
 * out-of-memory kill is.
 *
 * <p>Apart from that, it can play a table that refuses some writes for good
 * ({@link #refuseWhen}): every request the predicate picks fails with the ValidationException
 * DynamoDB answers for an item over 400 KB, as the real service would on every retry.
 */
final class FaultInjector implements ExecutionInterceptor {
    enum Mode { CRASH_BEFORE, CRASH_AFTER, FAIL }

    /** The process died: thrown through the function to the test's Lambda simulator. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> WRITES = Set.of("UpdateItem", "PutItem", "BatchWriteItem", "DeleteItem");

    private int remaining = -1;
    private Mode mode;
    private Predicate<SdkRequest> refuse = r -> false;
    private int refused;

    /** From now on, every request {@code which} picks is refused with a ValidationException. */
    synchronized void refuseWhen(Predicate<SdkRequest> which) {
        this.refuse = which;
    }

    /** How many requests were refused so far. */
    synchronized int refused() {
        return refused;
    }

    /** The exception DynamoDB answers for an item over its size limit (HTTP 400, ValidationException). */
    static DynamoDbException validationException() {
        return (DynamoDbException) DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb").errorCode("ValidationException")
                        .errorMessage("Item size has exceeded the maximum allowed size").build())
                .message("Item size has exceeded the maximum allowed size").build();
    }

    /** Breaks the {@code k}-th write from now (1 = the next one). */
    synchronized void arm(int k, Mode mode) {
        this.remaining = k;
        this.mode = mode;
    }

    synchronized void disarm() {
        remaining = -1;
    }

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (refuse.test(context.request())) {
            refused++;
            throw validationException();
        }
        if (remaining > 0 && WRITES.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            remaining--;
            if (remaining == 0) {
                if (mode == Mode.CRASH_BEFORE) {
                    remaining = -1;
                    throw new SimulatedCrash("crash before write");
                }
                if (mode == Mode.FAIL) {
                    remaining = -1;
                    throw SdkClientException.create("injected write failure");
                }
            }
        }
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (remaining == 0 && mode == Mode.CRASH_AFTER) {
            remaining = -1;
            throw new SimulatedCrash("crash after write");
        }
    }
}
