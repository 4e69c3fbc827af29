package dev.slaledger.emulators;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The Lambda {@link Context} a handler gets when something other than Lambda invokes it (the
 * tests, the local runtime, the harnesses, the event source mappings here): a function name, a
 * request id, the time left, and a logger that keeps the handler's log lines (a metric line is read
 * back from them) and hands each to an optional echo. The lines are kept in order and thread-safe.
 */
public final class LambdaContext implements Context {
    private final String functionName;
    private final String requestId;
    private final IntSupplier remainingMillis;
    private final int memoryMb;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong logged = new AtomicLong();
    private final boolean keep;
    private final Consumer<String> echo;

    /** {@code functionName}'s context: 15 minutes left, 1024 MB, the lines kept, no echo. */
    public LambdaContext(String functionName) {
        this(functionName, line -> { });
    }

    /** As {@link #LambdaContext(String)}, each log line also handed to {@code echo}. */
    public LambdaContext(String functionName, Consumer<String> echo) {
        this(functionName, 15 * 60 * 1000, 1024, echo);
    }

    public LambdaContext(String functionName, int remainingMillis, int memoryMb, Consumer<String> echo) {
        this(functionName, remainingMillis, memoryMb, true, echo);
    }

    private LambdaContext(String functionName, int remainingMillis, int memoryMb, boolean keep,
            Consumer<String> echo) {
        this(functionName, UUID.randomUUID().toString(), () -> remainingMillis, memoryMb, keep, echo);
    }

    private LambdaContext(String functionName, String requestId, IntSupplier remainingMillis, int memoryMb,
            boolean keep, Consumer<String> echo) {
        this.functionName = functionName;
        this.requestId = requestId;
        this.remainingMillis = remainingMillis;
        this.memoryMb = memoryMb;
        this.keep = keep;
        this.echo = echo;
    }

    /** A context that counts the log lines and keeps none (a harness's millions of invocations). */
    public static LambdaContext counting(String functionName, int remainingMillis) {
        return new LambdaContext(functionName, remainingMillis, 1024, false, line -> { });
    }

    /**
     * A context whose time left is read from {@code remainingMillis} on each call (an invocation on a
     * simulated clock: the rehearsal's Lambda model), with the given request id (deterministic runs);
     * it counts the lines, keeps none and hands each to {@code echo}.
     */
    public static LambdaContext simulated(String functionName, String requestId, int memoryMb,
            IntSupplier remainingMillis, Consumer<String> echo) {
        return new LambdaContext(functionName, requestId, remainingMillis, memoryMb, false, echo);
    }

    /** How many lines the handler logged. */
    public long logged() {
        return logged.get();
    }

    /** What the handler logged, one entry per call, without a trailing newline. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + LocalAws.REGION.id() + ":000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                logged.incrementAndGet();
                String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
                if (keep) {
                    lines.add(line);
                }
                echo.accept(line);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
