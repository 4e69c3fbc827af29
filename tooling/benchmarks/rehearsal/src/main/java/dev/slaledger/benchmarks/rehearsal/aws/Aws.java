package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.benchmarks.rehearsal.model.LatencyModel;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import dev.slaledger.benchmarks.rehearsal.sim.Sim;
import java.util.function.Supplier;

/**
 * The one way a simulated process talks to a modeled AWS service: {@link #call} charges the
 * request's latency to the simulated clock (the caller waits while others run), counts it against
 * the caller's job, and applies its effect; inside a Lambda invocation it enforces the deadline and
 * the injected kills. On the main thread (seeding the world) nothing is charged.
 */
public final class Aws {
    private final Sim sim;
    private final LatencyModel latency;
    private final Meter meter;
    private final Faults faults;
    /**
     * DynamoDB's table-level throughput quota of on-demand tables (AWS: "your on-demand throughput
     * rate is bounded by 40,000 table-level read and write throughput"), units per second, read and
     * write apart: a request beyond it is throttled and the SDK retries it, which the model charges
     * as a wait until the table has capacity (one second of burst).
     */
    public static final double TABLE_UNITS_PER_SECOND = 40_000;
    private final java.util.Map<String, Double> bookedUntil = new java.util.HashMap<>();

    public Aws(Sim sim, LatencyModel latency, Meter meter, Faults faults) {
        this.sim = sim;
        this.latency = latency;
        this.meter = meter;
        this.faults = faults;
    }

    public Sim sim() {
        return sim;
    }

    public Meter meter() {
        return meter;
    }

    public LatencyModel latency() {
        return latency;
    }

    public Faults faults() {
        return faults;
    }

    /** The activity of the running process (null on the main thread). */
    public Activity activity() {
        Object a = sim.current().attachment();
        return a instanceof Activity activity ? activity : null;
    }

    /** The job the running process works for ("setup" on the main thread). */
    public String job() {
        Activity a = activity();
        return a == null ? "setup" : a.job();
    }

    public void call(Request request, Runnable effect) {
        call(request, () -> {
            effect.run();
            return null;
        });
    }

    /** The wait a DynamoDB request spends throttled at its table's throughput quota (0 when within it). */
    private long throttleWait(String job, Request r) {
        if (r.service() != Request.Service.DYNAMODB) {
            return 0;
        }
        double now = sim.now().getEpochSecond() + sim.now().getNano() / 1e9;
        double wait = 0;
        if (r.readUnits() > 0) {
            wait = Math.max(wait, book(r.resource() + " read", r.readUnits(), now));
            meter.units(job, r.resource() + " RRU", sim.now(), r.readUnits());
        }
        if (r.writeUnits() > 0) {
            wait = Math.max(wait, book(r.resource() + " write", r.writeUnits(), now));
            meter.units(job, r.resource() + " WRU", sim.now(), r.writeUnits());
        }
        if (wait > 0) {
            meter.warning(job, "DynamoDB requests throttled at the table quota (waited, then retried)");
        }
        return Math.round(wait * 1e9);
    }

    private double book(String key, double units, double now) {
        double booked = Math.max(bookedUntil.getOrDefault(key, 0.0), now - 1.0) + units / TABLE_UNITS_PER_SECOND;
        bookedUntil.put(key, booked);
        return Math.max(0, booked - now);
    }

    public <T> T call(Request request, Supplier<T> effect) {
        Activity activity = activity();
        if (activity == null) {
            return effect.get(); // seeding: not a request of any job
        }
        SimLambda.Invocation inv = activity.invocation();
        Faults.Kill kill = Faults.Kill.NONE;
        if (inv != null) {
            kill = inv.beforeRequest();
        }
        long nanos = latency.nanos(request) + throttleWait(activity.job(), request);
        if (inv != null) {
            inv.sleepWithin(nanos);
        } else {
            sim.sleepNanos(nanos);
        }
        meter.request(activity.job(), request, sim.now());
        T result = effect.get();
        if (kill == Faults.Kill.AFTER_EFFECT) {
            inv.kill("killed after its " + request.kind() + " took effect");
        }
        return result;
    }
}
