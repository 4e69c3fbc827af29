package dev.slaledger.local;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock every handler of a local run is given. The commands move it (the demo walks a
 * simulated month; replay holds it at {@code --now}), so what the handlers decide is the same
 * on every run and on every machine.
 */
public final class SimClock extends Clock {
    private volatile Instant now;

    public SimClock(Instant start) {
        this.now = start;
    }

    public void set(Instant instant) {
        this.now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
