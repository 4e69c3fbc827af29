package dev.slaledger.benchmarks.rehearsal.model;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Everything a rehearsal counts, per job: requests by kind, units, dollars, Lambda time, and the job's own counters. */
public final class Meter {
    /** Requests of one kind. */
    public static final class Line {
        public long requests;
        public double readUnits;
        public double writeUnits;
        public long entries;
        public double dollars;
    }

    /** One function's invocations within a job. */
    public static final class FunctionLine {
        public long invocations;
        public long coldStarts;
        public long throttles;
        public long timeouts;
        public long crashes;
        public long errors;
        public double gbSeconds;
        public int peakConcurrency;

        public double dollars() {
            return gbSeconds * Prices.LAMBDA_GB_SECOND_ARM + invocations * Prices.LAMBDA_REQUEST;
        }
    }

    /** One job's figures. */
    public static final class Job {
        public final String name;
        public final Map<String, Line> requests = new TreeMap<>();
        public final Map<String, FunctionLine> functions = new TreeMap<>();
        public final Map<String, Long> counters = new LinkedHashMap<>();
        public long schedulerInvocations;
        public Instant start;
        public Instant end;
        /** What the job wants the report to say in words (e.g. each run's own report). */
        public final java.util.List<String> notes = new java.util.ArrayList<>();

        /** Per table and unit kind: units consumed per second of simulated time (the peak is reported). */
        public final Map<String, Map<Long, Double>> unitsPerSecond = new TreeMap<>();

        public Map<String, Double> peakUnitsPerSecond() {
            Map<String, Double> peaks = new TreeMap<>();
            unitsPerSecond.forEach((k, v) -> peaks.put(k, v.values().stream().mapToDouble(Double::doubleValue).max()
                    .orElse(0)));
            return peaks;
        }

        /** Log lines at WARN or ERROR and metric lines, by their first words (alarms show here). */
        public final Map<String, Long> warnings = new TreeMap<>();

        Job(String name) {
            this.name = name;
        }

        public Duration elapsed() {
            return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
        }

        public long totalRequests(Request.Service service) {
            String prefix = switch (service) {
                case DYNAMODB -> "DynamoDB ";
                case SQS -> "SQS ";
                case SES -> "SES ";
                case EVENTBRIDGE -> "EventBridge ";
            };
            return requests.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(e -> e.getValue().requests).sum();
        }

        public double dollars() {
            double d = schedulerInvocations * Prices.SCHEDULER_INVOCATION;
            for (Line l : requests.values()) {
                d += l.dollars;
            }
            for (FunctionLine f : functions.values()) {
                d += f.dollars();
            }
            return d;
        }

        public long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }

        public void add(String counter, long n) {
            counters.merge(counter, n, Long::sum);
        }

        void touch(Instant at) {
            if (start == null || at.isBefore(start)) {
                start = at;
            }
            if (end == null || at.isAfter(end)) {
                end = at;
            }
        }
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public synchronized Job job(String name) {
        return jobs.computeIfAbsent(name, Job::new);
    }

    public synchronized Map<String, Job> jobs() {
        return new LinkedHashMap<>(jobs);
    }

    public synchronized void request(String job, Request r, Instant at) {
        Job j = job(job);
        Line line = j.requests.computeIfAbsent(r.kind(), k -> new Line());
        line.requests++;
        line.readUnits += r.readUnits();
        line.writeUnits += r.writeUnits();
        line.entries += r.entries();
        line.dollars += Prices.of(r);
        j.touch(at);
    }

    public synchronized FunctionLine function(String job, String function) {
        return job(job).functions.computeIfAbsent(function, f -> new FunctionLine());
    }

    public synchronized void touch(String job, Instant at) {
        job(job).touch(at);
    }

    public synchronized void units(String job, String what, Instant at, double units) {
        job(job).unitsPerSecond.computeIfAbsent(what, k -> new java.util.HashMap<>())
                .merge(at.getEpochSecond(), units, Double::sum);
    }

    public synchronized void warning(String job, String what) {
        job(job).warnings.merge(what, 1L, Long::sum);
    }
}
