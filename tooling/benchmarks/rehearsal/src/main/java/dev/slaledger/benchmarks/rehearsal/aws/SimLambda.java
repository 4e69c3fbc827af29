package dev.slaledger.benchmarks.rehearsal.aws;

import com.amazonaws.services.lambda.runtime.Context;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.emulators.LambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One Lambda function as the rehearsal models it, on the settings the CDK app deploys
 * ({@link Deployment}): memory (billed GB-seconds), timeout (an invocation still running at its
 * deadline is stopped there, whatever it was doing), reserved concurrency (an invocation beyond it is
 * throttled), execution environments reused while warm (a new one costs a cold start), and the two
 * ways it is invoked: synchronously by an SQS mapping ({@link #invoke}) and asynchronously by
 * Scheduler or an EventBridge rule ({@link #invokeAsync}: throttles retried with backoff for up to 6
 * hours, a failed run retried twice, 1 and 2 minutes later, then sent to its on-failure destination).
 */
public final class SimLambda {
    /** The invocation was stopped: killed (injected) or timed out. Not an exception the handler catches. */
    public static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;
        private final boolean timedOut;

        Stopped(String why, boolean timedOut) {
            super(why, null, false, false);
            this.timedOut = timedOut;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    /** How an invocation ended. */
    public enum End {
        OK, ERROR, TIMED_OUT, KILLED, THROTTLED
    }

    public record Outcome<R>(End end, R value, Throwable error) {
        public boolean ok() {
            return end == End.OK;
        }
    }

    /** One invocation: its deadline, its faults, and the Lambda {@link Context} the handler gets. */
    public final class Invocation {
        private final LambdaContext context;
        private final Instant deadline;
        private final int timeoutAfterRequests;
        private final String job;
        private int requests;
        private boolean stopped;

        Invocation(String requestId, Instant deadline, int timeoutAfterRequests, String job) {
            this.context = LambdaContext.simulated(name, requestId, memoryMb, this::remainingMillis, this::count);
            this.deadline = deadline;
            this.timeoutAfterRequests = timeoutAfterRequests;
            this.job = job;
        }

        /** Before each request: an injected kill before it, or one to land after its effect. */
        Faults.Kill beforeRequest() {
            if (stopped) {
                throw new Stopped("the invocation was already stopped", false);
            }
            requests++;
            if (timeoutAfterRequests > 0 && requests > timeoutAfterRequests) {
                aws.sim().sleepUntil(deadline);
                stop("timed out (injected) at its deadline", true);
            }
            Faults.Kill kill = aws.faults().killAtRequest();
            if (kill == Faults.Kill.BEFORE_EFFECT) {
                kill("killed before a request reached its service");
            }
            return kill;
        }

        /** Waits for a request's answer; at the deadline the invocation stops, the answer never comes. */
        void sleepWithin(long nanos) {
            Instant answer = aws.sim().now().plusNanos(nanos);
            if (answer.isAfter(deadline)) {
                aws.sim().sleepUntil(deadline);
                stop("timed out at its deadline (" + timeout + ")", true);
            }
            aws.sim().sleepNanos(nanos);
        }

        private int remainingMillis() {
            long left = Duration.between(aws.sim().now(), deadline).toMillis();
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
        }

        void kill(String why) {
            stop(why, false);
        }

        private void stop(String why, boolean timedOut) {
            stopped = true;
            throw new Stopped(why, timedOut);
        }

        /** The Lambda {@link Context} the handler gets: the project's one fake, on this invocation's deadline. */
        public LambdaContext context() {
            return context;
        }

        /** WARN and ERROR lines and metric lines are what alarms watch: counted per job. */
        private void count(String message) {
            if (message.contains("\"level\":\"WARN\"") || message.contains("\"level\":\"ERROR\"")) {
                aws.meter().warning(job, name + " " + (message.contains("ERROR") ? "ERROR" : "WARN") + " lines");
            } else if (message.contains("\"CloudWatchMetrics\"")) {
                aws.meter().warning(job, name + " metric " + metricName(message));
            }
        }
    }

    private static String metricName(String line) {
        int i = line.indexOf("\"Name\":\"");
        return i < 0 ? "?" : line.substring(i + 8, line.indexOf('"', i + 8));
    }

    private final Aws aws;
    private final String name;
    private final int memoryMb;
    private final Duration timeout;
    private final OptionalInt reserved;
    private int running;
    private int warm;
    private int peak;
    private long sequence;

    public SimLambda(Aws aws, String name, int memoryMb, Duration timeout, OptionalInt reserved) {
        this.aws = aws;
        this.name = name;
        this.memoryMb = memoryMb;
        this.timeout = timeout;
        this.reserved = reserved;
    }

    public SimLambda(Aws aws, String name, Deployment.Function settings) {
        this(aws, name, settings.memoryMb(), settings.timeout(), settings.reservedConcurrency());
    }

    public String name() {
        return name;
    }

    public Duration timeout() {
        return timeout;
    }

    public int running() {
        return running;
    }

    public int peak() {
        return peak;
    }

    /**
     * Invokes the function synchronously from the calling process (an SQS mapping's poller, an async
     * invoker): the handler runs on this process, its requests advance the clock.
     */
    public <R> Outcome<R> invoke(Function<Context, R> handler) {
        Activity activity = aws.activity();
        String job = activity.job();
        Meter.FunctionLine line = aws.meter().function(job, name);
        if (reserved.isPresent() && running >= reserved.getAsInt()) {
            line.throttles++;
            return new Outcome<>(End.THROTTLED, null, null);
        }
        running++;
        peak = Math.max(peak, running);
        line.invocations++;
        line.peakConcurrency = Math.max(line.peakConcurrency, running);
        Instant start = aws.sim().now();
        Invocation inv = new Invocation(name + "-" + (++sequence), start.plus(timeout),
                aws.faults().takeTimeout(name), job);
        activity.invocation(inv);
        boolean keepEnvironment = false;
        try {
            if (warm > 0) {
                warm--;
            } else {
                line.coldStarts++;
                aws.sim().sleep(aws.latency().coldStart());
            }
            inv.sleepWithin(aws.latency().invokeOverhead().toNanos());
            R value = handler.apply(inv.context());
            keepEnvironment = true;
            return new Outcome<>(End.OK, value, null);
        } catch (Stopped s) {
            if (s.timedOut()) {
                line.timeouts++;
                return new Outcome<>(End.TIMED_OUT, null, s);
            }
            line.crashes++;
            return new Outcome<>(End.KILLED, null, s);
        } catch (RuntimeException e) {
            line.errors++;
            keepEnvironment = true;
            return new Outcome<>(End.ERROR, null, e);
        } finally {
            running--;
            if (keepEnvironment) {
                warm++;
            }
            activity.invocation(null);
            double seconds = Duration.between(start, aws.sim().now()).toNanos() / 1e9;
            line.gbSeconds += memoryMb / 1024.0 * seconds;
            aws.meter().touch(job, aws.sim().now());
        }
    }

    /**
     * An asynchronous invocation (Scheduler, an EventBridge rule) for {@code job}, in a process of
     * its own: a throttled invocation is retried with backoff for up to 6 hours; one that fails,
     * times out or is killed is retried twice (1 minute, then 2 minutes later); after that the event
     * goes to the on-failure destination ({@code onFailure} is told).
     */
    public void invokeAsync(String job, Function<Context, ?> handler, Runnable onFailure, Runnable onDone) {
        aws.sim().spawn(name + "-async", new Activity(job), () -> {
            try {
                invokeWithRetries(job, handler, onFailure);
            } finally {
                if (onDone != null) {
                    onDone.run();
                }
            }
        });
    }

    private void invokeWithRetries(String job, Function<Context, ?> handler, Runnable onFailure) {
        {
            Instant first = aws.sim().now();
            Duration backoff = Duration.ofSeconds(1);
            int failures = 0;
            while (true) {
                Outcome<?> outcome = invoke(handler::apply);
                if (outcome.ok()) {
                    return;
                }
                if (outcome.end() == End.THROTTLED) {
                    if (Duration.between(first, aws.sim().now()).compareTo(Duration.ofHours(6)) > 0) {
                        break;
                    }
                    aws.sim().sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5)
                            : backoff.multipliedBy(2);
                    continue;
                }
                failures++;
                if (failures > 2) {
                    break;
                }
                aws.sim().sleep(Duration.ofMinutes(failures));
            }
            aws.meter().warning(job, name + " event sent to its on-failure destination");
            if (onFailure != null) {
                onFailure.run();
            }
        }
    }
}
