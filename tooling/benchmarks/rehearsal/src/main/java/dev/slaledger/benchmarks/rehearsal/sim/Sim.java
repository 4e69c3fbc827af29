package dev.slaledger.benchmarks.rehearsal.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A deterministic discrete-event simulation in which real, blocking code runs (FoundationDB's
 * simulation and TigerBeetle's VOPR are the models): every concurrent activity (a
 * Lambda invocation, an SQS poller, the scheduler) is a {@link Proc} on its own virtual thread, and
 * exactly one of them runs at any moment. A process advances the one virtual clock only by
 * {@link #sleep}ing (the modeled latency of a request, a backoff, a wait); the process whose wake-up
 * is earliest runs next, ties in the order they were scheduled. So the interleaving, and with it
 * every result, depends only on the seed of the random choices, never on the machine.
 *
 * <p>Callbacks ({@link #at}) run on whichever thread holds the baton, between processes; they must
 * not sleep. A process that sleeps past every other pending event keeps running without a switch.
 */
public final class Sim {
    /** A concurrent activity: a body of real code on its own virtual thread. */
    public static final class Proc {
        private final String name;
        private Thread thread;
        private volatile boolean done;
        private Throwable failure;
        /** Increments on every wait, so a stale wake-up (a timer after a signal) is ignored. */
        private long token;
        /** What the process stands for (a Lambda invocation, a job): read by the models. */
        private Object attachment;

        private Proc(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public boolean done() {
            return done;
        }

        public Throwable failure() {
            return failure;
        }

        public Object attachment() {
            return attachment;
        }

        public void attach(Object value) {
            attachment = value;
        }
    }

    /** Processes waiting for something another process or callback will signal. */
    public final class Signal {
        private final List<Proc> waiters = new ArrayList<>();

        /** Waits until {@link #fire} or {@code timeout} (null: no timeout). */
        public void await(Duration timeout) {
            Proc me = current();
            waiters.add(me);
            me.token++;
            if (timeout != null) {
                schedule(now + timeout.toNanos(), null, me, me.token);
            }
            yieldFrom(me);
            waiters.remove(me);
        }

        /** Wakes every waiter now (after the current process or callback yields). */
        public void fire() {
            for (Proc p : waiters) {
                schedule(now, null, p, p.token);
            }
            waiters.clear();
        }
    }

    private record Event(long at, long seq, Runnable action, Proc proc, long token) {
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
    private final Instant epoch;
    private final Proc main = new Proc("main");
    private final List<Proc> failed = new ArrayList<>();
    /** Nanoseconds since {@link #epoch}. */
    private long now;
    private long seq;
    private long limit = Long.MAX_VALUE;
    private volatile Proc holder;
    private long switches;
    private long events;

    public Sim(Instant start) {
        this.epoch = start;
        main.thread = Thread.currentThread();
        holder = main;
    }

    public Instant now() {
        return epoch.plusNanos(now);
    }

    /** A clock that reads the simulated time (what the code under test is given). */
    public Clock clock() {
        return new SimClock(this, java.time.ZoneOffset.UTC);
    }

    /** The process running now; the main process when called outside any. */
    public Proc current() {
        return holder;
    }

    /** Runs {@code action} at {@code when} (not before now), between processes. */
    public void at(Instant when, Runnable action) {
        long at = Math.max(now, Duration.between(epoch, when).toNanos());
        schedule(at, action, null, 0);
    }

    public void after(Duration delay, Runnable action) {
        schedule(now + Math.max(0, delay.toNanos()), action, null, 0);
    }

    /** Starts {@code body} as a new process now (it runs when the current one yields). */
    public Proc spawn(String name, Runnable body) {
        return spawn(name, null, body);
    }

    /** As {@link #spawn(String, Runnable)}, with an attachment the models read. */
    public Proc spawn(String name, Object attachment, Runnable body) {
        Proc p = new Proc(name);
        p.attachment = attachment;
        p.thread = Thread.ofVirtual().name("sim-" + name).unstarted(() -> {
            awaitBaton(p);
            try {
                body.run();
            } catch (Throwable t) {
                p.failure = t;
                synchronized (failed) {
                    failed.add(p);
                }
            } finally {
                p.done = true;
                yieldFrom(p);
            }
        });
        schedule(now, null, p, p.token);
        p.thread.start();
        return p;
    }

    /** Advances the calling process's time by {@code d} (others run meanwhile). */
    public void sleep(Duration d) {
        sleepNanos(d.toNanos());
    }

    public void sleepNanos(long nanos) {
        Proc me = current();
        if (me == main) {
            throw new IllegalStateException("only a process sleeps; the main thread runs the simulation");
        }
        long wake = now + Math.max(0, nanos);
        Event next = queue.peek();
        if ((next == null || next.at > wake) && wake <= limit) {
            now = wake; // nothing is due before: no switch
            return;
        }
        me.token++;
        schedule(wake, null, me, me.token);
        yieldFrom(me);
    }

    public void sleepUntil(Instant when) {
        sleepNanos(Duration.between(now(), when).toNanos());
    }

    /** Runs every event due at or before {@code end}; the clock then reads {@code end}. */
    public void runUntil(Instant end) {
        long endNanos = Duration.between(epoch, end).toNanos();
        limit = endNanos;
        yieldFrom(main);
        now = Math.max(now, endNanos);
        limit = Long.MAX_VALUE;
        rethrow();
    }

    /** Runs until nothing is pending (every process done or waiting for a signal) or {@code end}. */
    public void runUntilIdle(Instant end) {
        long endNanos = Duration.between(epoch, end).toNanos();
        limit = endNanos;
        yieldFrom(main);
        limit = Long.MAX_VALUE;
        rethrow();
    }

    /**
     * Runs in steps of {@code step} while {@code condition} holds and something is pending, at most
     * until {@code end}; returns whether the condition still holds.
     */
    public boolean runWhile(java.util.function.BooleanSupplier condition, Duration step, Instant end) {
        while (condition.getAsBoolean() && now().isBefore(end)) {
            Instant next = now().plus(step);
            runUntil(next.isAfter(end) ? end : next);
        }
        return condition.getAsBoolean();
    }

    /** Whether no event is pending. */
    public boolean idle() {
        return queue.isEmpty();
    }

    public long switches() {
        return switches;
    }

    public long events() {
        return events;
    }

    private void rethrow() {
        synchronized (failed) {
            if (!failed.isEmpty()) {
                Proc p = failed.get(0);
                failed.clear();
                throw new IllegalStateException("process " + p.name + " failed: " + p.failure, p.failure);
            }
        }
    }

    private void schedule(long at, Runnable action, Proc proc, long token) {
        queue.add(new Event(at, seq++, action, proc, token));
    }

    /**
     * Called by the baton holder {@code me}: runs callbacks and hands the baton to the process of
     * the next event; returns once {@code me} holds it again (immediately if its own event is next).
     */
    private void yieldFrom(Proc me) {
        Proc next = main;
        while (true) {
            Event e = queue.peek();
            if (e == null || e.at > limit) {
                break;
            }
            queue.poll();
            events++;
            now = Math.max(now, e.at);
            if (e.action != null) {
                e.action.run();
                continue;
            }
            if (e.proc.done || e.token != e.proc.token) {
                continue; // a stale wake-up
            }
            next = e.proc;
            break;
        }
        if (next == me) {
            return;
        }
        switches++;
        holder = next;
        LockSupport.unpark(next.thread);
        if (!me.done) {
            awaitBaton(me);
        }
    }

    private void awaitBaton(Proc me) {
        while (holder != me) {
            LockSupport.park(this);
        }
    }
}
