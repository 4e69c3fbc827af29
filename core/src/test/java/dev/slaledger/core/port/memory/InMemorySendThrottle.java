package dev.slaledger.core.port.memory;

import dev.slaledger.core.notice.SendPlan;
import dev.slaledger.core.notice.SendSlots;
import dev.slaledger.core.port.SendThrottle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The shared send schedule in memory ({@link SendSlots}, as the Ledger's token bucket), also
 * keeping every slot it gave, so a test can check the combined rate and the hourly counts.
 */
public final class InMemorySendThrottle implements SendThrottle {
    private SendPlan plan;
    private long tat;
    private final Map<Long, Long> hours = new TreeMap<>();
    private final List<Instant> slots = new ArrayList<>();

    @Override
    public synchronized void configure(SendPlan next) {
        plan = next;
        long oldest = SendSlots.hour(next.readAt()) - SendPlan.WINDOW_HOURS;
        hours.keySet().removeIf(h -> h < oldest);
    }

    @Override
    public synchronized Usage usage(Instant now) {
        long hour = SendSlots.hour(now);
        long last24 = hours.entrySet().stream().filter(e -> e.getKey() > hour - 24 && e.getKey() <= hour)
                .mapToLong(Map.Entry::getValue).sum();
        return new Usage(Optional.ofNullable(plan), hours.getOrDefault(hour, 0L), last24);
    }

    @Override
    public synchronized Answer acquire(int count, Instant now) {
        if (plan == null) {
            return new Exhausted(now.plus(Duration.ofHours(1)), "no send plan configured yet");
        }
        long hour = SendSlots.hour(now);
        SendSlots.Decision d = SendSlots.decide(plan, tat, hours.getOrDefault(hour, 0L), count, now);
        return switch (d) {
            case SendSlots.Grant g -> {
                tat = g.newTatMicros();
                hours.merge(hour, (long) count, Long::sum);
                Duration spacing = Duration.ofNanos(plan.intervalMicros() * 1000);
                Granted granted = new Granted(count, SendSlots.instant(g.firstMicros()), spacing);
                for (int j = 0; j < count; j++) {
                    slots.add(granted.slot(j));
                }
                yield granted;
            }
            case SendSlots.WaitUntil w -> new Wait(SendSlots.instant(w.micros()));
            case SendSlots.HourFull f -> new Exhausted(f.nextHour(), "this hour's share of the quota ("
                    + plan.hourCap() + ") is used");
        };
    }

    /** Every slot given so far, in grant order. */
    public synchronized List<Instant> slots() {
        return List.copyOf(slots);
    }
}
