package dev.slaledger.core.usecase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock the test moves by hand. */
final class MutableTestClock extends Clock {
    private volatile Instant now;

    MutableTestClock(Instant now) {
        this.now = now;
    }

    MutableTestClock(String now) {
        this(Instant.parse(now));
    }

    void set(Instant instant) {
        now = instant;
    }

    void set(String instant) {
        set(Instant.parse(instant));
    }

    void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
