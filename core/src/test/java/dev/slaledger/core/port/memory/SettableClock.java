package dev.slaledger.core.port.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one settable clock (the core takes a {@link Clock}): a clock a test, a harness or the local
 * runtime sets and moves by hand; every read sees the latest setting (thread-safe). It reads in
 * UTC; {@link #withZone} answers a view in another zone on the same setting (so
 * {@code LocalDate.now(clock.withZone(termsZone))} is the date in the terms' zone, and moves with
 * the clock).
 */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public SettableClock(Instant now) {
        this(new AtomicReference<>(Objects.requireNonNull(now)), ZoneOffset.UTC);
    }

    public SettableClock(String now) {
        this(Instant.parse(now));
    }

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant));
    }

    public void set(String instant) {
        set(Instant.parse(instant));
    }

    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /**
     * Moves the clock to {@code when} if that is later, never back: what a simulated wait does (a
     * worker waiting for its send slot), so concurrent waiters see one time line.
     */
    public void advanceTo(Instant when) {
        Objects.requireNonNull(when);
        now.updateAndGet(t -> when.isAfter(t) ? when : t);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new SettableClock(now, zone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
