package dev.slaledger.benchmarks.rehearsal.jobs;

import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a rehearsal's figures and checks as Markdown (what docs/benchmarks.md quotes). */
public final class Report {
    private final StringBuilder out = new StringBuilder();

    public static String duration(Duration d) {
        long s = d.getSeconds();
        if (s >= 86_400) {
            return String.format(Locale.ROOT, "%dd %02dh %02dm %02ds", s / 86_400, s % 86_400 / 3600, s % 3600 / 60,
                    s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm %02d.%01ds", s / 3600, s % 3600 / 60, s % 60,
                d.toMillisPart() / 100);
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String usd(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "$%,.2f", v) : String.format(Locale.ROOT, "$%.4f", v);
    }

    public Report line(String text) {
        out.append(text).append('\n');
        return this;
    }

    public Report job(Meter.Job job, List<RehearsalJob.Check> checks, List<RehearsalJob.Check> targets) {
        out.append("\n### ").append(job.name).append("\n\n");
        out.append("| simulated time (first to last request) | accounts reached | DynamoDB requests | RRU | WRU"
                + " | SQS requests | SES requests | EventBridge events | Lambda invocations | Lambda GB-s | cost |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double rru = 0;
        double wru = 0;
        long events = 0;
        for (Map.Entry<String, Meter.Line> e : job.requests.entrySet()) {
            rru += e.getValue().readUnits;
            wru += e.getValue().writeUnits;
            if (e.getKey().startsWith("EventBridge")) {
                events += e.getValue().entries;
            }
        }
        long invocations = job.functions.values().stream().mapToLong(f -> f.invocations).sum();
        double gbs = job.functions.values().stream().mapToDouble(f -> f.gbSeconds).sum();
        out.append("| ").append(duration(job.elapsed())).append(" | ").append(n(job.counter("accounts reached")))
                .append(" | ").append(n(job.totalRequests(Request.Service.DYNAMODB)))
                .append(" | ").append(n(Math.round(rru))).append(" | ").append(n(Math.round(wru)))
                .append(" | ").append(n(job.totalRequests(Request.Service.SQS)))
                .append(" | ").append(n(job.totalRequests(Request.Service.SES)))
                .append(" | ").append(n(events)).append(" | ").append(n(invocations))
                .append(" | ").append(String.format(Locale.ROOT, "%,.0f", gbs))
                .append(" | ").append(usd(job.dollars())).append(" |\n\n");
        out.append("Functions: ");
        job.functions.forEach((name, f) -> out.append(String.format(Locale.ROOT,
                "`%s` %s invocations, peak concurrency %d, %s cold starts, %s throttled, %s timed out, %s killed,"
                        + " %s errors, %s; ", name, n(f.invocations), f.peakConcurrency, n(f.coldStarts),
                n(f.throttles), n(f.timeouts), n(f.crashes), n(f.errors), usd(f.dollars()))));
        out.append(job.schedulerInvocations > 0 ? "Scheduler invocations " + job.schedulerInvocations + "." : "")
                .append("\n\nRequests by kind:\n\n| request | count | RRU | WRU | entries | cost |\n|---|---:|---:|---:|---:|---:|\n");
        job.requests.forEach((kind, l) -> out.append("| ").append(kind).append(" | ").append(n(l.requests))
                .append(" | ").append(String.format(Locale.ROOT, "%,.1f", l.readUnits)).append(" | ")
                .append(String.format(Locale.ROOT, "%,.1f", l.writeUnits)).append(" | ").append(n(l.entries))
                .append(" | ").append(usd(l.dollars)).append(" |\n"));
        if (!job.unitsPerSecond.isEmpty()) {
            out.append("\nPeak DynamoDB units per second (table quota ").append(n(Math.round(
                    dev.slaledger.benchmarks.rehearsal.aws.Aws.TABLE_UNITS_PER_SECOND))).append(" each): ");
            job.peakUnitsPerSecond().forEach((k, v) -> out.append(k).append(' ').append(n(Math.round(v))).append("; "));
            out.append('\n');
        }
        if (!job.counters.isEmpty()) {
            out.append("\nCounters: ");
            job.counters.forEach((k, v) -> out.append(k).append(' ').append(n(v)).append("; "));
            out.append('\n');
        }
        if (!job.warnings.isEmpty()) {
            out.append("\nWarnings and metrics (what the alarms watch): ");
            job.warnings.forEach((k, v) -> out.append(k).append(": ").append(n(v)).append("; "));
            out.append('\n');
        }
        if (!job.notes.isEmpty()) {
            out.append('\n');
            String previous = null;
            int repeats = 0;
            for (String note : job.notes) {
                String body = note.replaceFirst("^run \\d+: ", "");
                if (body.equals(previous)) {
                    repeats++;
                    continue;
                }
                if (repeats > 0) {
                    out.append("  (and ").append(repeats).append(" more runs the same)\n");
                }
                out.append("- ").append(note).append('\n');
                previous = body;
                repeats = 0;
            }
            if (repeats > 0) {
                out.append("  (and ").append(repeats).append(" more runs the same)\n");
            }
        }
        out.append("\n| check | result | figure |\n|---|---|---|\n");
        for (RehearsalJob.Check c : checks) {
            out.append("| ").append(c.what()).append(" | ").append(c.passed() ? "pass" : "**FAIL**").append(" | ")
                    .append(c.detail()).append(" |\n");
        }
        for (RehearsalJob.Check c : targets) {
            out.append("| target: ").append(c.what()).append(" | ").append(c.passed() ? "met" : "**MISSED**")
                    .append(" | ").append(c.detail()).append(" |\n");
        }
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
