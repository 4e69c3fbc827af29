package dev.slaledger.benchmarks.rehearsal.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** The simulation's time as a {@link Clock} in a zone (its {@link #withZone} keeps reading the simulation). */
final class SimClock extends Clock {
    private final Sim sim;
    private final ZoneId zone;

    SimClock(Sim sim, ZoneId zone) {
        this.sim = sim;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return other.equals(zone) ? this : new SimClock(sim, other);
    }

    @Override
    public Instant instant() {
        return sim.now();
    }

    @Override
    public long millis() {
        return sim.now().toEpochMilli();
    }
}
