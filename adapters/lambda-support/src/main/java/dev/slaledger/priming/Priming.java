package dev.slaledger.priming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming of one function (issue 11 item 3): before Lambda takes the snapshot of an
 * initialised execution environment, run the function's hot path once so its classes are loaded
 * and initialised, and its code compiled, in the snapshot rather than on the first invocation
 * after each restore.
 *
 * <p>Each step must be free of side effects on real data (the functions' steps handle a bundled
 * sample event on SDK clients that answer from memory, see {@link CannedHttpClient}, and read a
 * DynamoDB key that cannot exist, see {@link MissingItemRead}). A step that throws is logged and
 * skipped: priming speeds up the first invocation, it must never prevent the snapshot.
 *
 * <p>The global CRaC context holds resources weakly, so {@link #register} also keeps every hook it
 * registers (a handler registers one, in its Lambda constructor), and a handler needs no field for
 * it. Outside SnapStart (tests, the cold-start harness, a plain JVM) registration is a no-op
 * and the steps never run.
 */
public final class Priming implements Resource {
    /** One named step. */
    public record Step(String name, Runnable action) {
    }

    /** What a run did: the steps that completed and those that failed, with why. */
    public record Report(List<String> completed, List<String> failed) {
        public boolean allCompleted() {
            return failed.isEmpty();
        }
    }

    /** Every hook {@link #register} registered in this JVM: the CRaC context holds them only weakly. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    /** The function whose steps run on this thread, while they run. */
    private static final ThreadLocal<String> RUNNING = new ThreadLocal<>();

    private final String function;
    private final List<Step> steps;
    private final Consumer<String> log;

    Priming(String function, List<Step> steps, Consumer<String> log) {
        this.function = function;
        this.steps = List.copyOf(steps);
        this.log = log;
    }

    /** Builds the hook without registering it (tests run it with {@link #run()}). */
    public static Priming of(String function, Step... steps) {
        return new Priming(function, List.of(steps), System.out::println);
    }

    /** Builds the hook, keeps it, and registers it with the global CRaC context. */
    public static Priming register(String function, Step... steps) {
        Priming priming = of(function, steps);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** The hooks registered in this JVM, oldest first (the cold-start harness runs them as Lambda would). */
    public static List<Priming> registered() {
        return List.copyOf(REGISTERED);
    }

    public static Step step(String name, Runnable action) {
        return new Step(name, action);
    }

    /** Runs every step once, in order; never throws. */
    public Report run() {
        List<String> completed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        String outer = RUNNING.get();
        RUNNING.set(function);
        try {
            for (Step step : steps) {
                try {
                    step.action().run();
                    completed.add(step.name());
                } catch (RuntimeException | LinkageError e) {
                    failed.add(step.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        } finally {
            if (outer == null) {
                RUNNING.remove();
            } else {
                RUNNING.set(outer);
            }
        }
        log.accept("{\"level\":\"INFO\",\"message\":\"" + escape("priming " + function + ": completed "
                + completed + (failed.isEmpty() ? "" : ", failed " + failed)) + "\"}");
        return new Report(List.copyOf(completed), List.copyOf(failed));
    }

    /**
     * The name of the function whose priming steps run on this thread, if any: the AWS calls a step
     * makes are that function's, with its role (the tests' call recorder attributes them by it, for
     * the IAM evidence of docs/infrastructure.md).
     */
    public static java.util.Optional<String> running() {
        return java.util.Optional.ofNullable(RUNNING.get());
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to restore: the steps keep no state and open no connection of their own.
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
