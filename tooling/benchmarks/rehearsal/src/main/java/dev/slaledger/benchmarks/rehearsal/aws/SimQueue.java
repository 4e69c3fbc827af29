package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.benchmarks.rehearsal.sim.Sim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An SQS standard queue as Lambda's SQS mapping sees it: a received message is hidden for the
 * visibility timeout and comes back unless deleted; the receive that would exceed
 * {@code maxReceiveCount} moves it to the dead-letter queue instead (whose alarm fires on one
 * message); delivery is at least once: with the injected fault a message is also handed to a second
 * receiver at the same time.
 */
public final class SimQueue {
    /** One message. */
    public static final class Message {
        private final String id;
        private final String body;
        private final String job;
        private final Instant sentAt;
        private int receives;
        private Instant visibleAt;
        private boolean deleted;

        Message(String id, String body, String job, Instant sentAt) {
            this.id = id;
            this.body = body;
            this.job = job;
            this.sentAt = sentAt;
        }

        public String id() {
            return id;
        }

        public String body() {
            return body;
        }

        public String job() {
            return job;
        }

        public int receives() {
            return receives;
        }

        public Instant sentAt() {
            return sentAt;
        }
    }

    private record InFlight(Message message, Instant until) {
    }

    private final Aws aws;
    private final String name;
    private final Duration visibility;
    private final int maxReceiveCount;
    private final ArrayDeque<Message> visible = new ArrayDeque<>();
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(Comparator.comparing(InFlight::until));
    private final List<Message> deadLetters = new ArrayList<>();
    private final Sim.Signal available;
    private Instant wakeScheduled;
    private Instant busySince;
    private long sent;
    private long deleted;

    public SimQueue(Aws aws, String name, Duration visibility, int maxReceiveCount) {
        this.aws = aws;
        this.name = name;
        this.visibility = visibility;
        this.maxReceiveCount = maxReceiveCount;
        this.available = aws.sim().new Signal();
    }

    public String name() {
        return name;
    }

    public String url() {
        return "https://sqs.us-east-1.amazonaws.com/000000000000/" + name;
    }

    /** The effect of a send: the message is visible now. */
    void put(String body, String job) {
        if (visible.isEmpty() && inFlight.isEmpty()) {
            busySince = aws.sim().now();
        }
        sent++;
        visible.add(new Message(name + "-" + sent, body, job, aws.sim().now()));
        available.fire();
    }

    /** The effect of a ReceiveMessage: up to {@code max} visible messages, hidden for the visibility timeout. */
    List<Message> take(int max) {
        release();
        List<Message> out = new ArrayList<>();
        Instant now = aws.sim().now();
        while (out.size() < max && !visible.isEmpty()) {
            Message m = visible.poll();
            if (m.deleted) {
                continue;
            }
            m.receives++;
            if (m.receives > maxReceiveCount) {
                deadLetters.add(m);
                aws.meter().warning(m.job, name + " dead-letter queue received a message (alarm)");
                continue;
            }
            m.visibleAt = now.plus(visibility);
            inFlight.add(new InFlight(m, m.visibleAt));
            if (aws.faults().duplicateDelivery()) {
                visible.addFirst(m); // handed to another receiver too (at-least-once delivery)
            }
            out.add(m);
        }
        scheduleWake();
        return out;
    }

    void delete(Message m) {
        if (!m.deleted) {
            m.deleted = true;
            deleted++;
        }
    }

    /** Waits (a poller's long poll) until a message may be visible. */
    void awaitMessages() {
        release();
        if (visible.isEmpty()) {
            scheduleWake();
            available.await(null);
        }
    }

    /** Whether nothing is visible or in flight (every message deleted or dead-lettered). */
    public boolean drained() {
        release();
        return visible.stream().allMatch(m -> m.deleted) && inFlight.stream().allMatch(f -> f.message.deleted);
    }

    public List<Message> deadLetters() {
        return List.copyOf(deadLetters);
    }

    public long sent() {
        return sent;
    }

    public long deleted() {
        return deleted;
    }

    Instant busySince() {
        return busySince;
    }

    private void release() {
        Instant now = aws.sim().now();
        while (!inFlight.isEmpty() && !inFlight.peek().until.isAfter(now)) {
            InFlight f = inFlight.poll();
            if (!f.message.deleted && f.until.equals(f.message.visibleAt)) {
                visible.add(f.message); // its visibility timeout ran out: delivered again
            }
        }
        while (!inFlight.isEmpty() && inFlight.peek().message.deleted) {
            inFlight.poll();
        }
    }

    private void scheduleWake() {
        InFlight next = inFlight.peek();
        if (next == null) {
            return;
        }
        if (wakeScheduled != null && !wakeScheduled.isAfter(next.until) && wakeScheduled.isAfter(aws.sim().now())) {
            return;
        }
        wakeScheduled = next.until;
        aws.sim().at(next.until, () -> {
            wakeScheduled = null;
            release();
            if (!visible.isEmpty()) {
                available.fire();
            }
            scheduleWake();
        });
    }
}
